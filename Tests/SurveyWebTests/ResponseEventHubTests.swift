import Foundation
import SurveyCore
@testable import SurveyStore
import Synchronization
import Testing
@testable import SurveyWeb

/// The hub that tells live pages about stored responses: filters, wakes, bounds, and the
/// event stream's state on top of it.
@Suite struct ResponseEventHubTests {
    static func response(_ id: Int64, department: String = "SCJG", level: Level = .veryDissatisfied) -> StoredResponse {
        StoredResponse(
            id: id, clientID: "c\(id)", windowCode: "W01", departmentCode: department,
            ratings: Ratings(attitude: level, efficiency: .verySatisfied, result: .verySatisfied),
            comment: nil, reasons: [], channel: .kiosk, serviceItemCode: nil, staffCode: nil, createdAtMillis: id * 1000
        )
    }

    /// What a head of SCJG's stream accepts.
    static let headOfSCJG: @Sendable (StoredResponse) -> Bool = { $0.isNegative && DepartmentScope.only(["SCJG"]).includes($0.departmentCode) }

    @Test func aSubscriberGetsOnlyWhatItsFilterAcceptsAndIsWokenForIt() throws {
        let hub = ResponseEventHub()
        let wakes = Atomic<Int>(0)
        let subscriptionSlot = hub.subscribe(accepting: Self.headOfSCJG, wake: { wakes.add(1, ordering: .relaxed) })
        let subscription = try #require(subscriptionSlot)
        hub.publish([Self.response(1, department: "BDC"), Self.response(2, level: .verySatisfied)])
        let before = wakes.load(ordering: .relaxed)
        #expect(before == 0)
        #expect(subscription.take().events.isEmpty)
        hub.publish([Self.response(3), Self.response(4, department: "BDC"), Self.response(5)])
        let after = wakes.load(ordering: .relaxed)
        #expect(after == 1)
        #expect(subscription.take().events.map(\.id) == [3, 5])
        #expect(subscription.take().events.isEmpty)
    }

    @Test func theNumberOfSubscribersIsBoundedAndAPlaceIsFreedOnCancel() throws {
        let hub = ResponseEventHub(maxSubscribers: 2)
        let firstSlot = hub.subscribe(accepting: { _ in true }, wake: {})
        let first = try #require(firstSlot)
        let secondSlot = hub.subscribe(accepting: { _ in true }, wake: {})
        _ = try #require(secondSlot)
        let third = hub.subscribe(accepting: { _ in true }, wake: {})
        #expect(third == nil)
        hub.cancel(first)
        #expect(hub.count == 1)
        let again = hub.subscribe(accepting: { _ in true }, wake: {})
        #expect(again != nil)
    }

    @Test func aSubscriberThatFallsBehindIsToldToEndAndCatchUp() throws {
        let hub = ResponseEventHub(queueLimit: 3)
        let subscriptionSlot = hub.subscribe(accepting: { _ in true }, wake: {})
        let subscription = try #require(subscriptionSlot)
        hub.publish([Self.response(1), Self.response(2)])
        hub.publish([Self.response(3), Self.response(4)])
        let batch = subscription.take()
        #expect(batch.ended)
        #expect(batch.events.isEmpty)
    }

    @Test func closingEndsEverySubscriptionAndRefusesNewOnes() throws {
        let hub = ResponseEventHub()
        let woken = Atomic<Bool>(false)
        let subscriptionSlot = hub.subscribe(accepting: { _ in true }, wake: { woken.store(true, ordering: .relaxed) })
        let subscription = try #require(subscriptionSlot)
        hub.close()
        let wasWoken = woken.load(ordering: .relaxed)
        #expect(wasWoken)
        #expect(subscription.take().ended)
        let late = hub.subscribe(accepting: { _ in true }, wake: {})
        #expect(late == nil)
    }

    @Test func aHeartbeatWakesEverySubscriber() throws {
        let hub = ResponseEventHub()
        let wakes = Atomic<Int>(0)
        let subscriptionSlot = hub.subscribe(accepting: { _ in false }, wake: { wakes.add(1, ordering: .relaxed) })
        let subscription = try #require(subscriptionSlot)
        hub.heartbeat()
        let count = wakes.load(ordering: .relaxed)
        #expect(count == 1)
        let batch = subscription.take()
        #expect(batch.heartbeat && !batch.ended)
        #expect(!subscription.take().heartbeat)
    }

    @Test func theWritersReportPublishesOnlyResponsesStoredNow() throws {
        let hub = ResponseEventHub()
        let subscriptionSlot = hub.subscribe(accepting: { _ in true }, wake: {})
        let subscription = try #require(subscriptionSlot)
        hub.writerFinished(WriterReport(
            batchSize: 3, queueDepth: 3, seconds: 0,
            outcomes: [
                .success(RecordOutcome(response: Self.response(7), kind: .stored)),
                .success(RecordOutcome(response: Self.response(3), kind: .replayed)),
                .failure(.notStored(reason: "disk full")),
            ],
            batchFailure: nil, failedTransactions: 0
        ))
        #expect(subscription.take().events.map(\.id) == [7])
    }

    // MARK: The stream's state

    static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    static let format: @Sendable (StoredResponse) -> String = { "id: \($0.id)\n\n" }

    static func batch(_ ids: [Int64], heartbeat: Bool = false, ended: Bool = false) -> ResponseEventHub.Subscription.Batch {
        .init(events: ids.map { Self.response($0) }, heartbeat: heartbeat, ended: ended)
    }

    @Test func theStreamOpensWithItsPositionAndBacklogThenSendsEachIdOnce() {
        let state = EventStreamState(position: 10, backlog: [Self.response(11)], catchingUp: false, endsAt: .distantFuture)
        let opening = Self.text(state.next(Self.batch([]), format: Self.format) { true })
        #expect(opening == "retry: 2000\n: pingjia\n\nid: 10\n\nid: 11\n\n")
        // 11 came from the store and from the hub: sent once.
        #expect(Self.text(state.next(Self.batch([11, 12]), format: Self.format) { true }) == "id: 12\n\n")
        #expect(Self.text(state.next(Self.batch([]), format: Self.format) { true }) == "")
        #expect(Self.text(state.next(Self.batch([], heartbeat: true), format: Self.format) { true }) == ": heartbeat\n\n")
    }

    @Test func theStreamEndsWhenTheSessionEndedTheHubClosedOrItsTimeIsUp() {
        let state = EventStreamState<StoredResponse>(position: 0, backlog: [], catchingUp: false, endsAt: .distantFuture)
        _ = state.next(Self.batch([]), format: Self.format) { true }
        #expect(state.next(Self.batch([], heartbeat: true), format: Self.format) { false } == nil)
        let closed = EventStreamState<StoredResponse>(position: 0, backlog: [], catchingUp: false, endsAt: .distantFuture)
        _ = closed.next(Self.batch([]), format: Self.format) { true }
        #expect(closed.next(Self.batch([], ended: true), format: Self.format) { true } == nil)
        let old = EventStreamState<StoredResponse>(position: 0, backlog: [], catchingUp: false, endsAt: .distantPast)
        _ = old.next(Self.batch([]), format: Self.format) { true }
        #expect(old.next(Self.batch([1]), format: Self.format) { true } == nil)
        let behind = EventStreamState(position: 0, backlog: [Self.response(1)], catchingUp: true, endsAt: .distantFuture)
        #expect(behind.next(Self.batch([]), format: Self.format) { true } != nil)
        #expect(behind.next(Self.batch([2]), format: Self.format) { true } == nil)
    }
}
