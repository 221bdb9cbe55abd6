/// Everything the indicator needs to know about a set of responses: the level counts of
/// each dimension, how many responses there were, and how many of them were 差评.
///
/// Tallies are the unit of pooling. A department's quarter is the sum of its windows'
/// tallies, a year the sum of its quarters, and the sum does not depend on the order of
/// adding. Which responses count (misuse and test presses are left out) is decided
/// upstream, by the store; the tally only adds up what it is given.
///
/// A tally is always consistent: every dimension counts exactly `responses` ratings,
/// because each response rates all three dimensions, and `negative` is a possible number
/// of 差评 for those counts. `add(_:)`, `+` and the checking initializer keep it so.
public struct ResponseTally: Sendable, Hashable {
    /// Levels given for 服务态度.
    public private(set) var attitude: LevelCounts
    /// Levels given for 办事效率.
    public private(set) var efficiency: LevelCounts
    /// Levels given for 办理结果.
    public private(set) var result: LevelCounts
    /// How many responses were counted.
    public private(set) var responses: Int64
    /// How many responses had at least one dimension at 不满意 or below (差评).
    public private(set) var negative: Int64

    /// No responses; the identity of `+`.
    public static let zero = ResponseTally(
        unchecked: .zero, efficiency: .zero, result: .zero, responses: 0, negative: 0
    )

    private init(unchecked attitude: LevelCounts, efficiency: LevelCounts, result: LevelCounts, responses: Int64, negative: Int64) {
        self.attitude = attitude
        self.efficiency = efficiency
        self.result = result
        self.responses = responses
        self.negative = negative
    }

    /// A tally from stored aggregates, for example a store's `GROUP BY` sums.
    ///
    /// Throws `IndicatorError.inconsistentTally` unless every count is non-negative, every
    /// dimension counts exactly `responses` ratings, and `negative` lies between the
    /// largest bottom-2 count of any one dimension and the sum of the three (each
    /// bottom-2 rating makes its response a 差评, and a 差评 needs at least one). A
    /// failure here means the aggregates are wrong, so nothing is computed from them.
    public init(
        attitude: LevelCounts, efficiency: LevelCounts, result: LevelCounts,
        responses: Int64, negative: Int64
    ) throws(IndicatorError) {
        let all = [attitude, efficiency, result]
        guard responses >= 0, negative >= 0,
              all.allSatisfy({ $0.isNonNegative && $0.total == responses }) else {
            throw .inconsistentTally
        }
        let bottoms = all.map(\.bottomTwo)
        guard negative >= bottoms.max()!, negative <= min(responses, bottoms.reduce(0, +)) else {
            throw .inconsistentTally
        }
        self.init(unchecked: attitude, efficiency: efficiency, result: result, responses: responses, negative: negative)
    }

    /// The tally of the given responses.
    public init(_ ratings: some Sequence<Ratings>) {
        self = .zero
        for rating in ratings {
            add(rating)
        }
    }

    /// The counts of one dimension.
    public subscript(dimension: RatingDimension) -> LevelCounts {
        switch dimension {
        case .attitude: attitude
        case .efficiency: efficiency
        case .result: result
        }
    }

    /// Counts one more response.
    public mutating func add(_ ratings: Ratings) {
        attitude.add(ratings.attitude)
        efficiency.add(ratings.efficiency)
        result.add(ratings.result)
        responses += 1
        if ratings.isNegative {
            negative += 1
        }
    }

    /// The pooled tally of two disjoint sets of responses.
    public static func + (lhs: ResponseTally, rhs: ResponseTally) -> ResponseTally {
        ResponseTally(
            unchecked: lhs.attitude + rhs.attitude,
            efficiency: lhs.efficiency + rhs.efficiency,
            result: lhs.result + rhs.result,
            responses: lhs.responses + rhs.responses,
            negative: lhs.negative + rhs.negative
        )
    }

    /// Pools `rhs` into `lhs`.
    public static func += (lhs: inout ResponseTally, rhs: ResponseTally) {
        lhs = lhs + rhs
    }
}
