import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Ends connections whose request takes too long to arrive.
///
/// libmicrohttpd's own timeout restarts with every byte, so a client that sends one byte a
/// second holds its connection, and a thread's share of the connection limit, for ever.
/// This watch gives each connection a deadline for its whole request: from the moment the
/// connection is ready for a request (just opened, or the previous answer sent) until the
/// request's body has fully arrived. A connection past its deadline has its socket shut
/// down; libmicrohttpd then sees the end of the stream and closes it on its own thread.
///
/// `shutdown(2)` rather than `close(2)`: the descriptor stays libmicrohttpd's, and the
/// entry is removed when libmicrohttpd reports the connection closed, which it does before
/// it closes the descriptor. Both happen under the same lock, so a descriptor number that
/// the kernel has already given to a new connection is never shut down by mistake.
final class ConnectionDeadlines: Sendable {
    private struct Watched {
        var socket: Int32
        /// When the request must have arrived; `nil` while the server works on it.
        var deadline: Double?
    }

    private let seconds: Double
    private let watched = Mutex<[Int: Watched]>([:])
    private let stopping = Atomic<Bool>(false)
    private let sweeperDone = Atomic<Bool>(false)

    /// - Parameter seconds: how long a request may take to arrive; `0` turns the watch off.
    init(seconds: Int) {
        self.seconds = Double(seconds)
    }

    var isEnabled: Bool { seconds > 0 }

    /// Starts the thread that sweeps expired connections once a second.
    func start() {
        guard isEnabled else { return }
        let thread = Thread { [self] in
            while !stopping.load(ordering: .acquiring) {
                sweep(now: monotonicSeconds())
                usleep(250_000)
            }
            sweeperDone.store(true, ordering: .releasing)
        }
        thread.name = "pingjia-deadlines"
        thread.start()
    }

    func stop() {
        guard isEnabled else { return }
        stopping.store(true, ordering: .releasing)
        while !sweeperDone.load(ordering: .acquiring) { usleep(10_000) }
    }

    /// A connection opened: its first request must arrive in time.
    func opened(_ connection: OpaquePointer, socket: Int32) {
        guard isEnabled, socket >= 0 else { return }
        let deadline = monotonicSeconds() + seconds
        watched.withLock { $0[key(connection)] = Watched(socket: socket, deadline: deadline) }
    }

    /// The request has arrived whole; how long the answer takes is the server's business.
    func requestArrived(_ connection: OpaquePointer) {
        guard isEnabled else { return }
        watched.withLock { $0[key(connection)]?.deadline = nil }
    }

    /// The answer went out; on a kept-alive connection the next request starts its clock.
    func answered(_ connection: OpaquePointer) {
        guard isEnabled else { return }
        let deadline = monotonicSeconds() + seconds
        watched.withLock { $0[key(connection)]?.deadline = deadline }
    }

    /// libmicrohttpd is about to close the connection's socket.
    func closed(_ connection: OpaquePointer) {
        guard isEnabled else { return }
        _ = watched.withLock { $0.removeValue(forKey: key(connection)) }
    }

    /// Connections currently watched, for tests.
    var count: Int { watched.withLock { $0.count } }

    func sweep(now: Double) {
        watched.withLock { entries in
            for (key, entry) in entries {
                guard let deadline = entry.deadline, deadline <= now else { continue }
                shutdown(entry.socket, Int32(SHUT_RDWR))
                entries[key]?.deadline = nil
            }
        }
    }

    private func key(_ connection: OpaquePointer) -> Int {
        Int(bitPattern: UnsafeRawPointer(connection))
    }
}
