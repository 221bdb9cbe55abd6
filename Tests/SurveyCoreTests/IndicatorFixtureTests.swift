import Foundation
import Testing
@testable import SurveyCore

/// Hand-computed fixtures: every figure of the indicator, checked against values worked
/// out with exact fractions (and, for Wilson bounds, 40-digit arithmetic) outside Swift.
/// The 40-response fixture is the worked example of docs/indicator.md.
struct IndicatorFixtureTests {
    /// One dimension's expected figures.
    struct DimensionFixture: Sendable, CustomTestStringConvertible {
        let dimension: RatingDimension
        let counts: LevelCounts
        let mean: (numerator: Int128, denominator: Int128, published: String)
        let score: (numerator: Int128, denominator: Int128, published: String)
        let satisfied: Int64
        let dissatisfied: Int64
        let satisfiedPercent: String
        let dissatisfiedPercent: String
        let wilson: (lower: Double, upper: Double)
        var testDescription: String { dimension.rawValue }
    }

    static let workedAttitude = LevelCounts(verySatisfied: 24, satisfied: 10, neutral: 4, dissatisfied: 1, veryDissatisfied: 1)
    static let workedEfficiency = LevelCounts(verySatisfied: 18, satisfied: 12, neutral: 6, dissatisfied: 3, veryDissatisfied: 1)
    static let workedResult = LevelCounts(verySatisfied: 20, satisfied: 12, neutral: 5, dissatisfied: 2, veryDissatisfied: 1)

    static func workedTally() throws -> ResponseTally {
        try ResponseTally(attitude: workedAttitude, efficiency: workedEfficiency, result: workedResult, responses: 40, negative: 5)
    }

    static let workedDimensions: [DimensionFixture] = [
        DimensionFixture(
            dimension: .attitude, counts: workedAttitude,
            mean: (35, 8, "4.38"), score: (675, 8, "84.38"),
            satisfied: 34, dissatisfied: 2, satisfiedPercent: "85.00", dissatisfiedPercent: "5.00",
            wilson: (0.70927675633510295125, 0.92938812282679640451)
        ),
        DimensionFixture(
            dimension: .efficiency, counts: workedEfficiency,
            mean: (163, 40, "4.08"), score: (615, 8, "76.88"),
            satisfied: 30, dissatisfied: 4, satisfiedPercent: "75.00", dissatisfiedPercent: "10.00",
            wilson: (0.59806038579231972505, 0.85812881360903695763)
        ),
        DimensionFixture(
            dimension: .result, counts: workedResult,
            mean: (21, 5, "4.20"), score: (80, 1, "80.00"),
            satisfied: 32, dissatisfied: 3, satisfiedPercent: "80.00", dissatisfiedPercent: "7.50",
            wilson: (0.6524269365360050409, 0.89500010274562297832)
        ),
    ]

    @Test("worked example: each dimension's figures", arguments: workedDimensions)
    func workedDimension(_ expected: DimensionFixture) throws {
        let summary = Indicator.compute(try Self.workedTally())[expected.dimension]
        #expect(summary.dimension == expected.dimension)
        #expect(summary.counts == expected.counts)
        #expect(summary.n == 40)
        let mean = try #require(summary.mean)
        #expect(mean.numerator == expected.mean.numerator && mean.denominator == expected.mean.denominator)
        #expect(mean.description == expected.mean.published)
        let score = try #require(summary.score)
        #expect(score.numerator == expected.score.numerator && score.denominator == expected.score.denominator)
        #expect(score.description == expected.score.published)
        #expect(score.published == Decimal(string: expected.score.published)!)
        #expect(summary.satisfied == Proportion(count: expected.satisfied, total: 40))
        #expect(summary.dissatisfied == Proportion(count: expected.dissatisfied, total: 40))
        #expect(summary.satisfied.percent?.description == expected.satisfiedPercent)
        #expect(summary.dissatisfied.percent?.description == expected.dissatisfiedPercent)
        let interval = try #require(summary.satisfiedInterval)
        #expect(abs(interval.lower - expected.wilson.lower) < 1e-12)
        #expect(abs(interval.upper - expected.wilson.upper) < 1e-12)
        #expect(interval.z == 1.959963984540054)
    }

    /// Weights as written, the exact composite, its published text, and its grade.
    static let workedComposites: [(weights: [String], numerator: Int128, denominator: Int128, published: String, grade: String)] = [
        // (84.375 + 76.875 + 80) / 3 = 965/12 = 80.41666…
        (["1", "1", "1"], 965, 12, "80.42", "good"),
        // 0.4·84.375 + 0.3·76.875 + 0.3·80 = 80.8125: the 5 in the fourth decimal does not round up.
        (["0.4", "0.3", "0.3"], 1293, 16, "80.81", "good"),
        (["0.5", "0.25", "0.25"], 2605, 32, "81.41", "good"),
        (["0", "1", "0"], 615, 8, "76.88", "pass"),
        (["0.333", "0.333", "0.333"], 965, 12, "80.42", "good"),
    ]

    @Test("worked example: the composite under several weightings", arguments: workedComposites)
    func workedComposite(_ expected: (weights: [String], numerator: Int128, denominator: Int128, published: String, grade: String)) throws {
        let weights: IndicatorWeights = expected.weights == ["1", "1", "1"] ? .equal : try IndicatorWeights(
            attitude: Decimal(string: expected.weights[0])!,
            efficiency: Decimal(string: expected.weights[1])!,
            result: Decimal(string: expected.weights[2])!
        )
        let indicator = Indicator.compute(try Self.workedTally(), policy: try IndicatorPolicy(weights: weights))
        let composite = try #require(indicator.composite)
        #expect(composite.numerator == expected.numerator && composite.denominator == expected.denominator)
        #expect(composite.description == expected.published)
        #expect(composite.publishedDouble == Double(expected.published)!)
        #expect(indicator.status == .graded(indicator.policy.bands.bands.first { $0.code == expected.grade }!))
        #expect(indicator.grade?.code == expected.grade)
    }

