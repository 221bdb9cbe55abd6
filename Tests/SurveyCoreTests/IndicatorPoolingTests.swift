import Testing
@testable import SurveyCore

/// Counts pool before anything is averaged: a period's tally is the sum of its parts' tallies
/// whatever the split and the order, and so is every figure computed from it.
struct IndicatorPoolingTests {
    /// SplitMix64: a small deterministic generator, so a failing seed can be replayed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomRatings(count: Int, using generator: inout SeededGenerator) -> [Ratings] {
        (0..<count).map { _ in
            Ratings(
                attitude: Level.allCases.randomElement(using: &generator)!,
                efficiency: Level.allCases.randomElement(using: &generator)!,
                result: Level.allCases.randomElement(using: &generator)!
            )
        }
    }

    static let seeds: [UInt64] = [1, 2, 3, 42, 2026, 0xDEAD_BEEF]

    @Test(arguments: seeds)
    func tallyCountsWhatItIsGiven(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let ratings = Self.randomRatings(count: 500, using: &generator)
        let tally = ResponseTally(ratings)
        #expect(tally.responses == 500)
        #expect(tally.negative == Int64(ratings.count { $0.isNegative }))
        for dimension in RatingDimension.allCases {
            for level in Level.allCases {
                #expect(tally[dimension][level] == Int64(ratings.count { $0[dimension] == level }))
            }
            #expect(tally[dimension].total == 500)
        }
        // Whatever add(_:) builds passes the checks applied to stored aggregates.
        #expect(throws: Never.self) {
            try ResponseTally(attitude: tally.attitude, efficiency: tally.efficiency, result: tally.result,
                              responses: tally.responses, negative: tally.negative)
        }
    }

    @Test(arguments: seeds)
    func pooledTallyIsTheSumOfItsParts(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let ratings = Self.randomRatings(count: 300, using: &generator)
        let whole = ResponseTally(ratings)
        // Split into a random number of consecutive windows, some of them empty.
        var cuts = (0..<Int.random(in: 1...8, using: &generator)).map { _ in Int.random(in: 0...ratings.count, using: &generator) }
        cuts = ([0] + cuts + [ratings.count]).sorted()
        let parts = zip(cuts, cuts.dropFirst()).map { ResponseTally(ratings[$0..<$1]) }
        #expect(parts.reduce(.zero, +) == whole)
        #expect(parts.reversed().reduce(.zero, +) == whole)
        #expect(Indicator.compute(parts.reduce(.zero, +)) == Indicator.compute(whole))
    }

    @Test(arguments: seeds)
    func orderDoesNotMatter(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        let ratings = Self.randomRatings(count: 200, using: &generator)
        let shuffled = ratings.shuffled(using: &generator)
        #expect(ResponseTally(shuffled) == ResponseTally(ratings))
        let a = ResponseTally(ratings.prefix(50)), b = ResponseTally(ratings.dropFirst(50).prefix(70)), c = ResponseTally(ratings.dropFirst(120))
        #expect(a + b == b + a)
        #expect((a + b) + c == a + (b + c))
        #expect(a + .zero == a)
        var accumulated = ResponseTally.zero
        accumulated += c
        accumulated += a
        accumulated += b
        #expect(accumulated == ResponseTally(ratings))
    }

    @Test(arguments: seeds)
    func levelCountsAddLevelByLevel(seed: UInt64) {
        var generator = SeededGenerator(state: seed)
        func random() -> LevelCounts {
            LevelCounts(
                verySatisfied: .random(in: 0...1000, using: &generator), satisfied: .random(in: 0...1000, using: &generator),
                neutral: .random(in: 0...1000, using: &generator), dissatisfied: .random(in: 0...1000, using: &generator),
                veryDissatisfied: .random(in: 0...1000, using: &generator)
            )
        }
        let x = random(), y = random()
        let sum = x + y
        for level in Level.allCases {
            #expect(sum[level] == x[level] + y[level])
        }
        #expect(sum.total == x.total + y.total)
        #expect(sum.topTwo == x.topTwo + y.topTwo && sum.bottomTwo == x.bottomTwo + y.bottomTwo)
        #expect(x + .zero == x)
    }

    /// Averaging the windows' scores would give (100 + 50) / 2 = 75; pooling weighs each
    /// response once: 25 · (4 + 99·2) / 100 = 50.50.
    @Test func poolingIsNotAveragingPercentages() throws {
        let busy = ResponseTally(Array(repeating: Ratings(attitude: .neutral, efficiency: .neutral, result: .neutral), count: 99))
        let quiet = ResponseTally([Ratings(attitude: .verySatisfied, efficiency: .verySatisfied, result: .verySatisfied)])
        let pooled = Indicator.compute(busy + quiet)
        #expect(pooled.composite?.description == "50.50")
        #expect(pooled.attitude.satisfied.percent?.description == "1.00")
    }
}
