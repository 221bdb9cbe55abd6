import CoreMetrics
import Foundation
import MicroHTTP
import Synchronization

/// What one kind of server-sent-event stream needs from its route: the hub it listens to,
/// which events it wants, where it starts, how an event is written, and whether the client
/// is still allowed to listen. The staff's 差评 (`GET /staff/events`) and the kiosk's visits
/// (`GET /kiosk/{window}/visits/events`) are two of these over the same machinery.
struct EventStreamPlan<Event: StreamEvent> {
    /// Where a stream starts: the id it has seen, what it missed since (oldest first), and
    /// whether it missed more than that (it then ends after sending it, to reconnect).
    struct Start {
        var position: Int64
        var backlog: [Event]
        var catchingUp: Bool
    }

    var hub: EventHub<Event>
    var accepts: @Sendable (Event) -> Bool
    /// Read after subscribing: an event published meanwhile is in one or both, and the
    /// stream sends each id once.
    var start: () throws -> Start
    var format: @Sendable (Event) -> String
    /// Asked at each heartbeat; false ends the stream.
    var stillAllowed: @Sendable () -> Bool
    var lifetimeSeconds: Int
    /// The answer past the hub's limit of subscribers (503, with `Retry-After`).
    var busy: HTTPError
    var open: CoreMetrics.Gauge
    var refused: CoreMetrics.Counter
}

extension WebApplication {
    /// A `text/event-stream` answer for `plan`, served on libmicrohttpd's own threads
    /// without holding one: between events the connection is suspended (`StreamWaker`),
    /// and the hub resumes it when an event it wants arrives, or for a heartbeat. The
    /// stream ends after `lifetimeSeconds`, when the client is no longer allowed, or when
    /// it fell behind; the browser then reconnects with `Last-Event-ID`.
    func eventStream<Event>(_ plan: EventStreamPlan<Event>) throws -> Response {
        let waker = StreamWaker()
        let hub = plan.hub
        guard let subscription = hub.subscribe(accepting: plan.accepts, wake: { waker.wake() }) else {
            plan.refused.increment()
            throw plan.busy
        }
        let stream: EventStreamState<Event>
        do {
            let start = try plan.start()
            stream = EventStreamState(
                position: start.position, backlog: start.backlog, catchingUp: start.catchingUp,
                endsAt: Date().addingTimeInterval(Double(plan.lifetimeSeconds))
            )
        } catch {
            hub.cancel(subscription)
            throw error
        }
        var headers = Headers()
        headers.add("Content-Type", "text/event-stream; charset=utf-8")
        headers.add("Cache-Control", "no-store")
        // nginx would otherwise buffer the stream and deliver events late.
        headers.add("X-Accel-Buffering", "no")
        let open = plan.open
        let format = plan.format
        let stillAllowed = plan.stillAllowed
        open.record(hub.count)
        return .streamed(BodyStream(
            next: { stream.next(subscription.take(), format: format, stillAllowed: stillAllowed) },
            finished: { _ in
                hub.cancel(subscription)
                open.record(hub.count)
            },
            waker: waker
        ), headers: headers)
    }
}

/// Where one event stream is: the last id it sent, what it must send first, and when it ends.
///
/// `Sendable`: behind a mutex, though libmicrohttpd asks for one piece at a time anyway.
final class EventStreamState<Event: StreamEvent>: Sendable {
    private struct State {
        var position: Int64
        var backlog: [Event]
        var catchingUp: Bool
        var started = false
        var ending = false
    }

    private let state: Mutex<State>
    private let endsAt: Date

    /// How long the browser waits before reconnecting after a stream ends.
    static var retryMillis: Int { 2000 }

    init(position: Int64, backlog: [Event], catchingUp: Bool, endsAt: Date) {
        state = Mutex(State(position: position, backlog: backlog, catchingUp: catchingUp))
        self.endsAt = endsAt
    }

    /// The next piece of the stream: the opening (the retry delay, the position as an
    /// `id` the browser will send back, and the backlog), then new events, a comment for a
    /// heartbeat, an empty piece to wait, or nil to end.
    func next(
        _ batch: EventHub<Event>.Subscription.Batch, format: (Event) -> String, stillAllowed: () -> Bool
    ) -> [UInt8]? {
        state.withLock { state in
            if !state.started {
                state.started = true
                var text = "retry: \(Self.retryMillis)\n: pingjia\n\nid: \(state.position)\n\n"
                for event in state.backlog where event.streamID > state.position {
                    text += format(event)
                    state.position = event.streamID
                }
                state.backlog = []
                // More were missed than one piece sends: end, and the reconnection sends the rest.
                state.ending = state.catchingUp
                return Array(text.utf8)
            }
            if state.ending || batch.ended || Date() >= endsAt { return nil }
            var text = ""
            for event in batch.events where event.streamID > state.position {
                text += format(event)
                state.position = event.streamID
            }
            if batch.heartbeat {
                guard stillAllowed() else { return nil }
                if text.isEmpty { text = ": heartbeat\n\n" }
            }
            return Array(text.utf8)
        }
    }
}