    @Test func workedExampleResponseLevelRates() throws {
        let indicator = Indicator.compute(try Self.workedTally(), visits: 50)
        #expect(indicator.negativeRate == Proportion(count: 5, total: 40))
        #expect(indicator.negativeRate.percent?.description == "12.50")
        #expect(indicator.responseRate == Proportion(count: 40, total: 50))
        #expect(indicator.responseRate?.percent?.description == "80.00")
        #expect(Indicator.compute(try Self.workedTally()).responseRate == nil)
        #expect(indicator.dimensions.map(\.dimension) == RatingDimension.allCases)
        #expect(indicator.status.chineseLabel == "良好")
    }

    /// A single response: each level on its own dimension, so each score is a scale point.
    @Test func oneResponse() throws {
        let indicator = Indicator.compute(ResponseTally([Ratings(attitude: .verySatisfied, efficiency: .satisfied, result: .neutral)]))
        #expect(indicator.attitude.score?.description == "100.00")
        #expect(indicator.efficiency.score?.description == "75.00")
        #expect(indicator.result.score?.description == "50.00")
        #expect(indicator.attitude.mean?.description == "5.00")
        #expect(indicator.result.mean?.description == "3.00")
        #expect(indicator.composite?.description == "75.00")
        #expect(indicator.composite?.value == 75)
        // One satisfied rating out of one: Wilson gives [0.2065…, 1], not the useless [1, 1].
        let satisfied = try #require(indicator.efficiency.satisfiedInterval)
        #expect(abs(satisfied.lower - 0.20654931437723742736) < 1e-12 && satisfied.upper == 1)
        let unsatisfied = try #require(indicator.result.satisfiedInterval)
        #expect(unsatisfied.lower == 0 && abs(unsatisfied.upper - 0.79345068562276257264) < 1e-12)
        #expect(indicator.status == .insufficientSample(minimum: 30))
        #expect(indicator.grade == nil)
        #expect(indicator.negativeRate.percent?.description == "0.00")
    }

    @Test func oneNegativeResponse() {
        let indicator = Indicator.compute(ResponseTally([Ratings(attitude: .veryDissatisfied, efficiency: .verySatisfied, result: .verySatisfied)]))
        #expect(indicator.tally.negative == 1)
        #expect(indicator.negativeRate.value == 1)
        #expect(indicator.attitude.dissatisfied.percent?.description == "100.00")
        // (0 + 100 + 100) / 3 = 66.666…
        #expect(indicator.composite?.description == "66.67")
        #expect(indicator.composite?.numerator == 200 && indicator.composite?.denominator == 3)
    }

    @Test(arguments: [nil, 0, 12] as [Int64?])
    func noResponses(visits: Int64?) {
        let indicator = Indicator.compute(.zero, visits: visits)
        #expect(indicator.status == .noResponses)
        #expect(indicator.status.code == "no_responses")
        #expect(indicator.composite == nil)
        #expect(indicator.grade == nil)
        for summary in indicator.dimensions {
            #expect(summary.n == 0)
            #expect(summary.mean == nil && summary.score == nil && summary.satisfiedInterval == nil)
            #expect(summary.satisfied.value == nil && summary.satisfied.percent == nil)
        }
        #expect(indicator.negativeRate.value == nil)
        switch visits {
        case nil: #expect(indicator.responseRate == nil)
        case 0: #expect(indicator.responseRate?.value == nil)
        default: #expect(indicator.responseRate?.percent?.description == "0.00")
        }
    }

    /// Wilson bounds against 40-digit reference values, including both ends of the scale.
    @Test(arguments: [
        (0, 1, 0.0, 0.79345068562276257264),
        (1, 1, 0.20654931437723742736, 1.0),
        (0, 30, 0.0, 0.11351339317396874994),
        (30, 30, 0.88648660682603125006, 1.0),
        (15, 30, 0.33154125640533766736, 0.66845874359466233264),
        (29, 30, 0.83329609008590828099, 0.99409140961838755239),
        (5, 40, 0.05459500250945401849, 0.26112119838851095748),
    ] as [(Int64, Int64, Double, Double)])
    func wilsonInterval(count: Int64, total: Int64, lower: Double, upper: Double) throws {
        let interval = try #require(Proportion(count: count, total: total).wilsonInterval())
        #expect(abs(interval.lower - lower) < 1e-12)
        #expect(abs(interval.upper - upper) < 1e-12)
        #expect(interval.lower <= Double(count) / Double(total) && Double(count) / Double(total) <= interval.upper)
    }

    @Test(arguments: [(0, 0), (1, 0), (-1, 5), (6, 5)] as [(Int64, Int64)])
    func wilsonIntervalNeedsASample(count: Int64, total: Int64) {
        #expect(Proportion(count: count, total: total).wilsonInterval() == nil)
    }
}

extension ResponseTally {
    /// A tally whose three dimensions all have `counts`, so the composite equals each
    /// dimension's score; its 差评 are the bottom-2 ratings (one per response).
    static func uniform(_ counts: LevelCounts) throws -> ResponseTally {
        try ResponseTally(attitude: counts, efficiency: counts, result: counts, responses: counts.total, negative: counts.bottomTwo)
    }
}
