import Testing
@testable import SurveyCore

/// The case indicators of November 2026 over a handful of cases, figured by hand.
struct CaseIndicatorsTests {
    static func day(_ text: String) -> LocalDay { try! Period(parsing: text).firstDay }

    static let november = try! Period(parsing: "2026-11")

    /// Weekends only: 15 working days after Monday 11-02 is Monday 11-23.
    static let facts: [CaseFacts] = [
        // A: rectified on Thursday 11-05, three working days after Monday 11-02; reached; closed.
        CaseFacts(departmentCode: "SPK", openedDay: day("2026-11-02"), deadline: day("2026-11-23"), state: .closed,
                  rectifiedDay: day("2026-11-05"), callback: .satisfied),
        // B: opened Friday 11-06, due 11-27, rectified Monday 11-30 (late, 16 working days); unreachable.
        CaseFacts(departmentCode: "SPK", openedDay: day("2026-11-06"), deadline: day("2026-11-27"), state: .rectified,
                  rectifiedDay: day("2026-11-30"), callback: .unreachable),
        // C: still being worked on, due in December.
        CaseFacts(departmentCode: "SPK", openedDay: day("2026-11-20"), deadline: day("2026-12-11"), state: .inProgress),
        // D: closed by an upheld appeal: closed, but no callback and no deadline to meet.
        CaseFacts(departmentCode: "SPK", openedDay: day("2026-11-10"), deadline: day("2026-12-01"), state: .closed,
                  closedByAppeal: true),
        // E: opened in October, due 11-05, never rectified: due in November and late.
        CaseFacts(departmentCode: "SPK", openedDay: day("2026-10-15"), deadline: day("2026-11-05"), state: .new),
        // F: another department, opened in October, rectified before its November deadline.
        CaseFacts(departmentCode: "SWK", openedDay: day("2026-10-20"), deadline: day("2026-11-10"), state: .rectified,
                  rectifiedDay: day("2026-10-30"), callback: .dissatisfied),
        // G: December, nothing to do with November.
        CaseFacts(departmentCode: "SWK", openedDay: day("2026-12-01"), deadline: day("2026-12-22"), state: .new),
    ]

    @Test func byDepartment() {
        let figures = CaseIndicators.byDepartment(Self.facts, period: Self.november, calendar: .weekendsOnly)
        let permits = figures["SPK"]!
        #expect(permits == CaseIndicators(
            opened: 4, rectifiedOrClosed: 3, due: 3, rectifiedOnTime: 1, needingCallback: 3, callbacksMade: 1,
            rectified: 2, workingDaysToRectify: 19
        ))
        #expect(permits.rectificationRate?.value == 0.75)
        #expect(permits.onTimeRate.map { ($0.part, $0.whole) } ?? (0, 0) == (1, 3))
        #expect(permits.callbackRate.map { ($0.part, $0.whole) } ?? (0, 0) == (1, 3))
        #expect(permits.meanWorkingDaysToRectify == 9.5)

        let tax = figures["SWK"]!
        #expect(tax.opened == 0 && tax.rectificationRate == nil, "nothing opened: no rate, not 0 %")
        #expect(tax.onTimeRate?.value == 1)
        #expect(tax.callbackRate == nil && tax.meanWorkingDaysToRectify == nil)
    }

    @Test func theCenterPoolsTheCases() {
        let center = CaseIndicators.compute(Self.facts, period: Self.november, calendar: .weekendsOnly)
        #expect(center == CaseIndicators(
            opened: 4, rectifiedOrClosed: 3, due: 4, rectifiedOnTime: 2, needingCallback: 3, callbacksMade: 1,
            rectified: 2, workingDaysToRectify: 19
        ))
        #expect(center.onTimeRate?.value == 0.5)
    }

    @Test func holidaysAreNotWorkingDaysToRectify() throws {
        let october = try WorkingCalendar.weekendsOnly.adding(.init(
            year: 2026, holidays: Array(Self.day("2026-10-01")...Self.day("2026-10-07")), makeUpWorkingDays: [Self.day("2026-10-10")]
        ))
        // Opened Wednesday 9-30, rectified Monday 10-12: 10-08, 10-09, 10-10 (worked Saturday), 10-12.
        let fact = CaseFacts(departmentCode: "SPK", openedDay: Self.day("2026-09-30"), deadline: Self.day("2026-10-27"),
                             state: .rectified, rectifiedDay: Self.day("2026-10-12"), callback: .satisfied)
        let figures = CaseIndicators.compute([fact], period: try Period(parsing: "2026-Q3"), calendar: october)
        #expect(figures.meanWorkingDaysToRectify == 4)
    }

    @Test func noCasesNoRates() {
        let figures = CaseIndicators.compute([], period: Self.november, calendar: .weekendsOnly)
        #expect(figures == .zero)
        #expect(figures.rectificationRate == nil && figures.onTimeRate == nil && figures.callbackRate == nil)
        #expect(figures.meanWorkingDaysToRectify == nil)
    }
}
