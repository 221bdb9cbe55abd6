import Testing
@testable import SurveyCore

/// Working days across weekends, public holidays and make-up working days (调休), on the
/// 2026 official schedule as deploy/calendar/cn-2026.json ships it.
struct WorkingCalendarTests {
    static func day(_ text: String) -> LocalDay {
        let parts = text.split(separator: "-").map { Int($0)! }
        return LocalDay(year: parts[0], month: parts[1], day: parts[2])!
    }

    static func range(_ from: String, _ to: String) -> [LocalDay] { Array(day(from)...day(to)) }

    /// The 2026 schedule, the same days as the shipped file.
    static let year2026 = WorkingCalendar.Year(
        year: 2026,
        holidays: range("2026-01-01", "2026-01-03") + range("2026-02-15", "2026-02-23") + range("2026-04-04", "2026-04-06")
            + range("2026-05-01", "2026-05-05") + range("2026-06-19", "2026-06-21") + range("2026-09-25", "2026-09-27")
            + range("2026-10-01", "2026-10-07"),
        makeUpWorkingDays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"].map(day)
    )
    static let calendar = try! WorkingCalendar.weekendsOnly.adding(year2026)

    @Test(arguments: [
        ("2026-11-27", true),   // Friday
        ("2026-11-28", false),  // Saturday
        ("2026-11-29", false),  // Sunday
        ("2026-10-01", false),  // 国庆, a Thursday
        ("2026-10-10", true),   // 调休: a Saturday worked
        ("2026-09-20", true),   // 调休: a Sunday worked
        ("2026-01-04", true),   // 元旦调休, a Sunday
        ("2026-02-16", false),  // 春节, a Monday
        ("2026-06-19", false),  // 端午, a Friday
    ])
    func workingDays(_ text: String, _ working: Bool) {
        #expect(Self.calendar.isWorkingDay(Self.day(text)) == working)
    }

    @Test(arguments: [
        // (opened, working days, deadline)
        ("2026-11-02", 15, "2026-11-23"),  // plain weeks: three weeks later
        ("2026-11-27", 1, "2026-11-30"),   // Friday + 1 skips the weekend
        ("2026-11-28", 1, "2026-11-30"),   // opened on a Saturday: Monday is the first
        ("2026-09-30", 1, "2026-10-08"),   // across 国庆 (10/1–10/7)
        ("2026-09-18", 1, "2026-09-20"),   // Friday + 1 is the Sunday worked
        ("2026-10-09", 1, "2026-10-10"),   // Friday + 1 is the Saturday worked
        ("2026-09-18", 15, "2026-10-15"),  // 15 working days across 中秋 and 国庆 with both 调休
        ("2026-02-13", 1, "2026-02-14"),   // the Saturday before 春节 is worked
        ("2026-02-14", 1, "2026-02-24"),   // then nine days off
        ("2026-02-13", 15, "2026-03-12"),  // 15 across 春节, counting 2/14 and 2/28
        ("2026-12-31", 1, "2027-01-01"),   // no 2027 data: weekends only
        ("2026-11-27", 0, "2026-11-27"),
    ])
    func deadlines(_ opened: String, _ days: Int, _ deadline: String) {
        #expect(Self.calendar.adding(workingDays: days, after: Self.day(opened)) == Self.day(deadline))
        // And back: the deadline is exactly `days` working days after the opening.
        #expect(Self.calendar.workingDays(after: Self.day(opened), through: Self.day(deadline)) == days)
    }

    @Test func weekendsOnlyWithoutData() {
        #expect(!WorkingCalendar.weekendsOnly.isWorkingDay(Self.day("2026-11-28")))
        #expect(WorkingCalendar.weekendsOnly.isWorkingDay(Self.day("2026-10-01")))
        #expect(WorkingCalendar.weekendsOnly.workingDays(after: Self.day("2026-11-30"), through: Self.day("2026-11-27")) == 0)
    }

    @Test func weekdays() {
        #expect(Self.day("1970-01-01").weekday == 4)
        #expect(Self.day("2026-11-29").weekday == 0)
        #expect(Self.day("1969-12-31").weekday == 3)
    }

    @Test func badYearsAreRefused() {
        #expect(throws: WorkingCalendar.DataError.dayOutsideYear(Self.day("2025-12-31"), year: 2026)) {
            try WorkingCalendar.weekendsOnly.adding(.init(year: 2026, holidays: [Self.day("2025-12-31")], makeUpWorkingDays: []))
        }
        #expect(throws: WorkingCalendar.DataError.dayListedTwice(Self.day("2026-01-01"))) {
            try WorkingCalendar.weekendsOnly.adding(.init(year: 2026, holidays: [Self.day("2026-01-01"), Self.day("2026-01-01")], makeUpWorkingDays: []))
        }
        #expect(throws: WorkingCalendar.DataError.makeUpDayNotOnWeekend(Self.day("2026-11-27"))) {
            try WorkingCalendar.weekendsOnly.adding(.init(year: 2026, holidays: [], makeUpWorkingDays: [Self.day("2026-11-27")]))
        }
        #expect(throws: WorkingCalendar.DataError.yearListedTwice(2026)) {
            try Self.calendar.adding(.init(year: 2026, holidays: [], makeUpWorkingDays: []))
        }
    }

    @Test func casePolicyCountsExtensionsAsWorkingDays() {
        let policy = CasePolicy(deadlineWorkingDays: 15, calendar: Self.calendar)
        #expect(policy.deadline(openedOn: Self.day("2026-09-18")) == Self.day("2026-10-15"))
        #expect(policy.deadline(openedOn: Self.day("2026-09-18"), extensionDays: 2) == Self.day("2026-10-19"))
    }
}
