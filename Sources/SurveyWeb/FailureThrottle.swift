import Foundation
import Synchronization

/// How failed attempts (wrong API keys, and later wrong passwords) are slowed down: some
/// failures are free, then each further failure locks the client out for twice as long as
/// the one before, up to a cap. The decisions are pure functions of a record and the time,
/// so they are tested without waiting.
public struct ThrottlePolicy: Sendable, Equatable {
    /// Failures allowed before the first lock-out.
    public var freeFailures: Int = 5
    /// The lock-out after the first failure past the free ones, in seconds.
    public var firstDelaySeconds: Double = 2
    /// The longest lock-out, in seconds.
    public var maxDelaySeconds: Double = 900
    /// A client with no failure for this long, and not locked out, starts afresh.
    public var forgetAfterSeconds: Double = 3600

    public init() {}

    public init(freeFailures: Int, firstDelaySeconds: Double, maxDelaySeconds: Double, forgetAfterSeconds: Double = 3600) {
        self.freeFailures = freeFailures
        self.firstDelaySeconds = firstDelaySeconds
        self.maxDelaySeconds = maxDelaySeconds
        self.forgetAfterSeconds = forgetAfterSeconds
    }

    /// The lock-out that the `failures`-th failure starts, or nil while failures are free.
    public func delay(afterFailures failures: Int) -> Double? {
        let past = failures - freeFailures
        guard past > 0 else { return nil }
        // Doubling stops well before overflow; the cap applies anyway.
        let delay = firstDelaySeconds * pow(2, Double(min(past - 1, 40)))
        return min(maxDelaySeconds, delay)
    }

    /// Whether `record` no longer counts at `now`.
    public func isStale(_ record: ThrottleRecord, now: Double) -> Bool {
        now >= record.blockedUntil && now - record.lastFailure >= forgetAfterSeconds
    }

    /// Whether a client with `record` may try at `now`. While locked out it is refused
    /// whatever it sends, a right key included, and is told how long to wait.
    public func decide(_ record: ThrottleRecord?, now: Double) -> ThrottleDecision {
        guard let record, !isStale(record, now: now), now < record.blockedUntil else { return .allow }
        return .refuse(retryAfterSeconds: max(1, Int((record.blockedUntil - now).rounded(.up))))
    }

    /// The record after one more failure at `now`.
    public func recordingFailure(_ record: ThrottleRecord?, now: Double) -> ThrottleRecord {
        var next = record.flatMap { isStale($0, now: now) ? nil : $0 } ?? ThrottleRecord()
        next.failures += 1
        next.lastFailure = now
        if let delay = delay(afterFailures: next.failures) {
            next.blockedUntil = now + delay
        }
        return next
    }
}

/// What is remembered of one client's failures.
public struct ThrottleRecord: Sendable, Equatable {
    /// Failures since the client last succeeded or was forgotten.
    public var failures = 0
    /// When the last failure happened (seconds on a monotonic clock).
    public var lastFailure: Double = 0
    /// Until when the client is locked out; in the past when it is not.
    public var blockedUntil: Double = 0

    public init(failures: Int = 0, lastFailure: Double = 0, blockedUntil: Double = 0) {
        self.failures = failures
        self.lastFailure = lastFailure
        self.blockedUntil = blockedUntil
    }
}

/// Whether an attempt may go ahead.
public enum ThrottleDecision: Sendable, Equatable {
    case allow
    /// Answer `429` with `Retry-After` set to this many seconds.
    case refuse(retryAfterSeconds: Int)
}

/// A `ThrottlePolicy` applied to many clients at once, thread-safe. Keys should be keyed
/// hashes of addresses (see `KeyedHasher`), never the addresses themselves.
///
/// Memory stays bounded: past `maxClients` records, stale ones are dropped, then the
/// oldest, so a flood of addresses cannot grow the table without limit.
public final class FailureThrottle<Key: Hashable & Sendable>: Sendable {
    public let policy: ThrottlePolicy
    private let maxClients: Int
    private let records = Mutex<[Key: ThrottleRecord]>([:])

    public init(policy: ThrottlePolicy, maxClients: Int = 10_000) {
        self.policy = policy
        self.maxClients = max(1, maxClients)
    }

    /// Seconds on the monotonic clock that `now` arguments default to.
    public static var monotonicNow: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// Whether `key` may try now.
    public func check(_ key: Key, now: Double = monotonicNow) -> ThrottleDecision {
        records.withLock { policy.decide($0[key], now: now) }
    }

    /// Counts a failure of `key`; returns its record after it.
    @discardableResult
    public func recordFailure(_ key: Key, now: Double = monotonicNow) -> ThrottleRecord {
        records.withLock { records in
            let next = policy.recordingFailure(records[key], now: now)
            records[key] = next
            if records.count > maxClients { prune(&records, now: now) }
            return next
        }
    }

    /// Forgets the failures of `key`, after it succeeded.
    public func recordSuccess(_ key: Key) {
        records.withLock { records in
            if !records.isEmpty { records[key] = nil }
        }
    }

    private func prune(_ records: inout [Key: ThrottleRecord], now: Double) {
        records = records.filter { !policy.isStale($0.value, now: now) }
        while records.count > maxClients, let oldest = records.min(by: { $0.value.lastFailure < $1.value.lastFailure }) {
            records[oldest.key] = nil
        }
    }
}
