import Foundation
import GRDB
import SurveyCore

/// Stores submissions with group commit: one thread takes every submission waiting,
/// writes them in one transaction, and reports each outcome only after the commit.
///
/// Many requests share one fsync, so durable (`synchronous = FULL`) writes keep up with
/// the HTTP server; callers never block while waiting, they are called back. When a
/// batch fails, its submissions are retried one transaction each, so one that fails does
/// not take the others in its batch down with it.
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
    private let timeZone: TimeZone
    private let casePolicy: LiveCasePolicy
    private let maxBatch: Int
    private let observer: (any ResponseWriterObserver)?
    private let condition = NSCondition()
    private var pending: [Job] = []
    private var stopping = false
    private var running = false
    private let finished = DispatchSemaphore(value: 0)

    init(pool: DatabasePool, timeZone: TimeZone, casePolicy: LiveCasePolicy, maxBatch: Int, observer: (any ResponseWriterObserver)?) {
        self.pool = pool
        self.timeZone = timeZone
        self.casePolicy = casePolicy
        self.maxBatch = max(1, maxBatch)
        self.observer = observer
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
        while let (batch, depth) = nextBatch() {
            write(batch, queueDepth: depth)
        }
        finished.signal()
    }

    private func nextBatch() -> (batch: [Job], queueDepth: Int)? {
        condition.lock()
        defer { condition.unlock() }
        while pending.isEmpty && !stopping {
            condition.wait()
        }
        if pending.isEmpty { return nil }
        let depth = pending.count
        let count = min(maxBatch, depth)
        let batch = Array(pending.prefix(count))
        pending.removeFirst(count)
        return (batch, depth)
    }

    private func write(_ batch: [Job], queueDepth: Int) {
        let started = DispatchTime.now().uptimeNanoseconds
        let outcomes: [Result<RecordOutcome, StoreError>]
        var batchFailure: String?
        var failedTransactions = 0
        do {
            outcomes = try commit(batch).map { .success($0) }
        } catch let error as DatabaseError where batch.count > 1 && error.resultCode == .SQLITE_CONSTRAINT {
            batchFailure = "\(error)"
            // One submission broke a constraint. Nothing of the batch was committed; each
            // submission is tried again in a transaction of its own, so one bad submission
            // does not cost the others their place. Other failures (a locked or full disk,
            // an I/O error) would fail every retry too, so they fail the batch at once.
            outcomes = batch.map { job in
                Result { try commit([job])[0] }.mapError { .notStored(reason: "\($0)") }
            }
            failedTransactions = 1 + outcomes.count { if case .failure = $0 { true } else { false } }
        } catch {
            batchFailure = "\(error)"
            failedTransactions = 1
            outcomes = batch.map { _ in .failure(.notStored(reason: "\(error)")) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        for (job, outcome) in zip(batch, outcomes) {
            job.completion(outcome)
        }
        // After the completions, so that the clients' answers do not wait for the report.
        observer?.writerFinished(WriterReport(
            batchSize: batch.count, queueDepth: queueDepth, seconds: seconds, outcomes: outcomes,
            batchFailure: batchFailure, failedTransactions: failedTransactions
        ))
    }

    /// Stores every submission of `jobs` in one transaction, with their rollup sums and
    /// the case of each negative one, or none of them. A savepoint per submission would cost as much as the inserts.
    private func commit(_ jobs: [Job]) throws -> [RecordOutcome] {
        try pool.write { db in
            let millis = UTCTimestamp.nowMillis()
            var rollups = RollupBatch(timeZone: timeZone)
            var outcomes: [RecordOutcome] = []
            outcomes.reserveCapacity(jobs.count)
            let cases = casePolicy.current
            for job in jobs {
                outcomes.append(try VisitRows.insert(job.submission, atMillis: millis, in: db, rollups: &rollups, cases: cases))
            }
            try rollups.flush(in: db)
            return outcomes
        }
    }
}
