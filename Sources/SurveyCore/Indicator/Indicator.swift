/// The satisfaction indicator of a set of responses: the figures of each dimension, the
/// weighted composite, its grade (or why there is none), and the response-level rates.
///
/// It is a pure function of a tally, a policy and optionally a visit count, so the same
/// inputs always give the same published numbers, and an appeal that restores excluded
/// responses only has to recompute it from the corrected tally.
public struct Indicator: Sendable, Hashable {
    /// What was counted.
    public let tally: ResponseTally
    /// The policy applied.
    public let policy: IndicatorPolicy
    /// 服务态度.
    public let attitude: DimensionSummary
    /// 办事效率.
    public let efficiency: DimensionSummary
    /// 办理结果.
    public let result: DimensionSummary
    /// The satisfaction indicator Σ wᵢ · scoreᵢ on 0–100, computed exactly and published to
    /// two decimals; nil when there are no responses.
    public let composite: Figure?
    /// Graded, insufficient sample, or no responses.
    public let status: IndicatorStatus
    /// 差评率: the share of responses with any dimension at 不满意 or below.
    public let negativeRate: Proportion
    /// 主动评价率: responses out of visits, present only when a visit count was supplied.
    /// It is reported as counted even above 100 %, which means the visit count comes from
    /// a source that missed visits; hiding it would hide that problem.
    public let responseRate: Proportion?

    /// Computes the indicator of `tally` under `policy`.
    ///
    /// - Parameter visits: the number of visits (for example queue tickets called) in the
    ///   same scope and period, if known; it only adds `responseRate`.
    public static func compute(_ tally: ResponseTally, policy: IndicatorPolicy = .default, visits: Int64? = nil) -> Indicator {
        Indicator(tally: tally, policy: policy, visits: visits)
    }

    private init(tally: ResponseTally, policy: IndicatorPolicy, visits: Int64?) {
        self.tally = tally
        self.policy = policy
        attitude = DimensionSummary(dimension: .attitude, counts: tally.attitude)
        efficiency = DimensionSummary(dimension: .efficiency, counts: tally.efficiency)
        result = DimensionSummary(dimension: .result, counts: tally.result)
        negativeRate = Proportion(count: tally.negative, total: tally.responses)
        responseRate = visits.map { Proportion(count: tally.responses, total: $0) }

        guard tally.responses > 0 else {
            composite = nil
            status = .noResponses
            return
        }
        // Every dimension of a tally counts the same N responses, so
        // Σ (pᵢ / P) · 25 · Sᵢ / N = 25 · Σ pᵢ·Sᵢ / (P · N): one exact fraction, rounded once.
        // With counts below 2⁶³ and weights in millionths it stays far inside 128 bits.
        let weights = policy.weights
        let weightedPoints = RatingDimension.allCases.reduce(Int128(0)) { sum, dimension in
            sum + Int128(weights.parts(of: dimension)) * tally[dimension].pointsAboveFloor
        }
        let composite = Figure(
            numerator: 25 * weightedPoints,
            denominator: Int128(weights.totalParts) * Int128(tally.responses)
        )
        self.composite = composite
        status = tally.responses < policy.minimumSample
            ? .insufficientSample(minimum: policy.minimumSample)
            : .graded(policy.bands.grade(for: composite))
    }

    /// The summary of one dimension.
    public subscript(dimension: RatingDimension) -> DimensionSummary {
        switch dimension {
        case .attitude: attitude
        case .efficiency: efficiency
        case .result: result
        }
    }

    /// The three summaries in the order of `RatingDimension.allCases`.
    public var dimensions: [DimensionSummary] { [attitude, efficiency, result] }

    /// The grade, when the indicator is graded.
    public var grade: GradeBand? { status.grade }
}
