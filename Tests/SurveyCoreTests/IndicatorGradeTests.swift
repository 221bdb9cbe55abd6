import Foundation
import Testing
@testable import SurveyCore

/// Where rounding meets the band edges: the published value is the exact value rounded
/// half up to 0.01, and the grade is read from the published value.
struct IndicatorGradeTests {
    struct Edge: Sendable, CustomTestStringConvertible {
        /// The exact score, as text.
        let exact: String
        let counts: LevelCounts
        let published: String
        let grade: String
        var testDescription: String { "\(exact) → \(published) \(grade)" }
    }

    /// Each fixture rates all three dimensions alike, so the composite is this exact score.
    static let edges: [Edge] = [
        Edge(exact: "89.95", counts: LevelCounts(verySatisfied: 299, satisfied: 201), published: "89.95", grade: "good"),
        Edge(exact: "89.99", counts: LevelCounts(verySatisfied: 1499, satisfied: 1001), published: "89.99", grade: "good"),
        // 629875/6999 = 89.994999285…: a hair below the tie stays 89.99.
        Edge(exact: "89.99499928", counts: LevelCounts(verySatisfied: 4198, satisfied: 2801), published: "89.99", grade: "good"),
        // Exactly 89.995 (binary floating point would hold 89.99499999999999744 and round down).
        Edge(exact: "89.995", counts: LevelCounts(verySatisfied: 2999, satisfied: 2001), published: "90.00", grade: "excellent"),
        Edge(exact: "90.00", counts: LevelCounts(verySatisfied: 18, satisfied: 12), published: "90.00", grade: "excellent"),
        Edge(exact: "100.00", counts: LevelCounts(verySatisfied: 30), published: "100.00", grade: "excellent"),
        Edge(exact: "80.00", counts: LevelCounts(verySatisfied: 6, satisfied: 24), published: "80.00", grade: "good"),
        Edge(exact: "79.995", counts: LevelCounts(verySatisfied: 999, satisfied: 4001), published: "80.00", grade: "good"),
        Edge(exact: "79.99", counts: LevelCounts(verySatisfied: 499, satisfied: 2001), published: "79.99", grade: "pass"),
        Edge(exact: "70.00", counts: LevelCounts(satisfied: 24, neutral: 6), published: "70.00", grade: "pass"),
        Edge(exact: "69.995", counts: LevelCounts(satisfied: 3999, neutral: 1001), published: "70.00", grade: "pass"),
        Edge(exact: "69.99", counts: LevelCounts(satisfied: 1999, neutral: 501), published: "69.99", grade: "fail"),
        Edge(exact: "0.00", counts: LevelCounts(veryDissatisfied: 30), published: "0.00", grade: "fail"),
    ]

    @Test(arguments: edges)
    func gradeAtBandEdge(_ edge: Edge) throws {
        let indicator = Indicator.compute(try ResponseTally.uniform(edge.counts))
        let composite = try #require(indicator.composite)
        // The exact value: equal to the fixture's text where the fraction terminates.
        let exact = Decimal(string: edge.exact)!
        #expect(abs(composite.value - exact) < Decimal(string: "0.00000001")!)
        #expect(composite.description == edge.published)
        #expect(composite.published == Decimal(string: edge.published)!)
        #expect(indicator.grade?.code == edge.grade)
        // What people see and the grade agree: grading the shown number gives the same band.
        #expect(GradeBands.default.grade(forHundredths: composite.publishedHundredths).code == edge.grade)
    }

    @Test func tiesAreExactAtTheTie() throws {
        let tie = try #require(Indicator.compute(try ResponseTally.uniform(LevelCounts(verySatisfied: 2999, satisfied: 2001))).composite)
        #expect(tie.numerator == 17999 && tie.denominator == 200)
        #expect(tie.value == Decimal(string: "89.995")!)
        #expect(tie.publishedHundredths == 9000)
    }

