/// The center's choices for turning tallies into an indicator and a grade: the weights
/// of the three dimensions, the grade bands, and the smallest sample that is graded.
public struct IndicatorPolicy: Sendable, Hashable {
    /// The weights of the composite indicator.
    public let weights: IndicatorWeights
    /// The grade scale.
    public let bands: GradeBands
    /// The fewest responses that are graded. Below it the indicator is still computed and
    /// shown with its intervals, but marked 样本不足 instead of graded: with a handful of
    /// responses one citizen moves the score by several points.
    public let minimumSample: Int64
    /// The provenances whose responses the indicator counts (`n` and every figure); the
    /// others are kept and shown in the provenance counts only. By default everything but
    /// `unverified`.
    public let countedProvenances: Set<Provenance>

    /// The center's defaults: equal weights, 优秀/良好/合格/不合格 at 90/80/70, 30
    /// responses before grading, and every provenance but `unverified` counted.
    public static let `default` = IndicatorPolicy(checked: .equal, bands: .default, minimumSample: 30, counted: Provenance.countedByDefault)

    private init(checked weights: IndicatorWeights, bands: GradeBands, minimumSample: Int64, counted: Set<Provenance>) {
        self.weights = weights
        self.bands = bands
        self.minimumSample = minimumSample
        self.countedProvenances = counted
    }

    /// A policy; throws `IndicatorError.minimumSampleTooSmall` when `minimumSample < 1`.
    /// Weights and bands were checked when they were made.
    public init(
        weights: IndicatorWeights = .equal, bands: GradeBands = .default, minimumSample: Int64 = 30,
        countedProvenances: Set<Provenance> = Provenance.countedByDefault
    ) throws(IndicatorError) {
        guard minimumSample >= 1 else { throw .minimumSampleTooSmall(minimumSample) }
        self.init(checked: weights, bands: bands, minimumSample: minimumSample, counted: countedProvenances)
    }
}
