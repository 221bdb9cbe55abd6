import Foundation
import SurveyCore
import SurveyStore
import Synchronization
import Testing

/// The rollups kept on every insert and status change always equal a recomputation from
/// the raw responses, whatever the path the responses came by.
@Suite struct RollupPropertyTests {
    static func groupings(_ f: StoreFixture) -> [TallyGrouping] {
        [
            .center, .department, .window(), .window(departmentID: f.permits.id),
            .staff(departmentID: f.permits.id), .item(departmentID: f.permits.id),
            .staff(departmentID: f.tax.id), .item(departmentID: f.tax.id),
        ]
    }

    /// Whole months (read from the month tables), single days, and ranges with partial
    /// months at either end (read from both).
    static let periods = [
        "2026-Q3", "2026-Q4", "2026-09", "2026-10", "2026-H2", "2026", "2027-Q1",
        "2026-09-30..2026-10-01", "2026-09-27..2026-10-31", "2026-08-20..2026-10-03", "2026-10-06",
    ]

    /// Compares rollups with the recomputation for every grouping and period, and runs verify.
    static func expectRollupsMatchResponses(_ f: StoreFixture, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for text in periods {
            for grouping in groupings(f) {
                let rolled = try f.store.tallies(period(text), by: grouping)
                let recomputed = try f.store.recomputedTallies(period(text), by: grouping)
                #expect(rolled == recomputed, "\(text) by \(grouping)", sourceLocation: sourceLocation)
            }
        }
        let report = try f.store.verify()
        #expect(report.isConsistent, "\(report.differences.prefix(5))", sourceLocation: sourceLocation)
        #expect(report.wrongLocalDays == 0, sourceLocation: sourceLocation)
    }

    /// A random submission in 2026-09-25 … 2026-10-06, a span with a quarter boundary,
    /// and (in New York) no DST change but several local midnights.
    static func randomSubmission(_ f: StoreFixture, _ random: inout SeededGenerator) -> (ValidatedSubmission, Int64) {
        let window = f.windows.randomElement(using: &random)!
        let staff: StaffMember? = switch Int.random(in: 0..<3, using: &random) {
        case 0: nil
        case 1: window.departmentID == f.permits.id ? f.s1 : f.s3
        default: window.departmentID == f.permits.id ? f.s2 : f.s3
        }
        let item: ServiceItem? = Bool.random(using: &random) ? nil : (window.departmentID == f.permits.id ? f.i1 : f.i2)
        // Weighted towards satisfied levels, like real ratings, with some 差评.
        func level() -> Int { [5, 5, 5, 4, 4, 3, 2, 1].randomElement(using: &random)! }
        let start = StoreFixture.millis(beijing: "2026-09-25 00:00:00")
        let millis = start + Int64.random(in: 0..<(12 * 86_400_000), using: &random)
        return (f.submission(window, level(), level(), level(), staff: staff, item: item), millis)
    }

    @Test(arguments: [1, 2, 3, 20_261_125] as [UInt64])
    func rollupsEqualRecomputationThroughInsertsFlagsAndRestores(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)

        // Single records, with replays that must not count twice.
        var ids: [Int64] = []
        for _ in 0..<120 {
            let (submission, millis) = Self.randomSubmission(f, &random)
            ids.append(try f.store.record(submission, atMillis: millis).response.id)
            if Int.random(in: 0..<10, using: &random) == 0 {
                #expect(try !f.store.record(submission, atMillis: millis + 5).created)
            }
        }
        // An import of history in one transaction.
        let batch = (0..<80).map { _ in Self.randomSubmission(f, &random) }
        #expect(try f.store.importResponses(batch.map { (submission: $0.0, atMillis: $0.1) }) == 80)
        // The group-commit writer (it stamps the current time).
        let writer = f.store.makeWriter(maxBatch: 16)
        writer.start()
        let group = DispatchGroup()
        let failures = Atomic<Int>(0)
        for _ in 0..<60 {
            group.enter()
            writer.submit(Self.randomSubmission(f, &random).0) { result in
                if case .failure = result { failures.add(1, ordering: .relaxed) }
                group.leave()
            }
        }
        group.wait()
        writer.stop()
        #expect(failures.load(ordering: .relaxed) == 0)
        try Self.expectRollupsMatchResponses(f)

        // Random exclusions and restores, including no-op changes.
        let allIDs = Array(1...Int64(try f.store.responseCount()))
        for _ in 0..<150 {
            let id = allIDs.randomElement(using: &random)!
            let status = [ResponseStatus.valid, .valid, .misuse, .invalid, .test].randomElement(using: &random)!
            let before = try #require(try f.store.status(responseID: id))
            let change = try f.store.setStatus(responseID: id, status: status, reason: "review \(id)")
            #expect((change == nil) == (before == status))
        }
        try Self.expectRollupsMatchResponses(f)
        #expect(try f.store.responseCount() == allIDs.count, "excluded responses are kept")

        // A rebuild from scratch lands on the same rollups as the incremental upkeep.
        let kept = try Self.periods.map { try f.store.tallies(period($0), by: .window()) }
        try f.store.rebuildRollups()
        #expect(try Self.periods.map { try f.store.tallies(period($0), by: .window()) } == kept)
        try Self.expectRollupsMatchResponses(f)

        // Everything back to valid: the tallies are those of all responses again.
        for id in allIDs where try f.store.status(responseID: id) != .valid {
            try f.store.setStatus(responseID: id, status: .valid, reason: "申诉复核通过")
        }
        try Self.expectRollupsMatchResponses(f)
        #expect(try f.store.centerTally(period("2026-09-25..2026-10-06")).responses == 200)
    }

    @Test func aZoneWithDaylightSavingKeepsRollupsExact() throws {
        // New York changes clocks on 2026-03-08 and 2026-11-01; local days are taken at
        // each instant's own offset on both sides.
        let f = try StoreFixture(timeZone: TimeZone(identifier: "America/New_York")!)
        var random = SeededGenerator(seed: 7)
        let start = StoreFixture.millis(beijing: "2026-10-30 00:00:00")
        for _ in 0..<150 {
            let window = f.windows.randomElement(using: &random)!
            let millis = start + Int64.random(in: 0..<(5 * 86_400_000), using: &random)
            try f.store.record(f.submission(window, 5, 4, 3), atMillis: millis)
        }
        for text in ["2026-10", "2026-11", "2026-10-31", "2026-11-01", "2026-11-02", "2026-Q4"] {
            #expect(try f.store.tallies(period(text), by: .window()) == (try f.store.recomputedTallies(period(text), by: .window())), "\(text)")
        }
        #expect(try f.store.verify().isConsistent)
    }
}
