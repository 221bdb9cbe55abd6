/// Whether an indicator carries a grade, and if not, why not.
public enum IndicatorStatus: Sendable, Hashable {
    /// Enough responses: the published composite earned this grade.
    case graded(GradeBand)
    /// Fewer responses than the policy's minimum: the figures are shown, the grade is not.
    case insufficientSample(minimum: Int64)
    /// No responses: there is nothing to compute, let alone grade.
    case noResponses

    /// A stable identifier for programs: `graded`, `insufficient_sample` or `no_responses`.
    public var code: String {
        switch self {
        case .graded: "graded"
        case .insufficientSample: "insufficient_sample"
        case .noResponses: "no_responses"
        }
    }

    /// The status as published: the grade itself, 样本不足, or 暂无评价.
    public var chineseLabel: String {
        switch self {
        case .graded(let band): band.chineseLabel
        case .insufficientSample: "样本不足"
        case .noResponses: "暂无评价"
        }
    }

    /// The status in English: the grade itself, Insufficient sample, or No responses.
    public var englishLabel: String {
        switch self {
        case .graded(let band): band.englishLabel
        case .insufficientSample: "Insufficient sample"
        case .noResponses: "No responses"
        }
    }

    /// The grade, when there is one.
    public var grade: GradeBand? {
        if case .graded(let band) = self { band } else { nil }
    }
}
