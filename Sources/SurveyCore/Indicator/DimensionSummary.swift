/// The figures of one dimension (服务态度, 办事效率 or 办理结果) over a set of responses.
///
/// Every figure is derived from `counts` alone, so a report can always show the counts
/// next to the figures and anyone can recompute them.
public struct DimensionSummary: Sendable, Hashable {
    /// Which dimension this is.
    public let dimension: RatingDimension
    /// The counts at each level.
    public let counts: LevelCounts
    /// The mean level on the 1–5 scale (5 = 非常满意); nil when there are no ratings.
    public let mean: Figure?
    /// The mean rescaled to 0–100, (mean − 1) / 4 × 100 = 25 · Σ(level − 1)·count / N;
    /// nil when there are no ratings.
    public let score: Figure?
    /// The share rated 非常满意 or 满意 (top-2).
    public let satisfied: Proportion
    /// The share rated 不满意 or 非常不满意 (bottom-2).
    public let dissatisfied: Proportion
    /// The Wilson 95 % interval for the satisfied share; nil when there are no ratings.
    public let satisfiedInterval: ConfidenceInterval?

    /// The figures of `dimension` for `counts`, which must be non-negative (a
    /// `ResponseTally` guarantees that).
    init(dimension: RatingDimension, counts: LevelCounts, z: Double = ConfidenceInterval.z95) {
        self.dimension = dimension
        self.counts = counts
        let n = Int128(counts.total)
        if n > 0 {
            // mean = Σ level·count / N = (Σ (level − 1)·count + N) / N.
            mean = Figure(numerator: counts.pointsAboveFloor + n, denominator: n)
            score = Figure(numerator: 25 * counts.pointsAboveFloor, denominator: n)
        } else {
            mean = nil
            score = nil
        }
        satisfied = Proportion(count: counts.topTwo, total: counts.total)
        dissatisfied = Proportion(count: counts.bottomTwo, total: counts.total)
        satisfiedInterval = satisfied.wilsonInterval(z: z)
    }

    /// N, the number of ratings of this dimension.
    public var n: Int64 { counts.total }
}
