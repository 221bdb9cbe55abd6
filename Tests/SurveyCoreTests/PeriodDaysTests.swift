import Foundation
import Testing
@testable import SurveyCore

/// Periods as local days and as UTC instants, local days of instants across clock
/// changes, and the periods of a trend.
struct PeriodDaysTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    static let utc = TimeZone(identifier: "UTC")!

    private static func day(_ text: String) -> LocalDay {
        try! Period(parsing: text).firstDay
    }

    @Test(arguments: [
        ("2026-Q4", 1_790_784_000_000, 1_798_732_800_000),  // 2026-09-30T16:00Z ..< 2026-12-31T16:00Z
        ("2026-11", 1_793_462_400_000, 1_796_054_400_000),
        ("2026-H1", 1_767_196_800_000, 1_782_835_200_000),
        ("2026", 1_767_196_800_000, 1_798_732_800_000),
        ("2026-10-01..2026-10-15", 1_790_784_000_000, 1_792_080_000_000),
    ] as [(String, Int64, Int64)])
    func instantsInShanghai(_ text: String, start: Int64, end: Int64) throws {
        let period = try Period(parsing: text)
        #expect(period.startMillis(in: Self.shanghai) == start)
        #expect(period.endMillis(in: Self.shanghai) == end)
        // UTC is eight hours later.
        #expect(period.startMillis(in: Self.utc) == start + 8 * 3_600_000)
    }

    @Test func quarterFourStartsAtMidnightBeijingTime() throws {
        let q3 = try Period(parsing: "2026-Q3"), q4 = try Period(parsing: "2026-Q4")
        #expect(UTCTimestamp.string(millis: q4.startMillis(in: Self.shanghai)) == "2026-09-30T16:00:00.000Z")
        #expect(q3.endMillis(in: Self.shanghai) == q4.startMillis(in: Self.shanghai))
        // 2026-09-30 23:59:59 (and .999) in Shanghai is still the third quarter…
        for instant: Int64 in [1_790_783_999_000, 1_790_783_999_999] {
            let local = LocalDay(instantMillis: instant, in: Self.shanghai)
            #expect(local.description == "2026-09-30")
            #expect(q3.contains(local) && !q4.contains(local))
        }
        // …and 2026-10-01 00:00:00 is the fourth.
        let midnight = LocalDay(instantMillis: 1_790_784_000_000, in: Self.shanghai)
        #expect(midnight.description == "2026-10-01" && q4.contains(midnight) && !q3.contains(midnight))
        #expect(midnight.daysSinceEpoch == 20_727)
        // The same instant is still 30 September in UTC.
        #expect(LocalDay(instantMillis: 1_790_784_000_000, in: Self.utc).description == "2026-09-30")
    }

    @Test(arguments: [
        (0, "UTC", "1970-01-01"),
        (-1, "UTC", "1969-12-31"),
        (-1, "Asia/Shanghai", "1970-01-01"),
        (-28_800_001, "Asia/Shanghai", "1969-12-31"),
        // New York on the night clocks go back (2026-11-01 01:30 happens twice).
        (1_793_511_000_000, "America/New_York", "2026-11-01"),
        (1_793_593_800_000, "America/New_York", "2026-11-01"),  // 23:30 EST
        (1_793_595_600_000, "America/New_York", "2026-11-02"),  // 00:00 EST
    ] as [(Int64, String, String)])
    func localDayOfAnInstant(_ millis: Int64, zone: String, expected: String) {
        #expect(LocalDay(instantMillis: millis, in: TimeZone(identifier: zone)!).description == expected)
    }

    /// Days whose start is not a plain local midnight, checked against the IANA database
    /// through Python's zoneinfo.
    @Test(arguments: [
        ("Europe/Berlin", "2026-03-29", 1_774_738_800),  // 23-hour day, starts at 00:00 CET
        ("Europe/Berlin", "2026-03-30", 1_774_821_600),  // 00:00 CEST
        ("America/New_York", "2026-11-02", 1_793_595_600),  // after the 25-hour day
        ("America/Havana", "2026-03-08", 1_772_946_000),  // midnight skipped: starts at 01:00 CDT
        ("America/Havana", "2026-11-01", 1_793_505_600),  // midnight happens twice: the first
        ("America/Santiago", "2026-09-06", 1_788_667_200),  // 24:00 → 01:00: starts at 01:00
        ("America/Santiago", "2026-04-05", 1_775_361_600),
        ("Pacific/Apia", "2011-12-30", 1_325_239_200),  // Samoa skipped this day entirely…
        ("Pacific/Apia", "2011-12-31", 1_325_239_200),  // …so it ends where it starts
    ] as [(String, String, Int64)])
    func startOfUnusualDays(zone: String, date: String, startSeconds: Int64) {
        #expect(Self.day(date).startMillis(in: TimeZone(identifier: zone)!) == startSeconds * 1000)
    }

    /// Every day of a year, in zones with and without clock changes: a day's start belongs to
    /// the day (unless the day was skipped), the instant before it to an earlier day, and
    /// consecutive days tile time without gaps or overlaps.
    @Test(arguments: ["Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York", "America/Havana",
                      "America/Santiago", "Australia/Lord_Howe", "Asia/Kolkata", "Pacific/Chatham"])
    func daysTileTime(zone: String) {
        let timeZone = TimeZone(identifier: zone)!
        let first = Self.day("2026-01-01")
        for day in first..<first.advanced(by: 366) {
            let start = day.startMillis(in: timeZone)
            let next = day.advanced(by: 1).startMillis(in: timeZone)
            #expect(next - start >= 22 * 3_600_000 && next - start <= 26 * 3_600_000, "\(day) in \(zone)")
            #expect(LocalDay(instantMillis: start, in: timeZone) == day, "\(day) in \(zone)")
            #expect(LocalDay(instantMillis: start - 1, in: timeZone) == day.advanced(by: -1), "\(day) in \(zone)")
            #expect(LocalDay(instantMillis: next - 1, in: timeZone) == day, "\(day) in \(zone)")
        }
    }

    @Test(arguments: [
        ("2026-Q1", 3, ["2025-Q3", "2025-Q4", "2026-Q1"]),
        ("2026-01", 3, ["2025-11", "2025-12", "2026-01"]),
        ("2026-H1", 4, ["2024-H2", "2025-H1", "2025-H2", "2026-H1"]),
        ("2026", 3, ["2024", "2025", "2026"]),
        ("2026-01-01..2026-01-10", 3, ["2025-12-12..2025-12-21", "2025-12-22..2025-12-31", "2026-01-01..2026-01-10"]),
        ("2024-03-01", 2, ["2024-02-29", "2024-03-01"]),
        ("2026-11", 1, ["2026-11"]),
        ("2026-11", 0, []),
        ("0001", 3, ["0001"]),
        ("0001-02", 3, ["0001-01", "0001-02"]),
        ("0001-01-03..0001-01-04", 3, ["0001-01-01..0001-01-02", "0001-01-03..0001-01-04"]),
    ] as [(String, Int, [String])])
    func trend(_ text: String, count: Int, expected: [String]) throws {
        let periods = try Period(parsing: text).trend(count: count)
        #expect(periods.map(\.description) == expected)
        // A trend's periods follow each other without gaps, in days and in instants.
        for (earlier, later) in zip(periods, periods.dropFirst()) {
            #expect(earlier.lastDay.advanced(by: 1) == later.firstDay)
            #expect(earlier.endMillis(in: Self.shanghai) == later.startMillis(in: Self.shanghai))
            #expect(earlier.dayCount == later.dayCount || earlier.kind != .days)
        }
    }

    @Test func previousAtTheStartOfTheCalendar() throws {
        #expect(try Period(parsing: "0001-01").previous == nil)
        #expect(try Period(parsing: "0001-Q1").previous == nil)
        #expect(try Period(parsing: "0001-H1").previous == nil)
        #expect(try Period(parsing: "0001-01-01").previous == nil)
        #expect(try Period(parsing: "2027-Q1").previous?.description == "2026-Q4")
    }

    @Test(arguments: [
        ("2026-11-25", Period.Granularity.month, "2026-11"),
        ("2026-11-25", .quarter, "2026-Q4"),
        ("2026-11-25", .half, "2026-H2"),
        ("2026-11-25", .year, "2026"),
        ("2026-01-01", .quarter, "2026-Q1"),
        ("2026-03-31", .quarter, "2026-Q1"),
        ("2026-04-01", .quarter, "2026-Q2"),
        ("2026-06-30", .half, "2026-H1"),
        ("2026-07-01", .half, "2026-H2"),
    ])
    func periodContainingADay(_ date: String, granularity: Period.Granularity, expected: String) throws {
        let period = try #require(Period.containing(Self.day(date), granularity: granularity))
        #expect(period.description == expected)
        #expect(period.contains(Self.day(date)))
    }

    @Test(arguments: [
        (2026, 2, 28, "2026-02-28", 20_512),
        (2024, 2, 29, "2024-02-29", 19_782),
        (1970, 1, 1, "1970-01-01", 0),
        (1969, 12, 31, "1969-12-31", -1),
        (1, 1, 1, "0001-01-01", -719_162),
    ] as [(Int, Int, Int, String, Int64)])
    func localDayFromADate(year: Int, month: Int, day: Int, text: String, number: Int64) throws {
        let local = try #require(LocalDay(year: year, month: month, day: day))
        #expect(local.description == text)
        #expect(local.daysSinceEpoch == number)
        #expect(local.date == (year, month, day))
    }

    @Test(arguments: [(2026, 2, 29), (2026, 4, 31), (2026, 13, 1), (2026, 0, 1), (2026, 1, 0), (0, 1, 1), (10_000, 1, 1)])
    func noSuchDate(year: Int, month: Int, day: Int) {
        #expect(LocalDay(year: year, month: month, day: day) == nil)
    }
}
