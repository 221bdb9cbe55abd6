import Foundation
import Hashing
import SurveyCore

/// The limits that keep floods of ratings out of the scores without turning anyone away.
///
/// Past a soft limit a rating is still stored, flagged `suspect` with the rule that
/// caught it, and the citizen sees the usual thanks; staff restore or confirm it on
/// review. Only anonymous API callers (no key, nothing to tie their ratings to) are
/// refused, with 429 and `Retry-After`, past the hard limit. Keyed integrations are
/// exempt from the per-address limits: a queue system posts for a whole center from one
/// address.
public struct SubmissionLimits: Sendable, Equatable {
    /// Ratings per client address (keyed hash, rotating daily): kiosk and phone forms and
    /// anonymous API posts. Generous, since a center's kiosks may share one address.
    public var address = RateLimit(ratings: 120, seconds: 600)
    /// Ratings through one window link from one browser (the link's token and the
    /// browser's client cookie): a citizen rates a visit once.
    public var linkClient = RateLimit(ratings: 5, seconds: 3600)
    /// Ratings from one paired kiosk.
    public var device = RateLimit(ratings: 60, seconds: 600)
    /// Ratings with one visit token (one is accepted; this catches a token that leaked).
    public var visit = RateLimit(ratings: 3, seconds: 3600)
    /// Anonymous API posts per client address past which they are refused with 429.
    public var anonymousAPIRefused = RateLimit(ratings: 600, seconds: 600)

    public init() {}

    /// Every limit off: for benchmarks and tests that post far faster than people do.
    public static let off: SubmissionLimits = {
        var limits = SubmissionLimits()
        limits.address = .off
        limits.linkClient = .off
        limits.device = .off
        limits.visit = .off
        limits.anonymousAPIRefused = .off
        return limits
    }()
}

/// The rate limiters of one server, one per `SubmissionLimits` entry, keyed by strings.
///
/// Address keys are keyed hashes whose key changes every day (`DailyKeyedHasher`); no
/// address is kept in the clear, in memory or anywhere else.
final class SubmissionLimiters: Sendable {
    let address: RateLimiter
    let linkClient: RateLimiter
    let device: RateLimiter
    let visit: RateLimiter
    let anonymousAPI: RateLimiter
    private let hasher = DailyKeyedHasher()

    init(_ limits: SubmissionLimits) {
        address = RateLimiter(limits.address)
        linkClient = RateLimiter(limits.linkClient)
        device = RateLimiter(limits.device)
        visit = RateLimiter(limits.visit)
        anonymousAPI = RateLimiter(limits.anonymousAPIRefused)
    }

    /// The key of a client address: a keyed hash, rotating daily.
    func addressKey(_ address: String) -> String {
        hasher.digest(address)
    }

    /// Takes one rating from each limiter given, and names the first rule it broke: nil
    /// when every limit held. Every limiter is asked, so each keeps counting.
    func flag(_ checks: [(rule: FlagRule, limiter: RateLimiter, key: String)]) -> FlagRule? {
        var broken: FlagRule?
        for check in checks where check.limiter.take(check.key).isOver {
            broken = broken ?? check.rule
        }
        return broken
    }
}
