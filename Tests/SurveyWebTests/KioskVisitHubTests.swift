import Foundation
@testable import SurveyWeb
import Synchronization
import Testing

/// The kiosks' long polls: each held poll is answered exactly once (by a push, its timer or
/// shutdown), their number is bounded, and a rated visit is no longer offered. Their event
/// streams: a push reaches the streams of its window only, and shutdown ends them.
@Suite struct KioskVisitHubTests {
    final class Answers: Sendable {
        let offers = Mutex<[KioskVisitOffer?]>([])
        var count: Int { offers.withLock { $0.count } }
        func record(_ offer: KioskVisitOffer?) { offers.withLock { $0.append(offer) } }
    }

    static func offer(_ id: Int64, window: String = "W01", until: Int64 = .max) -> KioskVisitOffer {
        KioskVisitOffer(visitID: id, ticket: "A\(id)", windowCode: window, token: String(repeating: "a", count: 64),
                        staffName: nil, serviceItemName: nil, offeredUntilMillis: until)
    }

    @Test func aHeldPollIsAnsweredByThePushForItsWindowOnly() {
        let hub = KioskVisitHub(maxWaiting: 8)
        let w01 = Answers(), w02 = Answers()
        guard case .held = hub.poll(window: "W01", after: 0, now: 0, hold: 60, deliver: w01.record),
              case .held = hub.poll(window: "W02", after: 0, now: 0, hold: 60, deliver: w02.record) else {
            Issue.record("the polls were not held")
            return
        }
        hub.push(Self.offer(7))
        #expect(w01.offers.withLock { $0 } == [Self.offer(7)])
        #expect(w02.count == 0 && hub.waiting == 1)
        hub.close()
        #expect(w02.offers.withLock { $0 } == [nil] && hub.waiting == 0)
        // After shutdown began, a poll is answered at once.
        guard case .now(nil) = hub.poll(window: "W02", after: 0, now: 0, hold: 60, deliver: w02.record) else {
            Issue.record("a poll was held after close")
            return
        }
    }

    @Test func aPushReachesTheStreamsOfItsWindowAndShutdownEndsThem() {
        let hub = KioskVisitHub(maxWaiting: 8, maxStreams: 2)
        let woken = Mutex(0)
        let w01 = hub.streams.subscribe(accepting: { $0.windowCode == "W01" }, wake: { woken.withLock { $0 += 1 } })
        let w02 = hub.streams.subscribe(accepting: { $0.windowCode == "W02" }, wake: {})
        #expect(hub.streams.subscribe(accepting: { _ in true }, wake: {}) == nil, "a third stream past the limit of two")
        hub.push(Self.offer(7))
        #expect(w01?.take().events == [Self.offer(7)] && woken.withLock { $0 } == 1)
        #expect(w02?.take().events == [])
        // The stream's starting point: the visit still offered, if newer than what it saw.
        #expect(hub.offered(window: "W01", after: 0, now: 0) == Self.offer(7))
        #expect(hub.offered(window: "W01", after: 7, now: 0) == nil)
        hub.close()
        #expect(w01?.take().ended == true && w02?.take().ended == true)
    }

    @Test func anOfferIsGivenAtOnceUntilItIsSeenRatedOrPastItsTime() {
        let hub = KioskVisitHub(maxWaiting: 8)
        hub.push(Self.offer(3, until: 1_000))
        guard case .now(let offer?) = hub.poll(window: "W01", after: 0, now: 10, hold: 60, deliver: { _ in }) else {
            Issue.record("the offer was not given at once")
            return
        }
        #expect(offer.visitID == 3)
        if case .now(let again) = hub.poll(window: "W01", after: 3, now: 10, hold: 0, deliver: { _ in }) { #expect(again == nil) }
        if case .now(let late) = hub.poll(window: "W01", after: 0, now: 1_000, hold: 0, deliver: { _ in }) { #expect(late == nil) }
        hub.withdraw(visitID: 3, window: "W01")
        if case .now(let rated) = hub.poll(window: "W01", after: 0, now: 10, hold: 0, deliver: { _ in }) { #expect(rated == nil) }
    }

    @Test func heldPollsAreBoundedAndTheirTimersAnswerThem() async throws {
        let hub = KioskVisitHub(maxWaiting: 2)
        let answers = Answers()
        for _ in 0..<2 {
            guard case .held = hub.poll(window: "W01", after: 0, now: 0, hold: 1, deliver: answers.record) else {
                Issue.record("not held")
                return
            }
        }
        guard case .full = hub.poll(window: "W01", after: 0, now: 0, hold: 1, deliver: answers.record) else {
            Issue.record("a third poll was held past the bound")
            return
        }
        // The one-second timers answer both, with no visit; the bound only stops a hung run.
        for _ in 0..<600 where answers.count < 2 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(answers.offers.withLock { $0 } == [nil, nil] && hub.waiting == 0)
        hub.push(Self.offer(1))
        #expect(answers.count == 2)
    }
}
