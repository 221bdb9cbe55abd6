import CoreMetrics
import Foundation
import Prometheus
import SurveyCore
import SurveyStore
import Synchronization

/// Every metric Pingjia exports at `GET /metrics`, in one Prometheus registry of its own
/// (not the process-wide `MetricsSystem`, so that several applications in one test process
/// never mix their numbers).
///
/// Recording is built for the submit path: the handles of a route and status are made
/// once and then found in a small dictionary, so a request costs one lock and two atomic
/// updates; the writer is observed once per batch, not per submission.
public final class PingjiaMetrics: Sendable {
    /// The registry that `GET /metrics` writes out.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let requestHandles = Mutex<[RequestKey: RequestHandles]>([:])

    private let storedByChannel: [Channel: CoreMetrics.Counter]
    private let replays: CoreMetrics.Counter
    private let refused: CoreMetrics.Counter
    private let failedCommits: CoreMetrics.Counter
    private let batchSize: CoreMetrics.Recorder
    private let commitTime: CoreMetrics.Timer
    private let queueDepth: CoreMetrics.Gauge
    private let databaseBytes: CoreMetrics.Gauge
    private let walBytes: CoreMetrics.Gauge
    let authFailures: CoreMetrics.Counter
    let authThrottled: CoreMetrics.Counter
    /// Ratings stored as suspect, and anonymous API ratings refused past the hard limit.
    let ratingsFlagged: CoreMetrics.Counter
    let ratingsRefused: CoreMetrics.Counter
    /// Staff event streams open now, and those refused because the limit was reached.
    let eventStreamsOpen: CoreMetrics.Gauge
    let eventStreamsRefused: CoreMetrics.Counter
    /// Kiosk visit streams open now, and those refused because the limit was reached.
    let kioskStreamsOpen: CoreMetrics.Gauge
    let kioskStreamsRefused: CoreMetrics.Counter

    static let requestDuration = "pingjia_http_request_duration_seconds"
    static let commitDuration = "pingjia_writer_commit_duration_seconds"
    static let batchSizeName = "pingjia_writer_batch_size"

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Sub-millisecond resolution: most answers take well under the library's 5 ms first bucket.
        let fast: [Duration] = [
            .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.durationHistogramBuckets = [Self.requestDuration: fast, Self.commitDuration: fast]
        factory.valueHistogramBuckets = [Self.batchSizeName: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]]
        self.factory = factory

        var byChannel: [Channel: CoreMetrics.Counter] = [:]
        for channel in Channel.allCases {
            byChannel[channel] = Counter(label: "pingjia_responses_stored_total", dimensions: [("channel", channel.rawValue)], factory: factory)
        }
        storedByChannel = byChannel
        replays = Counter(label: "pingjia_responses_replayed_total", factory: factory)
        refused = Counter(label: "pingjia_responses_refused_total", factory: factory)
        failedCommits = Counter(label: "pingjia_writer_failed_commits_total", factory: factory)
        batchSize = Recorder(label: Self.batchSizeName, aggregate: true, factory: factory)
        commitTime = Timer(label: Self.commitDuration, factory: factory)
        queueDepth = Gauge(label: "pingjia_writer_queue_depth", factory: factory)
        databaseBytes = Gauge(label: "pingjia_database_bytes", factory: factory)
        walBytes = Gauge(label: "pingjia_database_wal_bytes", factory: factory)
        authFailures = Counter(label: "pingjia_auth_failures_total", factory: factory)
        authThrottled = Counter(label: "pingjia_auth_throttled_total", factory: factory)
        ratingsFlagged = Counter(label: "pingjia_ratings_flagged_total", factory: factory)
        ratingsRefused = Counter(label: "pingjia_ratings_rate_refused_total", factory: factory)
        eventStreamsOpen = Gauge(label: "pingjia_event_streams_open", factory: factory)
        eventStreamsRefused = Counter(label: "pingjia_event_streams_refused_total", factory: factory)
        kioskStreamsOpen = Gauge(label: "pingjia_kiosk_streams_open", factory: factory)
        kioskStreamsRefused = Counter(label: "pingjia_kiosk_streams_refused_total", factory: factory)
    }

    // MARK: Requests

    private struct RequestKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private struct RequestHandles {
        var count: CoreMetrics.Counter
        var duration: CoreMetrics.Timer
    }

    /// The methods counted by name; any other is counted as `other`, so that a client
    /// cannot add label values at will.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    /// Counts one answered request and its duration under its route pattern.
    func recordRequest(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let key = RequestKey(route: route, method: Self.knownMethods.contains(method) ? method : "other", status: status)
        let handles = requestHandles.withLock { handles in
            if let existing = handles[key] { return existing }
            let made = RequestHandles(
                count: Counter(
                    label: "pingjia_http_requests_total",
                    dimensions: [("route", key.route), ("method", key.method), ("status", String(status))], factory: factory
                ),
                duration: Timer(label: Self.requestDuration, dimensions: [("route", key.route)], factory: factory)
            )
            handles[key] = made
            return made
        }
        handles.count.increment()
        handles.duration.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    // MARK: The writer

    /// Records one batch of the group-commit writer.
    func recordBatch(_ report: WriterReport) {
        batchSize.record(report.batchSize)
        queueDepth.record(report.queueDepth)
        commitTime.recordNanoseconds(Int64(report.seconds * 1e9))
        if report.failedTransactions > 0 { failedCommits.increment(by: report.failedTransactions) }
        var refusedCount = 0
        var replayed = 0
        var stored: [Channel: Int] = [:]
        for outcome in report.outcomes {
            switch outcome {
            case .success(let recorded) where recorded.created: stored[recorded.response.channel, default: 0] += 1
            case .success: replayed += 1
            case .failure: refusedCount += 1
            }
        }
        for (channel, count) in stored { storedByChannel[channel]?.increment(by: count) }
        if replayed > 0 { replays.increment(by: replayed) }
        if refusedCount > 0 { refused.increment(by: refusedCount) }
    }

    // MARK: Files

    /// Reads the sizes of the database and its WAL, just before they are exported.
    func updateFileSizes(databasePath: String) {
        databaseBytes.record(Self.fileSize(databasePath))
        walBytes.record(Self.fileSize(databasePath + "-wal"))
    }

    private static func fileSize(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
