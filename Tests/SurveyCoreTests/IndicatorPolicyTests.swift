import Foundation
import Testing
@testable import SurveyCore

/// Checking of weights, grade bands, minimum samples and stored tallies.
struct IndicatorPolicyTests {
    private static func decimal(_ text: String) -> Decimal { Decimal(string: text)! }

    @Test(arguments: [
        (["0.4", "0.3", "0.3"], [4, 3, 3]),
        (["0.5", "0.25", "0.25"], [2, 1, 1]),
        (["0.34", "0.33", "0.33"], [34, 33, 33]),
        (["1", "0", "0"], [1, 0, 0]),
        (["0.333", "0.333", "0.333"], [1, 1, 1]),
        (["0.3333333", "0.3333333", "0.3333334"], [1, 1, 1]),
        // Sums of 0.999 and 1.001 are the edges of the tolerance, and are scaled to exactly 1.
        (["0.4", "0.3", "0.299"], [400, 300, 299]),
        (["0.401", "0.3", "0.3"], [401, 300, 300]),
    ] as [([String], [Int64])])
    func acceptedWeights(_ given: [String], parts: [Int64]) throws {
        let weights = try IndicatorWeights(
            attitude: Self.decimal(given[0]), efficiency: Self.decimal(given[1]), result: Self.decimal(given[2])
        )
        #expect(RatingDimension.allCases.map { weights.parts(of: $0) } == parts)
        #expect(weights.totalParts == parts.reduce(0, +))
        let sum = RatingDimension.allCases.reduce(Decimal(0)) { $0 + weights.weight(of: $1) }
        #expect(abs(sum - 1) < Self.decimal("1e-30"))
    }

    /// Decimal literals such as `0.3` pass through `Double` and arrive as 0.2999…; reading to
    /// millionths still gives exactly 4:3:3.
    @Test func literalWeightsAreExact() throws {
        let weights = try IndicatorWeights(attitude: 0.4, efficiency: 0.3, result: 0.3)
        #expect(RatingDimension.allCases.map { weights.parts(of: $0) } == [4, 3, 3])
        #expect(weights.weight(of: .attitude) == Self.decimal("0.4"))
    }

    @Test func equalWeightsAreThirds() {
        #expect(IndicatorPolicy.default.weights == .equal)
        #expect(RatingDimension.allCases.map { IndicatorWeights.equal.parts(of: $0) } == [1, 1, 1])
        #expect(IndicatorWeights.equal.weight(of: .result) == Decimal(1) / Decimal(3))
    }

