import Foundation
import Synchronization
import MicroHTTP

/// Runs slow reads (a year's report, a CSV export, a 复核 over raw responses) beside the
/// HTTP server's threads instead of on them.
///
/// libmicrohttpd has one pool thread per core and each serves many connections: a read of
/// seconds on one of them would stall every kiosk that thread serves. The handler returns
/// `Reply.later`, the server suspends the connection, and the read runs here, at most one
/// per core at a time so a burst of exports cannot starve the writer of CPU.
///
/// `Sendable`: `OperationQueue` is thread-safe and the counter is atomic.
final class SlowReads: @unchecked Sendable {
    private let queue: OperationQueue
    private let running = Atomic<Int>(0)

    init(concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) {
        queue = OperationQueue()
        queue.name = "pingjia.slow-reads"
        queue.maxConcurrentOperationCount = max(1, concurrency)
        queue.qualityOfService = .userInitiated
    }

    /// How many reads are being computed now (not those waiting their turn).
    var inFlight: Int { running.load(ordering: .relaxed) }

    /// Waits until every read handed over has been computed and delivered. Shutdown calls it
    /// before stopping the server, which cannot stop while a connection waits for a read.
    func waitUntilFinished() {
        queue.waitUntilAllOperationsAreFinished()
    }

    /// A reply that computes `work` on the reader queue and delivers its response; an error
    /// becomes the response `failure` makes of it.
    func reply(
        _ work: @escaping @Sendable () throws -> Response,
        failure: @escaping @Sendable (any Error) -> Response
    ) -> Reply {
        .later { [self] deliver in
            queue.addOperation { [self] in
                running.add(1, ordering: .relaxed)
                let response: Response
                do {
                    response = try work()
                } catch {
                    response = failure(error)
                }
                running.subtract(1, ordering: .relaxed)
                deliver { response }
            }
        }
    }
}
