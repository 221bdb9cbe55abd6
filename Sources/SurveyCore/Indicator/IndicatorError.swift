import Foundation

/// Why an indicator policy or a tally was refused. Each case has a stable `code` for
/// programs and a message for people in Chinese and English; none of it knows about HTTP.
public enum IndicatorError: Error, Sendable, Hashable {
    /// A weight below zero; the dimension and the weight as given.
    case negativeWeight(RatingDimension, Decimal)
    /// The weights' sum, as given, is further than `IndicatorWeights.tolerance` from 1.
    case weightsDoNotSumToOne(sum: Decimal)
    /// No grade bands at all.
    case noGradeBands
    /// A band without a code or a label; the band's position, from 1.
    case blankGradeBand(position: Int)
    /// Two bands share a code.
    case duplicateGradeCode(String)
    /// A threshold outside 0...100; the band's code and its threshold.
    case gradeThresholdOutOfRange(code: String, threshold: Decimal)
    /// A threshold with more than two decimals, which no published score can tell apart.
    case gradeThresholdTooPrecise(code: String, threshold: Decimal)
    /// A band whose threshold is not strictly below the band before it.
    case gradeThresholdsNotDescending(code: String)
    /// The last band's threshold is not 0, so low scores would have no grade.
    case lowestGradeThresholdNotZero(code: String, threshold: Decimal)
    /// A minimum sample below 1.
    case minimumSampleTooSmall(Int64)
    /// Aggregates whose counts cannot come from real responses.
    case inconsistentTally

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .negativeWeight: "negative_weight"
        case .weightsDoNotSumToOne: "weights_do_not_sum_to_one"
        case .noGradeBands: "no_grade_bands"
        case .blankGradeBand: "blank_grade_band"
        case .duplicateGradeCode: "duplicate_grade_code"
        case .gradeThresholdOutOfRange: "grade_threshold_out_of_range"
        case .gradeThresholdTooPrecise: "grade_threshold_too_precise"
        case .gradeThresholdsNotDescending: "grade_thresholds_not_descending"
        case .lowestGradeThresholdNotZero: "lowest_grade_threshold_not_zero"
        case .minimumSampleTooSmall: "minimum_sample_too_small"
        case .inconsistentTally: "inconsistent_tally"
        }
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .negativeWeight(let dimension, let weight):
            "“\(dimension.chineseLabel)”的权重为 \(weight)，权重不能为负数。"
        case .weightsDoNotSumToOne(let sum):
            "三项权重之和为 \(sum)，应为 1（例如 0.4、0.3、0.3）。"
        case .noGradeBands:
            "至少需要一个评定等级。"
        case .blankGradeBand(let position):
            "第 \(position) 个评定等级缺少代码或名称。"
        case .duplicateGradeCode(let code):
            "评定等级代码“\(code)”重复。"
        case .gradeThresholdOutOfRange(let code, let threshold):
            "等级“\(code)”的分数线 \(threshold) 不在 0 到 100 之间。"
        case .gradeThresholdTooPrecise(let code, let threshold):
            "等级“\(code)”的分数线 \(threshold) 最多保留两位小数，与公布的分数一致。"
        case .gradeThresholdsNotDescending(let code):
            "等级“\(code)”的分数线必须低于上一个等级的分数线（按从高到低排列，且不能相同）。"
        case .lowestGradeThresholdNotZero(let code, let threshold):
            "最低等级“\(code)”的分数线为 \(threshold)，应为 0，使任何分数都有等级。"
        case .minimumSampleTooSmall(let value):
            "最低样本量为 \(value)，至少应为 1。"
        case .inconsistentTally:
            "汇总数据不一致：各项评价数必须等于评价总数，差评数必须与各项计数相符。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .negativeWeight(let dimension, let weight):
            "The weight of “\(dimension.englishLabel)” is \(weight); weights cannot be negative."
        case .weightsDoNotSumToOne(let sum):
            "The three weights add up to \(sum); they must add up to 1 (for example 0.4, 0.3, 0.3)."
        case .noGradeBands:
            "At least one grade band is needed."
        case .blankGradeBand(let position):
            "Grade band \(position) has no code or no label."
        case .duplicateGradeCode(let code):
            "The grade code “\(code)” is used twice."
        case .gradeThresholdOutOfRange(let code, let threshold):
            "The threshold \(threshold) of grade “\(code)” is not between 0 and 100."
        case .gradeThresholdTooPrecise(let code, let threshold):
            "The threshold \(threshold) of grade “\(code)” may have at most two decimals, like the published scores."
        case .gradeThresholdsNotDescending(let code):
            "The threshold of grade “\(code)” must be below the one before it (highest first, no two equal)."
        case .lowestGradeThresholdNotZero(let code, let threshold):
            "The lowest grade “\(code)” has threshold \(threshold); it must be 0 so every score gets a grade."
        case .minimumSampleTooSmall(let value):
            "The minimum sample is \(value); it must be at least 1."
        case .inconsistentTally:
            "The tally is inconsistent: each dimension must count every response, and the count of negative ratings must fit the level counts."
        }
    }
}
