import GRDB
import SpeedDomain

extension DeviceStore {
    /// The session's count, mean, median, V85, max, compliance and
    /// over-threshold figures and its drops, read from one consistent snapshot.
    ///
    /// - Throws: `StoreError` `.unknownSession`.
    public func summary(ofSession id: String) throws -> SessionSummary {
        try read("summarise session '\(id)'") { db in
            guard let stored = try Self.storedSession(db, id: id, path: path) else {
                throw StoreError.unknownSession(path: path, id: id)
            }
            let speeds = try Double.fetchAll(
                db, sql: "SELECT speed_mps FROM readings WHERE session_key = (SELECT key FROM sessions WHERE id = ?)", arguments: [id]
            ).map(Speed.init(metresPerSecond:))
            return SessionSummary(
                sessionID: id, limit: stored.limit, speeds: speeds,
                edgesDropped: stored.edgesDropped, readingsDropped: stored.readingsDropped)
        }
    }
}
