import Foundation

/// A calendar day in the center's time zone, numbered as days since 1970-01-01.
///
/// Periods are made of local days: a response given at 23:59 Beijing time on 30 September
/// belongs to the third quarter even though it is 15:59 UTC. Storing the local day number
/// next to each response lets the store select a period with an integer range.
public struct LocalDay: Sendable, Hashable, Comparable, Strideable, CustomStringConvertible {
    /// The day number: 0 is 1970-01-01, negative numbers are earlier days.
    public let daysSinceEpoch: Int64

    /// The center's time zone, China Standard Time.
    public static let centerTimeZone = TimeZone(identifier: "Asia/Shanghai")!

    /// The years a day can be written in as four digits, and so the years of a `Period`.
    public static let supportedYears = 1...9999

    /// The day with the given number.
    public init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The given date of the proleptic Gregorian calendar, or nil when there is no such
    /// date (2026-02-30) or the year is outside `supportedYears`.
    public init?(year: Int, month: Int, day: Int) {
        guard Self.supportedYears.contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let number = CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
        // Day 31 of a 30-day month lands on the 1st of the next; the round trip catches it.
        guard CivilDate.fromDaysSinceEpoch(number) == (Int64(year), Int64(month), Int64(day)) else { return nil }
        daysSinceEpoch = number
    }

    /// The local day, in `timeZone`, of the instant `instantMillis` (milliseconds since
    /// 1970-01-01T00:00:00Z).
    ///
    /// Uses the zone's offset at that very instant, so it is right on both sides of a
    /// daylight-saving change. It costs one `secondsFromGMT(for:)` and integer arithmetic,
    /// cheap enough to run for every stored response.
    public init(instantMillis: Int64, in timeZone: TimeZone) {
        let seconds = Self.floorDivide(instantMillis, 1000)
        let local = seconds + Int64(Self.offset(timeZone, atSeconds: seconds))
        daysSinceEpoch = Self.floorDivide(local, 86_400)
    }

    /// Year, month and day of the proleptic Gregorian calendar.
    public var date: (year: Int, month: Int, day: Int) {
        let (year, month, day) = CivilDate.fromDaysSinceEpoch(daysSinceEpoch)
        return (Int(year), Int(month), Int(day))
    }

    /// The first instant of this day in `timeZone`, in milliseconds since the epoch.
    ///
    /// Usually local midnight. When a clock change skips midnight (as in Havana or
    /// Santiago), the day starts at the end of the skipped hour; when midnight happens
    /// twice, at the first one. `startMillis` of the next day is the exclusive end of this
    /// one, so consecutive days never overlap or leave gaps.
    public func startMillis(in timeZone: TimeZone) -> Int64 {
        let midnight = daysSinceEpoch * 86_400
        func localSeconds(_ utc: Int64) -> Int64 { utc + Int64(Self.offset(timeZone, atSeconds: utc)) }
        // A zone's offset is within ±18 hours and changes at most once around a given day,
        // so the offsets a day before and after are the only ones midnight can be read with.
        let candidates = [86_400, -86_400]
            .map { midnight - Int64(Self.offset(timeZone, atSeconds: midnight - $0)) }
            .filter { localSeconds($0) == midnight }
        if let first = candidates.min() {
            return first * 1000
        }
        // Midnight was skipped: find the first instant whose local time is past it.
        var low = midnight - 2 * 86_400
        var high = midnight + 2 * 86_400
        while low < high {
            let middle = low + (high - low) / 2
            if localSeconds(middle) >= midnight { high = middle } else { low = middle + 1 }
        }
        return low * 1000
    }

    /// The date as `YYYY-MM-DD`.
    public var description: String {
        let (year, month, day) = date
        return Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
    }

    public static func < (lhs: LocalDay, rhs: LocalDay) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    /// The number of days from this day to `other`.
    public func distance(to other: LocalDay) -> Int64 {
        other.daysSinceEpoch - daysSinceEpoch
    }

    /// The day `days` days later (earlier when negative).
    public func advanced(by days: Int64) -> LocalDay {
        LocalDay(daysSinceEpoch: daysSinceEpoch + days)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func offset(_ timeZone: TimeZone, atSeconds seconds: Int64) -> Int {
        timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
