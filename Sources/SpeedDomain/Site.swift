/// What kind of scheme watches a site; a control site has no intervention at all.
public enum Scheme: String, Sendable, Codable, CaseIterable {
    case driveSafe = "drivesafe"
    case cameraVan = "camera-van"
    case automatedCamera = "automated-camera"
    case control
}

/// A place on a road where speeds are measured.
public struct Site: Sendable, Hashable, Codable, Identifiable {
    /// A short stable identifier chosen by staff, such as `"HIGH-ST-N"`.
    public var id: String
    public var name: String
    public var road: String
    /// WGS84 latitude and longitude in degrees, when known.
    public var latitude: Double?
    public var longitude: Double?
    public var limit: SpeedLimit
    public var scheme: Scheme
    /// Whether the site is one of the 20mph pilot sites (as opposed to a control).
    public var isPilot: Bool

    public init(
        id: String, name: String, road: String = "", latitude: Double? = nil, longitude: Double? = nil,
        limit: SpeedLimit, scheme: Scheme, isPilot: Bool
    ) {
        self.id = id
        self.name = name
        self.road = road
        self.latitude = latitude
        self.longitude = longitude
        self.limit = limit
        self.scheme = scheme
        self.isPilot = isPilot
    }
}
