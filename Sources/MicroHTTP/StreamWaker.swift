import CMicroHTTPD
import Synchronization

/// Lets a streamed body wait for its next piece without holding a pool thread, for answers
/// that stay open and send when something happens (server-sent events).
///
/// A `BodyStream` made with a waker may return an empty piece to mean "nothing yet": the
/// server then suspends the connection (libmicrohttpd's `MHD_suspend_connection`, allowed
/// from a content reader) instead of asking again at once, and `wake()`, called from any
/// thread, resumes it so that `next` is asked again. A wake that arrives while `next` is
/// still running is remembered, so a piece made ready in that moment is never missed.
///
/// While suspended, libmicrohttpd neither times the connection out nor notices that the
/// client left: the owner should wake its streams now and then (a heartbeat) so that
/// dead clients are found when the write fails. libmicrohttpd cannot stop while a
/// connection is suspended, so every stream must have ended before the server stops.
///
/// `Sendable`: all state is behind the mutex; the connection pointer is only used for
/// `MHD_suspend_connection` on the connection's own thread (inside `next`'s caller) and for
/// `MHD_resume_connection`, which libmicrohttpd allows from any thread.
public final class StreamWaker: Sendable {
    private struct State {
        var connection: ConnectionHandle?
        var suspended = false
        var woken = false
        var detached = false
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the server to call the stream's `next` again; safe from any thread, at any time,
    /// also after the stream ended (then it does nothing).
    public func wake() {
        state.withLock { state in
            guard !state.detached else { return }
            if state.suspended, let connection = state.connection {
                state.suspended = false
                MHD_resume_connection(connection.pointer)
            } else {
                state.woken = true
            }
        }
    }

    /// Whether the connection is suspended now, waiting for `wake()`.
    public var isWaiting: Bool { state.withLock { $0.suspended } }

    func attach(_ connection: OpaquePointer) {
        state.withLock { $0.connection = ConnectionHandle(pointer: connection) }
    }

    /// Called by the content reader when `next` had nothing: suspends the connection unless
    /// a wake came in meanwhile. Returns whether it suspended (otherwise ask `next` again).
    func suspendUnlessWoken() -> Bool {
        state.withLock { state in
            if state.woken || state.detached {
                state.woken = false
                return false
            }
            guard let connection = state.connection else { return false }
            state.suspended = true
            MHD_suspend_connection(connection.pointer)
            return true
        }
    }

    /// libmicrohttpd let go of the body: later wakes must not touch the connection.
    func detach() {
        state.withLock { state in
            state.detached = true
            state.connection = nil
        }
    }
}
