import Logging
import SurveyStore

/// Watches the group-commit writer: every batch goes into the metrics, and every failed
/// transaction is logged with SQLite's reason and how many submissions it cost.
public struct WriterTelemetry: ResponseWriterObserver {
    let metrics: PingjiaMetrics
    let logger: Logger

    public init(metrics: PingjiaMetrics, logger: Logger) {
        self.metrics = metrics
        self.logger = logger
    }

    public func writerFinished(_ report: WriterReport) {
        metrics.recordBatch(report)
        guard report.failedTransactions > 0 else { return }
        let refused = report.refused
        var metadata: Logger.Metadata = [
            "batch_size": "\(report.batchSize)",
            "refused": "\(refused)",
            "stored": "\(report.outcomes.count - refused)",
            "failed_transactions": "\(report.failedTransactions)",
        ]
        if let cause = report.batchFailure { metadata["cause"] = "\(cause)" }
        // The first reason of a failed retry, when the batch's own failure was a broken
        // constraint: that is the submission that broke it.
        for case .failure(let error) in report.outcomes {
            metadata["submission_cause"] = "\(error)"
            break
        }
        logger.error(
            "Writing submissions failed: \(refused) of \(report.batchSize) not stored and answered 503.",
            metadata: metadata
        )
    }
}
