import Foundation
import SurveyCore
import SurveyStore
import Testing

/// Tallies per grouping on a hand-built center, with every expected count written out.
@Suite struct TallyTests {
    /// 2026-Q4 holds 7 valid responses; one September response and one misuse are not in it.
    ///
    /// | window | staff | item | levels (a, e, r) | count | 差评 |
    /// |---|---|---|---|---|---|
    /// | W1 (审批科) | S1 | I1 | 5, 5, 5 | 2 | no |
    /// | W1 | S2 | – | 2, 3, 4 | 1 | yes |
    /// | W2 (审批科) | – | I1 | 1, 1, 1 | 1 | yes |
    /// | W3 (税务科) | S3 | I2 | 4, 4, 4 | 3 | no |
    static func center() throws -> StoreFixture {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        try f.record(f.w1, (5, 5, 5), at: "2026-10-05 09:00:00", staff: f.s1, item: f.i1)
        try f.record(f.w1, (5, 5, 5), at: "2026-11-20 15:30:00", staff: f.s1, item: f.i1)
        try f.record(f.w1, (2, 3, 4), at: "2026-10-05 10:00:00", staff: f.s2)
        try f.record(f.w2, (1, 1, 1), at: "2026-12-31 23:59:59", item: f.i1)
        for day in ["2026-10-08", "2026-10-09", "2026-12-01"] {
            try f.record(f.w3, (4, 4, 4), at: "\(day) 11:00:00", staff: f.s3, item: f.i2)
        }
        try f.record(f.w1, (3, 3, 3), at: "2026-09-30 12:00:00", staff: f.s1)        // Q3
        let misuse = try f.record(f.w2, (1, 1, 1), at: "2026-10-10 10:00:00")       // excluded
        try f.store.setStatus(responseID: misuse.id, status: .misuse, reason: "连续按键")
        return f
    }

    static func tally(_ n: Int64, _ negative: Int64, a: LevelCounts, e: LevelCounts, r: LevelCounts) throws -> ResponseTally {
        try ResponseTally(attitude: a, efficiency: e, result: r, responses: n, negative: negative)
    }

    @Test func theCenterCountsEveryValidResponseOfThePeriod() throws {
        let f = try Self.center()
        let expected = try Self.tally(
            7, 2,
            a: LevelCounts(verySatisfied: 2, satisfied: 3, dissatisfied: 1, veryDissatisfied: 1),
            e: LevelCounts(verySatisfied: 2, satisfied: 3, neutral: 1, veryDissatisfied: 1),
            r: LevelCounts(verySatisfied: 2, satisfied: 4, veryDissatisfied: 1)
        )
        #expect(try f.store.tallies(period("2026-Q4"), by: .center) == [.center: expected])
        #expect(try f.store.centerTally(period("2026-Q4")) == expected)
        #expect(try f.store.recomputedTallies(period("2026-Q4"), by: .center) == [.center: expected])
        #expect(try f.store.centerTally(period("2026-Q3")).responses == 1)
        #expect(try f.store.centerTally(period("2025")) == .zero)
        #expect(try f.store.tallies(period("2025"), by: .center).isEmpty)
    }

    @Test func departmentsAndWindowsSplitTheCenter() throws {
        let f = try Self.center()
        let q4 = period("2026-Q4")
        let permits = try Self.tally(
            4, 2,
            a: LevelCounts(verySatisfied: 2, dissatisfied: 1, veryDissatisfied: 1),
            e: LevelCounts(verySatisfied: 2, neutral: 1, veryDissatisfied: 1),
            r: LevelCounts(verySatisfied: 2, satisfied: 1, veryDissatisfied: 1)
        )
        let fours = try Self.tally(3, 0, a: LevelCounts(satisfied: 3), e: LevelCounts(satisfied: 3), r: LevelCounts(satisfied: 3))
        #expect(try f.store.tallies(q4, by: .department) == [.department(id: f.permits.id): permits, .department(id: f.tax.id): fours])

        let w1 = try Self.tally(
            3, 1,
            a: LevelCounts(verySatisfied: 2, dissatisfied: 1), e: LevelCounts(verySatisfied: 2, neutral: 1),
            r: LevelCounts(verySatisfied: 2, satisfied: 1)
        )
        let w2 = try Self.tally(
            1, 1, a: LevelCounts(veryDissatisfied: 1), e: LevelCounts(veryDissatisfied: 1), r: LevelCounts(veryDissatisfied: 1)
        )
        #expect(try f.store.tallies(q4, by: .window()) == [.window(id: f.w1.id): w1, .window(id: f.w2.id): w2, .window(id: f.w3.id): fours])
        #expect(try f.store.tallies(q4, by: .window(departmentID: f.permits.id)) == [.window(id: f.w1.id): w1, .window(id: f.w2.id): w2])
        #expect(try f.store.recomputedTallies(q4, by: .window(departmentID: f.permits.id)) == [.window(id: f.w1.id): w1, .window(id: f.w2.id): w2])
    }

    @Test func staffAndItemsSplitADepartmentWithTheUnnamedApart() throws {
        let f = try Self.center()
        let q4 = period("2026-Q4")
        let staff = try f.store.tallies(q4, by: .staff(departmentID: f.permits.id))
        #expect(staff.mapValues(\.responses) == [.staff(id: f.s1.id): 2, .staff(id: f.s2.id): 1, .staff(id: nil): 1])
        #expect(staff[.staff(id: f.s2.id)]?.negative == 1)
        #expect(staff[.staff(id: f.s2.id)]?.efficiency == LevelCounts(neutral: 1))
        let items = try f.store.tallies(q4, by: .item(departmentID: f.permits.id))
        #expect(items.mapValues(\.responses) == [.item(id: f.i1.id): 3, .item(id: nil): 1])
        #expect(items[.item(id: f.i1.id)]?.negative == 1)
        #expect(try f.store.tallies(q4, by: .staff(departmentID: f.tax.id)).mapValues(\.responses) == [.staff(id: f.s3.id): 3])
        #expect(try f.store.recomputedTallies(q4, by: .staff(departmentID: f.permits.id)) == staff)
        #expect(try f.store.recomputedTallies(q4, by: .item(departmentID: f.permits.id)) == items)
    }

    @Test func aTrendHasOneEntryPerPeriodOldestFirst() throws {
        let f = try Self.center()
        let months = period("2026-12").trend(count: 5)
        let trend = try f.store.trendTallies(months, by: .center)
        #expect(trend.map { $0[.center]?.responses ?? 0 } == [0, 1, 4, 1, 2])
        let byDepartment = try f.store.trendTallies(months, by: .department)
        #expect(byDepartment.map { $0[.department(id: f.tax.id)]?.responses ?? 0 } == [0, 0, 2, 0, 1])
        let months2026 = (1...12).map { try! Period.month(year: 2026, month: $0) }
        let pooled = try f.store.trendTallies(months2026, by: .center).compactMap { $0[.center] }.reduce(.zero, +)
        #expect(pooled == (try f.store.centerTally(period("2026"))))
    }

    @Test func aDayRangeSelectsLocalDaysInclusively() throws {
        let f = try Self.center()
        #expect(try f.store.centerTally(period("2026-10-05")).responses == 2)
        #expect(try f.store.centerTally(period("2026-10-05..2026-10-08")).responses == 3)
        #expect(try f.store.centerTally(period("2026-12-31")).responses == 1)
    }
}
