import CollectorStore
import SpeedDomain

/// The sites registry: id, name, road, location, posted limit, scheme, pilot flag.
public struct SiteRegistry: Sendable {
    public let store: any CollectorStorage

    public init(store: any CollectorStorage) { self.store = store }

    /// Validates and registers a site.
    /// - Throws: `ImportError` naming the field at fault, or the store's refusal of a duplicate id.
    public func add(_ site: Site) throws(ImportError) {
        let place = "site '\(site.id)'"
        guard !site.id.isEmpty, site.id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ImportError(file: place, field: "id", detail: "use letters, digits, '-', '_' or '.'")
        }
        guard !site.name.isEmpty else { throw ImportError(file: place, field: "name", detail: "a site needs a name") }
        if let lat = site.latitude, !(-90...90).contains(lat) { throw ImportError(file: place, field: "latitude", detail: "\(lat) is outside −90…90") }
        if let lon = site.longitude, !(-180...180).contains(lon) { throw ImportError(file: place, field: "longitude", detail: "\(lon) is outside −180…180") }
        if site.scheme == .control && site.isPilot {
            throw ImportError(file: place, field: "pilot", detail: "a control site cannot be a pilot site")
        }
        do { try store.addSite(site) } catch { throw ImportError(file: place, field: "id", detail: error.detail) }
    }

    public func list() throws(CollectorStoreError) -> [Site] { try store.sites() }

    /// The site with its sessions.
    public func show(id: String) throws(ImportError) -> (site: Site, sessions: [SessionRecord]) {
        do {
            guard let site = try store.site(id: id) else { throw ImportError(file: "site '\(id)'", detail: "no such site") }
            return (site, try store.sessions(siteID: id))
        } catch let error as ImportError { throw error } catch {
            throw ImportError(file: "site '\(id)'", detail: "\(error)")
        }
    }
}
