import SpeedDomain

/// What the collector needs from storage. Reports and ingest talk only to this,
/// so a PostgreSQL backend for county scale can follow without touching them.
///
/// Every write is all-or-nothing: when a method throws, nothing it was asked to store is stored.
public protocol CollectorStorage: Sendable {
    /// Where the store lives (a file path, a database URL without credentials), for messages.
    var location: String { get }

    /// Registers a site; its limit is fixed from then on, since stored aggregates depend on it.
    func addSite(_ site: Site) throws(CollectorStoreError)
    func site(id: String) throws(CollectorStoreError) -> Site?
    func sites() throws(CollectorStoreError) -> [Site]

    /// Registers a device's Ed25519 public key (base64); registering the same key again is a no-op.
    func registerDevice(id: String, publicKeyBase64: String) throws(CollectorStoreError)
    /// Registered keys by device id.
    func devicePublicKeys() throws(CollectorStoreError) -> [String: String]

    /// Stores a session with its readings and aggregates in one transaction.
    /// The same id with the same SHA-256 is `.alreadyImported`; with another SHA-256 it is refused.
    func ingest(_ record: SessionRecord, readings: [IngestReading]) throws(CollectorStoreError) -> IngestOutcome

    /// Sessions at a site, oldest first.
    func sessions(siteID: String) throws(CollectorStoreError) -> [SessionRecord]
    /// Total readings stored.
    func readingCount() throws(CollectorStoreError) -> Int

    /// Every session at the site with its aggregates. With `minimumHeadwaySeconds`,
    /// only free-flowing vehicles (headway at least that, or no vehicle ahead seen) count,
    /// computed from the stored readings.
    func aggregates(siteID: String, minimumHeadwaySeconds: Double?) throws(CollectorStoreError) -> [SessionAggregate]

    /// Stores binned counts from one export for one site and phase; the same export
    /// (by SHA-256) for the same site and phase counts once.
    func ingestBinned(_ counts: [BinnedCount], sha256: String, file: String) throws(CollectorStoreError) -> IngestOutcome
    func binnedCounts(siteID: String) throws(CollectorStoreError) -> [BinnedCount]
}