    @Test(arguments: [
        (["-0.1", "0.6", "0.5"], IndicatorError.negativeWeight(.attitude, decimal("-0.1"))),
        (["0.6", "0.5", "-0.1"], .negativeWeight(.result, decimal("-0.1"))),
        (["0.4", "0.3", "0.2"], .weightsDoNotSumToOne(sum: decimal("0.9"))),
        (["0.33", "0.33", "0.33"], .weightsDoNotSumToOne(sum: decimal("0.99"))),
        (["0.4", "0.3", "0.2989"], .weightsDoNotSumToOne(sum: decimal("0.9989"))),
        (["0.4", "0.3", "0.3011"], .weightsDoNotSumToOne(sum: decimal("1.0011"))),
        (["0", "0", "0"], .weightsDoNotSumToOne(sum: 0)),
        (["1", "1", "1"], .weightsDoNotSumToOne(sum: 3)),
    ] as [([String], IndicatorError)])
    func refusedWeights(_ given: [String], error: IndicatorError) {
        #expect(throws: error) {
            try IndicatorWeights(attitude: Self.decimal(given[0]), efficiency: Self.decimal(given[1]), result: Self.decimal(given[2]))
        }
    }

    private static func band(_ code: String, _ threshold: String, label: String = "等级") -> GradeBand {
        GradeBand(code: code, chineseLabel: label, englishLabel: code.capitalized, threshold: decimal(threshold))
    }

    @Test(arguments: [
        ([], IndicatorError.noGradeBands),
        ([band("excellent", "90"), band("good", "90"), band("fail", "0")], .gradeThresholdsNotDescending(code: "good")),
        ([band("pass", "70"), band("good", "80"), band("fail", "0")], .gradeThresholdsNotDescending(code: "good")),
        ([band("excellent", "90"), band("good", "80")], .lowestGradeThresholdNotZero(code: "good", threshold: 80)),
        ([band("top", "101"), band("fail", "0")], .gradeThresholdOutOfRange(code: "top", threshold: 101)),
        ([band("top", "50"), band("fail", "-5")], .gradeThresholdOutOfRange(code: "fail", threshold: -5)),
        ([band("top", "89.995"), band("fail", "0")], .gradeThresholdTooPrecise(code: "top", threshold: decimal("89.995"))),
        ([band("good", "90"), band("good", "80"), band("fail", "0")], .duplicateGradeCode("good")),
        ([band("good", "90"), band(" ", "0")], .blankGradeBand(position: 2)),
        ([band("good", "90", label: ""), band("fail", "0")], .blankGradeBand(position: 1)),
    ] as [([GradeBand], IndicatorError)])
    func refusedBands(_ bands: [GradeBand], error: IndicatorError) {
        #expect(throws: error) { try GradeBands(bands) }
    }

    @Test func defaultBands() throws {
        #expect(GradeBands.default.bands.map(\.chineseLabel) == ["优秀", "良好", "合格", "不合格"])
        #expect(GradeBands.default.bands.map(\.threshold) == [90, 80, 70, 0])
        #expect(IndicatorPolicy.default.bands == .default)
        #expect(IndicatorPolicy.default.minimumSample == 30)
        #expect(try GradeBands([Self.band("only", "0")]).grade(forHundredths: 10000).code == "only")
    }

    @Test(arguments: [0, -1, Int64.min] as [Int64])
    func refusedMinimumSample(_ minimum: Int64) {
        #expect(throws: IndicatorError.minimumSampleTooSmall(minimum)) { try IndicatorPolicy(minimumSample: minimum) }
    }

    static let fine = LevelCounts(verySatisfied: 3, satisfied: 1)
    static let oneBad = LevelCounts(verySatisfied: 3, dissatisfied: 1)
    static let twoBad = LevelCounts(verySatisfied: 2, neutral: 0, dissatisfied: 1, veryDissatisfied: 1)

    @Test(arguments: [
        (fine, fine, fine, 4, 0),
        (oneBad, fine, oneBad, 4, 1),
        (oneBad, fine, oneBad, 4, 2),
        (twoBad, oneBad, fine, 4, 3),
    ] as [(LevelCounts, LevelCounts, LevelCounts, Int64, Int64)])
    func consistentTallies(_ attitude: LevelCounts, _ efficiency: LevelCounts, _ result: LevelCounts, responses: Int64, negative: Int64) throws {
        let tally = try ResponseTally(attitude: attitude, efficiency: efficiency, result: result, responses: responses, negative: negative)
        #expect(tally[.attitude] == attitude && tally[.efficiency] == efficiency && tally[.result] == result)
        #expect(tally.responses == responses && tally.negative == negative)
    }

    @Test(arguments: [
        // A dimension that does not count every response.
        (fine, fine, LevelCounts(verySatisfied: 3), 4, 0),
        (fine, fine, fine, 5, 0),
        // Fewer 差评 than one dimension's bottom-2 ratings, or more than all of them.
        (twoBad, fine, fine, 4, 1),
        (oneBad, fine, oneBad, 4, 3),
        (fine, fine, fine, 4, -1),
        (LevelCounts(verySatisfied: 5, dissatisfied: -1), fine, fine, 4, 0),
    ] as [(LevelCounts, LevelCounts, LevelCounts, Int64, Int64)])
    func inconsistentTallies(_ attitude: LevelCounts, _ efficiency: LevelCounts, _ result: LevelCounts, responses: Int64, negative: Int64) {
        #expect(throws: IndicatorError.inconsistentTally) {
            try ResponseTally(attitude: attitude, efficiency: efficiency, result: result, responses: responses, negative: negative)
        }
    }

    @Test(arguments: [
        (IndicatorError.negativeWeight(.efficiency, -1), "negative_weight", "办事效率", "Efficiency"),
        (.weightsDoNotSumToOne(sum: decimal("0.9")), "weights_do_not_sum_to_one", "0.9", "0.9"),
        (.noGradeBands, "no_grade_bands", "等级", "grade"),
        (.blankGradeBand(position: 2), "blank_grade_band", "第 2 个", "band 2"),
        (.duplicateGradeCode("good"), "duplicate_grade_code", "good", "good"),
        (.gradeThresholdOutOfRange(code: "top", threshold: 101), "grade_threshold_out_of_range", "101", "101"),
        (.gradeThresholdTooPrecise(code: "top", threshold: decimal("89.995")), "grade_threshold_too_precise", "89.995", "89.995"),
        (.gradeThresholdsNotDescending(code: "good"), "grade_thresholds_not_descending", "good", "good"),
        (.lowestGradeThresholdNotZero(code: "pass", threshold: 70), "lowest_grade_threshold_not_zero", "70", "70"),
        (.minimumSampleTooSmall(0), "minimum_sample_too_small", "至少应为 1", "at least 1"),
        (.inconsistentTally, "inconsistent_tally", "不一致", "inconsistent"),
    ] as [(IndicatorError, String, String, String)])
    func errorsHaveStableCodesAndMessages(_ error: IndicatorError, code: String, chinese: String, english: String) {
        #expect(error.code == code)
        #expect(error.chineseMessage.contains(chinese))
        #expect(error.englishMessage.contains(english))
    }
}
