import Foundation
import SurveyCore
import SurveyStore
import Testing

/// Period boundaries are local days in the center's zone, and the store refuses to mix
/// local days of two zones.
@Suite struct TimeZoneTests {
    @Test func theLastSecondOfSeptemberInShanghaiIsInTheThirdQuarter() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let last = try f.record(f.w1, (5, 5, 5), at: "2026-09-30 23:59:59")
        let first = try f.record(f.w1, (1, 1, 1), at: "2026-10-01 00:00:00")
        #expect(UTCTimestamp.string(millis: last.createdAtMillis) == "2026-09-30T15:59:59.000Z")
        #expect(UTCTimestamp.string(millis: first.createdAtMillis) == "2026-09-30T16:00:00.000Z")

        let q3 = try f.store.centerTally(period("2026-Q3"))
        let q4 = try f.store.centerTally(period("2026-Q4"))
        #expect(q3.responses == 1 && q3.attitude.verySatisfied == 1)
        #expect(q4.responses == 1 && q4.attitude.veryDissatisfied == 1)
        #expect(try f.store.recomputedTallies(period("2026-Q3"), by: .center)[.center] == q3)
        #expect(try f.store.recomputedTallies(period("2026-Q4"), by: .center)[.center] == q4)
    }

    @Test func aStoreInUTCPutsBothInstantsOnTheThirtiethOfSeptember() throws {
        let f = try StoreFixture(timeZone: TimeZone(identifier: "UTC")!)
        try f.record(f.w1, (5, 5, 5), at: "2026-09-30 23:59:59")
        try f.record(f.w1, (1, 1, 1), at: "2026-10-01 00:00:00")
        #expect(try f.store.centerTally(period("2026-Q3")).responses == 2)
        #expect(try f.store.centerTally(period("2026-Q4")).responses == 0)
    }

    @Test func openingWithAnotherZoneIsRefusedUntilARebuildIsAskedFor() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        try f.record(f.w1, (5, 5, 5), at: "2026-09-30 23:59:59")
        try f.record(f.w1, (1, 1, 1), at: "2026-10-01 00:00:00")
        try f.store.close()

        // Foundation on Linux names this zone "GMT"; the store records whatever it is called.
        let utc = TimeZone(identifier: "UTC")!
        #expect(throws: RollupError.timeZoneChanged(builtFor: "Asia/Shanghai", openedWith: utc.identifier)) {
            try SurveyStore(path: f.path, timeZone: utc)
        }
        // Refusing changed nothing: the original zone still opens with its figures.
        let again = try SurveyStore(path: f.path, timeZone: StoreFixture.shanghai)
        #expect(try again.centerTally(period("2026-Q4")).responses == 1)
        try again.close()

        let rebuilt = try SurveyStore(path: f.path, timeZone: utc, ifTimeZoneChanged: .rebuild)
        #expect(try rebuilt.rollupTimeZoneIdentifier() == utc.identifier)
        #expect(try rebuilt.centerTally(period("2026-Q3")).responses == 2)
        #expect(try rebuilt.centerTally(period("2026-Q4")).responses == 0)
        #expect(try rebuilt.verify().isConsistent)
        try rebuilt.close()
        #expect(try SurveyStore(path: f.path, timeZone: utc).centerTally(period("2026-Q3")).responses == 2)
    }

    @Test func theZoneErrorTellsWhatToRun() {
        let error = RollupError.timeZoneChanged(builtFor: "Asia/Shanghai", openedWith: "UTC")
        #expect(error.code == "rollup_time_zone_changed")
        #expect(error.englishMessage.contains("pingjia verify --rebuild"))
        #expect(error.chineseMessage.contains("pingjia verify --rebuild"))
    }
}
