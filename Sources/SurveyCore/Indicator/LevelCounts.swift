/// How many ratings one dimension received at each of the five levels.
///
/// Counts, not averages, are what Pingjia keeps and adds up (GSA Touchpoints stores
/// counts per scale point for the same reason): every published figure can be
/// recomputed from them, and two tallies merge by adding counts, never by averaging
/// percentages.
public struct LevelCounts: Sendable, Hashable, Codable {
    /// Ratings at 非常不满意 (level 1).
    public var veryDissatisfied: Int64
    /// Ratings at 不满意 (level 2).
    public var dissatisfied: Int64
    /// Ratings at 基本满意 (level 3).
    public var neutral: Int64
    /// Ratings at 满意 (level 4).
    public var satisfied: Int64
    /// Ratings at 非常满意 (level 5).
    public var verySatisfied: Int64

    /// Counts given level by level; levels left out count zero. Counts are expected to
    /// be non-negative: `ResponseTally` checks that before any figure is computed.
    public init(
        verySatisfied: Int64 = 0, satisfied: Int64 = 0, neutral: Int64 = 0,
        dissatisfied: Int64 = 0, veryDissatisfied: Int64 = 0
    ) {
        self.verySatisfied = verySatisfied
        self.satisfied = satisfied
        self.neutral = neutral
        self.dissatisfied = dissatisfied
        self.veryDissatisfied = veryDissatisfied
    }

    /// No ratings at all; the identity of `+`.
    public static let zero = LevelCounts()

    /// The count at one level.
    public subscript(level: Level) -> Int64 {
        get {
            switch level {
            case .verySatisfied: verySatisfied
            case .satisfied: satisfied
            case .neutral: neutral
            case .dissatisfied: dissatisfied
            case .veryDissatisfied: veryDissatisfied
            }
        }
        set {
            switch level {
            case .verySatisfied: verySatisfied = newValue
            case .satisfied: satisfied = newValue
            case .neutral: neutral = newValue
            case .dissatisfied: dissatisfied = newValue
            case .veryDissatisfied: veryDissatisfied = newValue
            }
        }
    }

    /// N, the number of ratings counted.
    public var total: Int64 {
        verySatisfied + satisfied + neutral + dissatisfied + veryDissatisfied
    }

    /// Ratings at 非常满意 or 满意 (top-2 box): the numerator of the satisfied share.
    public var topTwo: Int64 { verySatisfied + satisfied }

    /// Ratings at 不满意 or 非常不满意 (bottom-2 box, the 差评 levels): the numerator of
    /// the dissatisfied share.
    public var bottomTwo: Int64 { dissatisfied + veryDissatisfied }

    /// Σ (level − 1) · count, the integer numerator of the 0–100 score. Kept in 128 bits so
    /// no realistic count can overflow it.
    var pointsAboveFloor: Int128 {
        4 * Int128(verySatisfied) + 3 * Int128(satisfied) + 2 * Int128(neutral) + Int128(dissatisfied)
    }

    /// True when no count is negative.
    var isNonNegative: Bool {
        Level.allCases.allSatisfy { self[$0] >= 0 }
    }

    /// Counts one more rating at `level`.
    public mutating func add(_ level: Level) {
        self[level] += 1
    }

    /// The pooled counts of two tallies, level by level.
    public static func + (lhs: LevelCounts, rhs: LevelCounts) -> LevelCounts {
        LevelCounts(
            verySatisfied: lhs.verySatisfied + rhs.verySatisfied,
            satisfied: lhs.satisfied + rhs.satisfied,
            neutral: lhs.neutral + rhs.neutral,
            dissatisfied: lhs.dissatisfied + rhs.dissatisfied,
            veryDissatisfied: lhs.veryDissatisfied + rhs.veryDissatisfied
        )
    }

    /// Pools `rhs` into `lhs`.
    public static func += (lhs: inout LevelCounts, rhs: LevelCounts) {
        lhs = lhs + rhs
    }
}
