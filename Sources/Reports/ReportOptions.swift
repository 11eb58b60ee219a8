import Foundation
import SpeedStatistics

/// How a report is computed; every choice is named in the report's `methods`.
public struct ReportOptions: Sendable {
    /// Free-flow filter: keep only vehicles at least this many seconds behind the one in front (nil: off).
    public var freeFlowGapSeconds: Double?
    /// Standardise the after period to the before period's mix of hour of day × weekday/weekend.
    public var postStratify: Bool
    /// Replicates and seed of the cluster bootstrap (and of the site resampling for the difference in differences).
    public var bootstrap: ClusterBootstrap
    /// The time zone hours of day and days are counted in.
    public var timeZone: TimeZone

    public init(
        freeFlowGapSeconds: Double? = nil, postStratify: Bool = false, bootstrap: ClusterBootstrap = ClusterBootstrap(),
        timeZone: TimeZone = TimeZone(identifier: "Europe/London")!
    ) {
        self.freeFlowGapSeconds = freeFlowGapSeconds
        self.postStratify = postStratify
        self.bootstrap = bootstrap
        self.timeZone = timeZone
    }
}

/// Local calendar facts of a UTC hour, cheap enough for thousands of cells.
struct LocalHour: Hashable {
    var hourOfDay: Int
    /// Days since 1970-01-01 in local time.
    var day: Int
    var isWeekend: Bool

    init(hourUTC: Int64, timeZone: TimeZone) {
        let seconds = hourUTC * 3600
        let offset = Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
        let local = seconds + offset
        let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        self.day = Int(day)
        hourOfDay = Int((local - day * 86_400) / 3600)
        // 1970-01-01 was a Thursday: (day + 4) mod 7 gives 0 for Sunday.
        let weekday = ((Int(day) + 4) % 7 + 7) % 7
        isWeekend = weekday == 0 || weekday == 6
    }

    /// The local date as YYYY-MM-DD.
    static func dateString(day: Int) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date(timeIntervalSince1970: Double(day) * 86_400))
    }
}
