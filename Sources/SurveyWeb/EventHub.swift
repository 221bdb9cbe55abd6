import Foundation
import SurveyCore
import SurveyStore
import Synchronization

/// Something an event stream sends: events of one stream are ordered by `streamID`, which
/// the stream sends as the event's `id` and a reconnecting browser returns as `Last-Event-ID`.
public protocol StreamEvent: Sendable {
    /// Grows with each event of a stream's kind, so "after id N" says what a client missed.
    var streamID: Int64 { get }
}

extension StoredResponse: StreamEvent {
    /// The response's id, which grows with each commit.
    public var streamID: Int64 { id }
}

/// The hub of the staff's live 差评: fed by the `ResponseWriter`'s observer after each
/// commit, so an event is only ever about a response that is on disk.
public typealias ResponseEventHub = EventHub<StoredResponse>

/// Tells whoever listens that something happened: responses stored (the staff dashboard's
/// live 差评), a visit offered to its window's kiosk.
///
/// Each subscriber keeps its own small queue of the events its filter accepts and is
/// woken when the queue grows; it takes them on its own thread when it is ready. Nothing
/// here blocks: a subscriber that falls `queueLimit` events behind is marked as having
/// overflowed and should end and catch up from the store (what a reconnecting event
/// stream does with `Last-Event-ID`). The number of subscribers is bounded.
///
/// A heartbeat thread wakes every subscriber each `heartbeatSeconds`, so that a stream
/// suspended while nothing happens still writes now and then: a client that went away is
/// found when that write fails, and proxies do not time the stream out.
///
/// `Sendable`: the subscribers are behind one mutex and each subscription's state behind
/// its own.
public final class EventHub<Event: StreamEvent>: Sendable {
    /// One listener: what it wants, what it has not taken yet, and how to wake it.
    public final class Subscription: Sendable {
        struct State {
            var queued: [Event] = []
            var overflowed = false
            var heartbeatDue = false
            var ended = false
        }

        /// What `take()` hands over.
        public struct Batch: Sendable {
            /// Events the filter accepted, oldest first.
            public var events: [Event]
            /// A heartbeat came since the last take.
            public var heartbeat: Bool
            /// The subscriber missed events (its queue was full) or the hub closed: it
            /// should end now.
            public var ended: Bool
        }

        let id: Int
        let accepts: @Sendable (Event) -> Bool
        let wake: @Sendable () -> Void
        let queueLimit: Int
        let state = Mutex(State())

        init(id: Int, queueLimit: Int, accepts: @escaping @Sendable (Event) -> Bool, wake: @escaping @Sendable () -> Void) {
            self.id = id
            self.queueLimit = queueLimit
            self.accepts = accepts
            self.wake = wake
        }

        /// Everything queued since the last call, and whether a heartbeat is due.
        public func take() -> Batch {
            state.withLock { state in
                defer {
                    state.queued = []
                    state.heartbeatDue = false
                }
                return Batch(events: state.queued, heartbeat: state.heartbeatDue, ended: state.ended || state.overflowed)
            }
        }

        func offer(_ events: [Event]) {
            let wanted = events.filter(accepts)
            guard !wanted.isEmpty else { return }
            let grew = state.withLock { state -> Bool in
                guard !state.ended, !state.overflowed else { return false }
                if state.queued.count + wanted.count > queueLimit {
                    state.overflowed = true
                    state.queued = []
                } else {
                    state.queued += wanted
                }
                return true
            }
            if grew { wake() }
        }

        func beat() {
            state.withLock { $0.heartbeatDue = true }
            wake()
        }

        func end() {
            state.withLock { $0.ended = true }
            wake()
        }
    }

    /// The most subscribers at once; `subscribe` refuses beyond.
    public let maxSubscribers: Int
    /// Events a subscriber may have waiting before it is told it overflowed.
    public let queueLimit: Int
    public let heartbeatSeconds: Double
    private let subscribers = Mutex<(next: Int, open: [Int: Subscription], closed: Bool)>((0, [:], false))
    private let stopping = Atomic<Bool>(false)
    private let beating = Atomic<Bool>(false)

    public init(maxSubscribers: Int = 64, queueLimit: Int = 256, heartbeatSeconds: Double = 15) {
        self.maxSubscribers = maxSubscribers
        self.queueLimit = queueLimit
        self.heartbeatSeconds = heartbeatSeconds
    }

    /// Subscribers now.
    public var count: Int { subscribers.withLock { $0.open.count } }

    /// A new subscription, or nil when `maxSubscribers` are open or the hub is closed.
    /// `wake` is called (from the writer's or the heartbeat's thread) when `take()` has
    /// something; it must be quick.
    public func subscribe(
        accepting accepts: @escaping @Sendable (Event) -> Bool, wake: @escaping @Sendable () -> Void
    ) -> Subscription? {
        subscribers.withLock { hub in
            guard !hub.closed, hub.open.count < maxSubscribers else { return nil }
            hub.next += 1
            let subscription = Subscription(id: hub.next, queueLimit: queueLimit, accepts: accepts, wake: wake)
            hub.open[hub.next] = subscription
            return subscription
        }
    }

    /// The subscriber is gone; its place is free again.
    public func cancel(_ subscription: Subscription) {
        subscription.state.withLock { $0.ended = true }
        _ = subscribers.withLock { $0.open.removeValue(forKey: subscription.id) }
    }

    /// Hands new events to every subscriber whose filter accepts them.
    public func publish(_ events: [Event]) {
        guard !events.isEmpty else { return }
        for subscription in subscribers.withLock({ Array($0.open.values) }) {
            subscription.offer(events)
        }
    }

    /// Wakes every subscriber with a heartbeat.
    public func heartbeat() {
        for subscription in subscribers.withLock({ Array($0.open.values) }) {
            subscription.beat()
        }
    }

    /// Ends every subscription and refuses new ones: shutdown calls it first, because the
    /// HTTP server cannot stop while a stream waits.
    public func close() {
        stopping.store(true, ordering: .releasing)
        let open = subscribers.withLock { hub -> [Subscription] in
            hub.closed = true
            return Array(hub.open.values)
        }
        for subscription in open { subscription.end() }
    }

    public var isClosed: Bool { subscribers.withLock { $0.closed } }

    /// Starts the heartbeat thread (once); it stops when the hub is closed.
    public func startHeartbeat() {
        guard heartbeatSeconds > 0, !beating.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in
            var next = Date().addingTimeInterval(heartbeatSeconds)
            while !stopping.load(ordering: .acquiring) {
                usleep(100_000)
                if Date() >= next {
                    heartbeat()
                    next = Date().addingTimeInterval(heartbeatSeconds)
                }
            }
        }
        thread.name = "pingjia-event-heartbeat"
        thread.start()
    }
}

extension EventHub: ResponseWriterObserver where Event == StoredResponse {
    /// Publishes the responses a batch stored now (not replays of stored ones).
    public func writerFinished(_ report: WriterReport) {
        let stored = report.outcomes.compactMap { outcome -> StoredResponse? in
            guard case .success(let recorded) = outcome, recorded.created else { return nil }
            return recorded.response
        }
        publish(stored)
    }
}

/// Several observers of one writer, told in order.
public struct WriterObservers: ResponseWriterObserver {
    let observers: [any ResponseWriterObserver]

    public init(_ observers: [any ResponseWriterObserver]) {
        self.observers = observers
    }

    public func writerFinished(_ report: WriterReport) {
        for observer in observers { observer.writerFinished(report) }
    }
}

extension EventHub.Subscription.Batch: Equatable where Event: Equatable {}
