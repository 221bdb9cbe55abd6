import Foundation
import GRDB
import SurveyCore

/// Stores submissions with group commit: one thread takes every submission waiting,
/// writes them in one transaction, and reports each outcome only after the commit.
///
/// Many requests share one fsync, so durable (`synchronous = FULL`) writes keep up with
/// the HTTP server; callers never block while waiting, they are called back. Each
/// submission is written under its own savepoint, so one that fails does not take the
/// others in its batch down with it.
///
/// `@unchecked Sendable`: `pending`, `stopping` and `running` are only touched with
/// `condition` locked; the pool is itself thread-safe.
public final class ResponseWriter: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<RecordOutcome, StoreError>) -> Void

    private struct Job {
        var submission: ValidatedSubmission
        var completion: Completion
    }

    private let pool: DatabasePool
    private let maxBatch: Int
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var stopping = false
    private var running = false
    private let finished = DispatchSemaphore(value: 0)

    init(pool: DatabasePool, maxBatch: Int) {
        self.pool = pool
        self.maxBatch = max(1, maxBatch)
    }

    /// Starts the writer thread.
    public func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !running else { return }
        running = true
        let thread = Thread { [self] in self.run() }
        thread.name = "pingjia-writer"
        thread.start()
    }

    /// Queues a submission; `completion` runs on the writer thread after the commit.
    public func submit(_ submission: ValidatedSubmission, completion: @escaping Completion) {
        condition.lock()
        guard running, !stopping else {
            condition.unlock()
            completion(.failure(.closed))
            return
        }
        pending.append(Job(submission: submission, completion: completion))
        condition.signal()
        condition.unlock()
    }

    /// Writes everything already queued, then stops the thread and waits for it.
    public func stop() {
        condition.lock()
        guard running, !stopping else {
            condition.unlock()
            return
        }
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func run() {
        while let batch = nextBatch() {
            write(batch)
        }
        finished.signal()
    }

    private func nextBatch() -> [Job]? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !stopping {
            condition.wait()
        }
        if pending.isEmpty { return nil }
        let count = min(maxBatch, pending.count)
        let batch = Array(pending.prefix(count))
        pending.removeFirst(count)
        return batch
    }

    private func write(_ batch: [Job]) {
        var outcomes: [Result<RecordOutcome, StoreError>] = []
        outcomes.reserveCapacity(batch.count)
        do {
            try pool.write { db in
                outcomes.removeAll(keepingCapacity: true)
                let millis = UTCTimestamp.nowMillis()
                for job in batch {
                    var outcome: Result<RecordOutcome, StoreError> = .failure(.notStored(reason: "not attempted"))
                    do {
                        try db.inSavepoint {
                            outcome = .success(try ResponseRows.insert(job.submission, atMillis: millis, in: db))
                            return .commit
                        }
                    } catch {
                        outcome = .failure(.notStored(reason: "\(error)"))
                    }
                    outcomes.append(outcome)
                }
            }
        } catch {
            // The transaction did not commit: none of the batch is stored, and none is acknowledged.
            outcomes = Array(repeating: .failure(.notStored(reason: "\(error)")), count: batch.count)
        }
        for (job, outcome) in zip(batch, outcomes) {
            job.completion(outcome)
        }
    }
}
