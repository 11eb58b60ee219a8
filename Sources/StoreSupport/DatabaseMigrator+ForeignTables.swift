public import GRDB

extension DatabaseMigrator {
    /// The tables of a database that other migrations than these made (another
    /// program's file given as a store), or nil when it is empty or this
    /// store's own. Migrating such a file would add this store's tables to it.
    public func foreignTables(in db: Database) throws -> [String]? {
        let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations' ORDER BY name")
        guard !tables.isEmpty, try appliedIdentifiers(db).isDisjoint(with: migrations) else { return nil }
        return tables
    }
}
