import Foundation

/// What one turn of the `ResponseWriter` did: how many submissions it took, how long the
/// writing took, and each submission's outcome, in the order they were queued.
///
/// Built once per batch, never per submission, so that watching the writer costs nothing
/// that grows with the load.
public struct WriterReport: Sendable {
    /// Submissions taken from the queue for this batch.
    public var batchSize: Int
    /// Submissions waiting when the writer took the batch (the batch included).
    public var queueDepth: Int
    /// Seconds spent writing: the batch's transaction, and the retries if there were any.
    public var seconds: Double
    /// The outcome of each submission, in queue order.
    public var outcomes: [Result<RecordOutcome, StoreError>]
    /// Why the batch's transaction failed, in SQLite's words; nil when it committed.
    public var batchFailure: String?
    /// Transactions that failed: the batch's own, and each failed retry of one submission.
    public var failedTransactions: Int

    /// Submissions that were not stored (their clients are told so and may retry).
    public var refused: Int {
        outcomes.reduce(0) { count, outcome in
            if case .failure = outcome { count + 1 } else { count }
        }
    }
}

/// Told by the `ResponseWriter` after every batch, on the writer thread: logs and metrics
/// hang here, so the writer itself knows nothing of either.
///
/// Implementations must be quick and must not call back into the writer.
public protocol ResponseWriterObserver: Sendable {
    func writerFinished(_ report: WriterReport)
}
