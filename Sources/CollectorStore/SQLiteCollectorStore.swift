import Foundation
import GRDB
import StoreSupport
import SpeedDomain

/// The default collector store: one SQLite file through GRDB, WAL, nothing to start.
public final class SQLiteCollectorStore: CollectorStorage {
    public let path: String
    public var location: String { path }
    let database: any DatabaseWriter

    /// Opens (creating if needed) the store at `path`.
    /// - Throws: `CollectorStoreError` when the file cannot be opened or migrated;
    ///   `isNotADatabase` when it is not an SQLite database (the file is left as it was).
    public init(path: String) throws(CollectorStoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.label = "CollectorStore"
        configuration.busyMode = .timeout(10)
        // A bundle's readings are one transaction; a 64 MB page cache keeps it from spilling mid-way.
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let migrator = CollectorSchema.migrator
            if let tables = try pool.read({ db in try migrator.foreignTables(in: db) }) { throw CollectorStoreError.foreignDatabase(path, tables: tables) }
            try migrator.migrate(pool)
            database = pool
        } catch let error as CollectorStoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw .notADatabase(path)
        } catch {
            throw .openFailed(path, error)
        }
    }

    /// An in-memory store for tests.
    public init() throws(CollectorStoreError) {
        path = ":memory:"
        do {
            let queue = try DatabaseQueue()
            try CollectorSchema.migrator.migrate(queue)
            database = queue
        } catch {
            throw .openFailed(path, error)
        }
    }

    /// Runs `body` in one write transaction, mapping failures to `CollectorStoreError`.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(CollectorStoreError) -> T {
        do { return try database.write(body) } catch let error as CollectorStoreError { throw error } catch {
            throw .databaseFailure(path, operation, error)
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(CollectorStoreError) -> T {
        do { return try database.read(body) } catch let error as CollectorStoreError { throw error } catch {
            throw .databaseFailure(path, operation, error)
        }
    }

    // MARK: sites and devices

    public func addSite(_ site: Site) throws(CollectorStoreError) {
        let path = self.path
        try write("add site '\(site.id)'") { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM site WHERE id = ?", arguments: [site.id]) == true {
                throw CollectorStoreError.duplicateSite(path, site.id)
            }
            try db.execute(
                sql: "INSERT INTO site (id, name, road, latitude, longitude, limit_value, limit_unit, scheme, pilot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [site.id, site.name, site.road, site.latitude, site.longitude, site.limit.value, site.limit.unit.rawValue, site.scheme.rawValue, site.isPilot])
        }
    }

    public func site(id: String) throws(CollectorStoreError) -> Site? {
        try read("read site '\(id)'") { db in try Row.fetchOne(db, sql: "SELECT * FROM site WHERE id = ?", arguments: [id]).map(Self.site) }
    }

    public func sites() throws(CollectorStoreError) -> [Site] {
        try read("list sites") { db in try Row.fetchAll(db, sql: "SELECT * FROM site ORDER BY id").map(Self.site) }
    }

    static func site(_ row: Row) -> Site {
        Site(
            id: row["id"], name: row["name"], road: row["road"], latitude: row["latitude"], longitude: row["longitude"],
            limit: SpeedLimit(row["limit_value"], SpeedUnit(rawValue: row["limit_unit"]) ?? .mph),
            scheme: Scheme(rawValue: row["scheme"]) ?? .control, isPilot: row["pilot"])
    }

    public func registerDevice(id: String, publicKeyBase64: String) throws(CollectorStoreError) {
        let path = self.path
        try write("register device '\(id)'") { db in
            if let existing = try String.fetchOne(db, sql: "SELECT public_key FROM device WHERE id = ?", arguments: [id]) {
                guard existing == publicKeyBase64 else { throw CollectorStoreError.duplicateDevice(path, id) }
                return
            }
            try db.execute(sql: "INSERT INTO device (id, public_key) VALUES (?, ?)", arguments: [id, publicKeyBase64])
        }
    }

    public func devicePublicKeys() throws(CollectorStoreError) -> [String: String] {
        try read("read device keys") { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, public_key FROM device").map { ($0[0] as String, $0[1] as String) })
        }
    }

    public func readingCount() throws(CollectorStoreError) -> Int {
        try read("count readings") { db in try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(reading_count), 0) FROM session") ?? 0 }
    }
}
