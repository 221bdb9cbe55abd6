import Foundation
import SurveyCore
import SurveyStore
import Testing

/// A rating counts in the period it was given, however late it arrives; a late one is
/// not among what a publication before its arrival could have seen.
@Suite struct RatedAtTests {
    @Test func aRatingSentLaterCountsInThePeriodItWasGiven() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        var offline = f.submission(f.w1, 5, 5, 4)
        let given = StoreFixture.millis(beijing: "2026-09-30 23:50:00")
        let arrived = StoreFixture.millis(beijing: "2026-10-01 08:30:00")
        offline.ratedAtMillis = given
        let stored = try f.store.record(offline, atMillis: arrived).response
        #expect(stored.ratedAtMillis == given)
        #expect(stored.createdAtMillis == arrived)
        #expect(try f.store.response(clientID: offline.clientID)?.ratedAtMillis == given)

        let september = try Period.month(year: 2026, month: 9)
        let october = try Period.month(year: 2026, month: 10)
        #expect(try f.store.centerTally(september).responses == 1)
        #expect(try f.store.centerTally(october).responses == 0)
        // The raw rows agree with the rollups, and the local day follows rated_at.
        #expect(try f.store.recomputedTallies(september, by: .center).values.first?.responses == 1)
        #expect(try f.store.verify().isConsistent)

        // What a publication of September made before the rating arrived could not see it.
        let before = try f.store.recomputedTallies(september, by: .center, storedAtOrBefore: arrived - 1)
        #expect(before.isEmpty)
    }

    @Test func aRatingWithoutRatedAtIsGivenWhenItArrives() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let stored = try f.record(f.w2, (4, 4, 4), at: "2026-10-01 00:00:01")
        #expect(stored.ratedAtMillis == stored.createdAtMillis)
        #expect(try f.store.centerTally(Period.month(year: 2026, month: 10)).responses == 1)
        #expect(try f.store.verify().isConsistent)
    }

    @Test func aLateCommentIsAttachedOnceAndOnlyWhileTheWindowIsOpen() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let stored = try f.record(f.w1, (5, 5, 5), at: "2026-10-01 09:00:00")
        let since = stored.createdAtMillis - 1
        #expect(try f.store.attachComment("很好", toClientID: stored.clientID, storedSinceMillis: since) == .attached)
        // A retry of the same comment is fine; another comment is not.
        #expect(try f.store.attachComment("很好", toClientID: stored.clientID, storedSinceMillis: since) == .attached)
        #expect(try f.store.attachComment("再补充", toClientID: stored.clientID, storedSinceMillis: since) == .closed)
        #expect(try f.store.response(clientID: stored.clientID)?.comment == "很好")

        let old = try f.record(f.w1, (5, 5, 5), at: "2026-10-01 08:00:00")
        #expect(try f.store.attachComment("晚了", toClientID: old.clientID, storedSinceMillis: since) == .closed)
        #expect(try f.store.response(clientID: old.clientID)?.comment == nil)
        #expect(try f.store.attachComment("无此评价", toClientID: "no-such-client", storedSinceMillis: since) == .notFound)
    }
}
