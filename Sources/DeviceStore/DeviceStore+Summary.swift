import GRDB
import SpeedDomain

extension DeviceStore {
    /// The session's count, mean, median, V85, max, compliance and
    /// over-threshold figures and its drops, read from one consistent snapshot.
    ///
    /// - Throws: `StoreError` `.unknownSession`.
    public func summary(ofSession id: String) throws -> SessionSummary {
        try read("summarise session '\(id)'") { db in
            guard let state = try Self.sessionState(db, id: id), let stored = try Self.storedSession(db, id: id, path: path) else {
                throw StoreError.unknownSession(path: path, id: id)
            }
            let speeds = try StoreSchema.readingIDs(sessionKey: state.key).map { ids in
                try Double.fetchAll(
                    db, sql: "SELECT speed_mps FROM readings WHERE id BETWEEN ? AND ?", arguments: [ids.lowerBound, ids.upperBound])
            }?.map(Speed.init(metresPerSecond:)) ?? []
            return SessionSummary(
                sessionID: id, limit: stored.limit, speeds: speeds,
                edgesDropped: stored.edgesDropped, readingsDropped: stored.readingsDropped)
        }
    }
}
