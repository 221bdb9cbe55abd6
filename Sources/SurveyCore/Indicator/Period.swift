import Foundation

/// A reporting period: a month, quarter, half year, year, or an inclusive range of days,
/// always in the center's local calendar.
///
/// A period is a closed range of `LocalDay`s, `firstDay...lastDay`. Its instants, for
/// queries on timestamps, are `startMillis(in:)` inclusive to `endMillis(in:)` exclusive.
/// Its text form (`2026-11`, `2026-Q4`, `2026-H2`, `2026`, `2026-10-01..2026-10-15`) is
/// what the API and the CLI accept and print, and `description` parses back to an equal
/// period. A period can only be made through the checking factories or the parser, so
/// every value names real days in years 0001–9999.
public struct Period: Sendable, Hashable, CustomStringConvertible {
    /// What kind of period this is, with the numbers that name it.
    public enum Kind: Sendable, Hashable {
        /// A calendar month, 1–12.
        case month(year: Int, month: Int)
        /// A quarter, 1–4: Q1 is January to March.
        case quarter(year: Int, quarter: Int)
        /// A half year, 1–2: H1 is January to June.
        case half(year: Int, half: Int)
        /// A calendar year.
        case year(Int)
        /// Any inclusive range of days, `firstDay...lastDay`.
        case days
    }

    /// The kind of period.
    public let kind: Kind
    /// The first day of the period.
    public let firstDay: LocalDay
    /// The last day of the period, included.
    public let lastDay: LocalDay

    private init(kind: Kind, firstDay: LocalDay, lastDay: LocalDay) {
        self.kind = kind
        self.firstDay = firstDay
        self.lastDay = lastDay
    }

    /// The month `month` (1–12) of `year`.
    public static func month(year: Int, month: Int) throws(PeriodError) -> Period {
        let text = LocalDay.padded(year, 4) + "-" + LocalDay.padded(month, 2)
        guard (1...12).contains(month) else { throw .monthOutOfRange(text) }
        return try months(.month(year: year, month: month), year: year, first: month, count: 1, text: text)
    }

    /// The quarter `quarter` (1–4) of `year`.
    public static func quarter(year: Int, quarter: Int) throws(PeriodError) -> Period {
        let text = LocalDay.padded(year, 4) + "-Q\(quarter)"
        guard (1...4).contains(quarter) else { throw .quarterOutOfRange(text) }
        return try months(.quarter(year: year, quarter: quarter), year: year, first: 3 * quarter - 2, count: 3, text: text)
    }

    /// The half year `half` (1 for January–June, 2 for July–December) of `year`.
    public static func half(year: Int, half: Int) throws(PeriodError) -> Period {
        let text = LocalDay.padded(year, 4) + "-H\(half)"
        guard (1...2).contains(half) else { throw .halfOutOfRange(text) }
        return try months(.half(year: year, half: half), year: year, first: 6 * half - 5, count: 6, text: text)
    }

    /// The calendar year `year`.
    public static func year(_ year: Int) throws(PeriodError) -> Period {
        try months(.year(year), year: year, first: 1, count: 12, text: LocalDay.padded(year, 4))
    }

    /// The days from `first` through `last`, both included; one day when they are equal.
    public static func days(from first: LocalDay, through last: LocalDay) throws(PeriodError) -> Period {
        let text = "\(first)..\(last)"
        guard LocalDay.supportedYears.contains(first.date.year), LocalDay.supportedYears.contains(last.date.year) else {
            throw .yearOutOfRange(text)
        }
        guard first <= last else { throw .reversedRange(text) }
        return Period(kind: .days, firstDay: first, lastDay: last)
    }

    /// `count` whole months starting with month `first` of `year`.
    private static func months(_ kind: Kind, year: Int, first: Int, count: Int, text: String) throws(PeriodError) -> Period {
        guard LocalDay.supportedYears.contains(year) else { throw .yearOutOfRange(text) }
        let start = CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(first), day: 1)
        let next = first + count
        let end = next > 12
            ? CivilDate.daysSinceEpoch(year: Int64(year) + 1, month: Int64(next - 12), day: 1)
            : CivilDate.daysSinceEpoch(year: Int64(year), month: Int64(next), day: 1)
        return Period(kind: kind, firstDay: LocalDay(daysSinceEpoch: start), lastDay: LocalDay(daysSinceEpoch: end - 1))
    }

    /// How many days the period has.
    public var dayCount: Int64 { firstDay.distance(to: lastDay) + 1 }

    /// The period's days as a closed range.
    public var days: ClosedRange<LocalDay> { firstDay...lastDay }

    /// Whether `day` is one of the period's days.
    public func contains(_ day: LocalDay) -> Bool { days.contains(day) }

    /// The period's first instant in `timeZone`, in milliseconds since the epoch, included.
    public func startMillis(in timeZone: TimeZone) -> Int64 {
        firstDay.startMillis(in: timeZone)
    }

    /// The first instant after the period in `timeZone`, in milliseconds since the epoch,
    /// excluded; it is the next period's `startMillis`, so periods tile time exactly.
    public func endMillis(in timeZone: TimeZone) -> Int64 {
        lastDay.advanced(by: 1).startMillis(in: timeZone)
    }

    /// The canonical text: `2026-11`, `2026-Q4`, `2026-H2`, `2026`, `2026-10-01..2026-10-15`,
    /// or a single date such as `2026-10-01` for a one-day range.
    public var description: String {
        switch kind {
        case .month(let year, let month): LocalDay.padded(year, 4) + "-" + LocalDay.padded(month, 2)
        case .quarter(let year, let quarter): LocalDay.padded(year, 4) + "-Q\(quarter)"
        case .half(let year, let half): LocalDay.padded(year, 4) + "-H\(half)"
        case .year(let year): LocalDay.padded(year, 4)
        case .days: firstDay == lastDay ? "\(firstDay)" : "\(firstDay)..\(lastDay)"
        }
    }
}