    /// (90 + 90 + 89.985) / 3 is exactly 89.995. With weights of 0.333… as decimals the
    /// sum would come out at 89.99499… and publish 89.99 (良好); exact thirds publish 90.00.
    @Test(arguments: [["1", "1", "1"], ["0.333", "0.333", "0.333"], ["0.3333333", "0.3333333", "0.3333333"]])
    func equalWeightsAreExactThirds(_ weights: [String]) throws {
        let ninety = LevelCounts(verySatisfied: 3000, satisfied: 2000)
        let almost = LevelCounts(verySatisfied: 2997, satisfied: 2003)
        let tally = try ResponseTally(attitude: ninety, efficiency: ninety, result: almost, responses: 5000, negative: 0)
        let policy = weights == ["1", "1", "1"] ? IndicatorPolicy.default : try IndicatorPolicy(weights: IndicatorWeights(
            attitude: Decimal(string: weights[0])!, efficiency: Decimal(string: weights[1])!, result: Decimal(string: weights[2])!
        ))
        #expect(policy.weights == .equal)
        let indicator = Indicator.compute(tally, policy: policy)
        #expect(indicator.result.score?.value == Decimal(string: "89.985")!)
        #expect(indicator.result.score?.description == "89.99")
        #expect(indicator.composite?.value == Decimal(string: "89.995")!)
        #expect(indicator.composite?.description == "90.00")
        #expect(indicator.grade == .excellent)
    }

    @Test(arguments: [
        (29, 30, "insufficient_sample"),
        (30, 30, "graded"),
        (31, 30, "graded"),
        (1, 1, "graded"),
        (99, 100, "insufficient_sample"),
        (0, 30, "no_responses"),
    ] as [(Int64, Int64, String)])
    func minimumSample(responses: Int64, minimum: Int64, status: String) throws {
        let tally = try ResponseTally.uniform(LevelCounts(verySatisfied: responses))
        let indicator = Indicator.compute(tally, policy: try IndicatorPolicy(minimumSample: minimum))
        #expect(indicator.status.code == status)
        switch status {
        case "graded":
            #expect(indicator.grade == .excellent)
        case "insufficient_sample":
            // Still computed and shown, with its interval, but not graded.
            #expect(indicator.status == .insufficientSample(minimum: minimum))
            #expect(indicator.status.chineseLabel == "样本不足")
            #expect(indicator.status.englishLabel == "Insufficient sample")
            #expect(indicator.grade == nil)
            #expect(indicator.composite?.description == "100.00")
            #expect(indicator.attitude.satisfiedInterval != nil)
        default:
            #expect(indicator.grade == nil && indicator.composite == nil)
        }
    }

    static let customBands = try! GradeBands([
        GradeBand(code: "a", chineseLabel: "甲", englishLabel: "A", threshold: Decimal(string: "85.5")!),
        GradeBand(code: "b", chineseLabel: "乙", englishLabel: "B", threshold: 60),
        GradeBand(code: "c", chineseLabel: "丙", englishLabel: "C", threshold: 0),
    ])

    @Test(arguments: [(10000, "a"), (8550, "a"), (8549, "b"), (6000, "b"), (5999, "c"), (0, "c")] as [(Int64, String)])
    func customBands(hundredths: Int64, code: String) {
        #expect(Self.customBands.grade(forHundredths: hundredths).code == code)
    }

    @Test func customBandsGradeTheComposite() throws {
        // 25 · (4·42 + 3·58) / 100 = 85.50, exactly the custom threshold.
        let counts = LevelCounts(verySatisfied: 42, satisfied: 58)
        let policy = try IndicatorPolicy(bands: Self.customBands)
        let indicator = Indicator.compute(try ResponseTally.uniform(counts), policy: policy)
        #expect(indicator.composite?.description == "85.50")
        #expect(indicator.grade?.chineseLabel == "甲")
    }
}
