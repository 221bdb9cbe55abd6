import Foundation
import Synchronization

/// At most `ratings` per `seconds` for one key (a client address's keyed hash, a window
/// link with its browser, a device, a visit); `ratings == 0` turns the limit off.
public struct RateLimit: Sendable, Equatable {
    public var ratings: Int
    public var seconds: Int

    public init(ratings: Int, seconds: Int) {
        self.ratings = ratings
        self.seconds = seconds
    }

    /// No limit.
    public static let off = RateLimit(ratings: 0, seconds: 60)

    public var isOff: Bool { ratings <= 0 || seconds <= 0 }
}

/// A `RateLimit` applied to many keys at once, thread-safe: the generic cell rate
/// algorithm, one number per key (when the key's next rating is due if it kept exactly to
/// the rate). Up to `ratings` may come at once; after that one more every
/// `seconds / ratings`. Only conforming events move that time on, so a flood past the
/// limit does not push an honest client's next rating further out.
///
/// Keys must never be raw addresses (use a keyed hash). Memory stays bounded: past
/// `maxKeys`, keys whose allowance is whole again are dropped, then the most rested ones.
public final class RateLimiter: Sendable {
    public let limit: RateLimit
    private let maxKeys: Int
    private let due = Mutex<[String: Double]>([:])

    public init(_ limit: RateLimit, maxKeys: Int = 50_000) {
        self.limit = limit
        self.maxKeys = max(1, maxKeys)
    }

    /// Seconds between conforming events at the limit's steady rate.
    private var interval: Double { Double(limit.seconds) / Double(limit.ratings) }
    /// How far ahead of `now` a key's due time may be while it still conforms: the burst.
    private var tolerance: Double { Double(limit.seconds) - interval }

    /// Counts one event of `key` at `now` if it is within the limit and says so; an event
    /// past the limit is not counted and gets how long until the next would conform.
    public func take(_ key: String, now: Double = FailureThrottle<String>.monotonicNow) -> RateDecision {
        guard !limit.isOff else { return .within }
        return due.withLock { due in
            let next = max(due[key] ?? now, now)
            guard next - tolerance <= now else {
                return .over(retryAfterSeconds: max(1, Int((next - tolerance - now).rounded(.up))))
            }
            due[key] = next + interval
            if due.count > maxKeys { prune(&due, now: now) }
            return .within
        }
    }

    private func prune(_ due: inout [String: Double], now: Double) {
        due = due.filter { $0.value > now }
        if due.count > maxKeys {
            // Still full of active keys: keep those furthest behind, which are the busiest.
            let kept = due.sorted { $0.value > $1.value }.prefix(maxKeys * 3 / 4)
            due = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}

/// Whether an event was within its limit.
public enum RateDecision: Sendable, Equatable {
    case within
    /// Past the limit; the next event of the key would conform after this many seconds.
    case over(retryAfterSeconds: Int)

    public var isOver: Bool { self != .within }
}
