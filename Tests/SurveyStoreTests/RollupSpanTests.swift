import SurveyCore
@testable import SurveyStore
import Testing

/// A period is read as whole months from the month tables plus the days around them from
/// the day tables; every day is read exactly once.
@Suite struct RollupSpanTests {
    static func day(_ text: String) -> Int64 { try! Period(parsing: text).firstDay.daysSinceEpoch }

    @Test(arguments: ["2026-10", "2026-Q4", "2026-H1", "2026", "2026-02-01..2026-02-28", "2024-02-01..2024-02-29"])
    func wholeMonthsAreOneMonthSpan(text: String) throws {
        let period = try Period(parsing: text)
        #expect(SurveyStore.spans(of: period) == [
            .init(months: true, first: period.firstDay.daysSinceEpoch, last: period.lastDay.daysSinceEpoch),
        ])
    }

    @Test func aRangeWithinAMonthIsDays() throws {
        #expect(SurveyStore.spans(of: try Period(parsing: "2026-10-02..2026-10-31")) == [
            .init(months: false, first: Self.day("2026-10-02"), last: Self.day("2026-10-31")),
        ])
        #expect(SurveyStore.spans(of: try Period(parsing: "2026-02-01..2026-02-27")) == [
            .init(months: false, first: Self.day("2026-02-01"), last: Self.day("2026-02-27")),
        ])
    }

    @Test func aRangeAcrossMonthsHasDaysMonthsDays() throws {
        #expect(SurveyStore.spans(of: try Period(parsing: "2026-09-28..2026-12-02")) == [
            .init(months: false, first: Self.day("2026-09-28"), last: Self.day("2026-09-30")),
            .init(months: true, first: Self.day("2026-10-01"), last: Self.day("2026-11-30")),
            .init(months: false, first: Self.day("2026-12-01"), last: Self.day("2026-12-02")),
        ])
        // Across a year end, and two partial months with no whole month between.
        #expect(SurveyStore.spans(of: try Period(parsing: "2026-12-01..2027-01-31")) == [
            .init(months: true, first: Self.day("2026-12-01"), last: Self.day("2027-01-31")),
        ])
        #expect(SurveyStore.spans(of: try Period(parsing: "2026-12-15..2027-01-15")) == [
            .init(months: false, first: Self.day("2026-12-15"), last: Self.day("2027-01-15")),
        ])
    }

    /// The SQL month of the triggers and the Swift month of the planner agree, including
    /// before 1970 and in leap years.
    @Test(arguments: ["1969-12-31", "1970-01-01", "2024-02-29", "2026-09-30", "2026-10-01", "2100-03-01", "0001-01-01", "9999-12-31"])
    func monthStartsAgree(text: String) throws {
        let day = Self.day(text)
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        let sql = try store.pool.read { db in try Int64.fetchOne(db, sql: "SELECT " + Rollups.monthStartSQL("?"), arguments: [day]) }
        #expect(sql == Rollups.monthStart(day))
    }
}
