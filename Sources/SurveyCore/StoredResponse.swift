import Foundation

/// A response as it is kept: what the citizen said, where, and when it was committed.
public struct StoredResponse: Sendable, Equatable {
    public var id: Int64
    public var clientID: String
    public var windowCode: String
    public var departmentCode: String
    public var ratings: Ratings
    public var comment: String?
    public var reasons: [String]
    public var channel: Channel
    public var serviceItemCode: String?
    public var staffCode: String?
    /// When the response was stored, in milliseconds since 1970-01-01T00:00:00Z.
    public var createdAtMillis: Int64
    /// When the citizen gave it, in the same unit: the time its period is taken from. The
    /// same as `createdAtMillis` unless a device sent it later (offline, or retrying).
    public var ratedAtMillis: Int64
    /// How the response arrived.
    public var provenance: Provenance
    /// The rule that flagged it as suspect when it was stored, if any; kept after a review.
    public var flagRule: FlagRule?

    public init(
        id: Int64, clientID: String, windowCode: String, departmentCode: String, ratings: Ratings,
        comment: String?, reasons: [String], channel: Channel, serviceItemCode: String?,
        staffCode: String?, createdAtMillis: Int64, ratedAtMillis: Int64? = nil,
        provenance: Provenance = .unverified, flagRule: FlagRule? = nil
    ) {
        self.id = id
        self.clientID = clientID
        self.windowCode = windowCode
        self.departmentCode = departmentCode
        self.ratings = ratings
        self.comment = comment
        self.reasons = reasons
        self.channel = channel
        self.serviceItemCode = serviceItemCode
        self.staffCode = staffCode
        self.createdAtMillis = createdAtMillis
        self.ratedAtMillis = ratedAtMillis ?? createdAtMillis
        self.provenance = provenance
        self.flagRule = flagRule
    }

    public var isNegative: Bool { ratings.isNegative }

    /// The creation time as RFC 3339 in UTC with milliseconds, e.g. `2026-11-25T07:38:46.123Z`.
    public var createdAtISO8601: String { UTCTimestamp.string(millis: createdAtMillis) }

    /// The time it was given as RFC 3339 in UTC with milliseconds.
    public var ratedAtISO8601: String { UTCTimestamp.string(millis: ratedAtMillis) }
}

/// Formatting of instants as UTC RFC 3339 text, the only form Pingjia puts on the wire.
public enum UTCTimestamp {
    public static func string(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let fraction = millis - seconds * 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)).\(pad(fraction, 3))Z"
    }

    /// The instant an RFC 3339 time names (`2026-11-25T07:38:46.123Z`, `…+08:00`, with or
    /// without fractional seconds), in milliseconds since 1970; nil for anything else.
    public static func millis(parsing text: String) -> Int64? {
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        guard let date = withFraction.date(from: text) ?? plain.date(from: text) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}

/// Proleptic Gregorian calendar arithmetic on day numbers, free of Foundation's calendar
/// so it is exact and fast on the insert path (Howard Hinnant's `days_from_civil`).
public enum CivilDate {
    public static func fromDaysSinceEpoch(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
