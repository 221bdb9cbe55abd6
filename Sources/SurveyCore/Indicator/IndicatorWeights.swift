import Foundation

/// How much each dimension counts in the composite indicator Σ wᵢ · scoreᵢ.
///
/// Weights are held as whole-number parts of a whole: wᵢ = partsᵢ / totalParts. That keeps
/// them exact, so the default of equal weights is exactly one third each (a decimal
/// 0.3333… is not, and would turn a true 89.995 into a published 89.99), and the weights
/// always add up to exactly 1 whatever rounding the input had.
public struct IndicatorWeights: Sendable, Hashable {
    /// The parts of 服务态度, 办事效率 and 办理结果, in lowest terms, not all zero.
    private let parts: (attitude: Int64, efficiency: Int64, result: Int64)

    /// How far the given weights' sum may be from 1 and still be accepted: enough for
    /// thirds written as 0.333 each, not enough to hide a typo such as 0.4/0.3/0.2.
    public static let tolerance: Decimal = Decimal(string: "0.001")!

    /// Equal weights, exactly one third each: the center's default.
    public static let equal = IndicatorWeights(parts: (1, 1, 1))

    private init(parts: (attitude: Int64, efficiency: Int64, result: Int64)) {
        let divisor = [parts.efficiency, parts.result].reduce(parts.attitude) { Self.gcd($0, $1) }
        self.parts = (parts.attitude / divisor, parts.efficiency / divisor, parts.result / divisor)
    }

    /// Weights as a policy writes them, such as 0.4, 0.3, 0.3.
    ///
    /// Each weight must be ≥ 0, and their sum within `tolerance` of 1. Weights are read to
    /// millionths (rounded half up) and then scaled to add up to exactly 1, so 0.333,
    /// 0.333, 0.333 becomes exact thirds and 0.4, 0.3, 0.3 stays exactly that.
    public init(attitude: Decimal, efficiency: Decimal, result: Decimal) throws(IndicatorError) {
        for (dimension, weight) in [(RatingDimension.attitude, attitude), (.efficiency, efficiency), (.result, result)]
        where weight < 0 {
            throw .negativeWeight(dimension, weight)
        }
        let sum = attitude + efficiency + result
        guard abs(sum - 1) <= Self.tolerance else {
            throw .weightsDoNotSumToOne(sum: sum)
        }
        self.init(parts: (Self.millionths(attitude), Self.millionths(efficiency), Self.millionths(result)))
    }

    /// Weights as whole-number parts, such as 4 : 3 : 3, exactly as `parts(of:)` reports
    /// them; for reading back a policy that was written down, such as a publication's.
    public init(attitudeParts: Int64, efficiencyParts: Int64, resultParts: Int64) throws(IndicatorError) {
        for (dimension, parts) in [(RatingDimension.attitude, attitudeParts), (.efficiency, efficiencyParts), (.result, resultParts)]
        where parts < 0 {
            throw .negativeWeight(dimension, Decimal(parts))
        }
        let total = attitudeParts + efficiencyParts + resultParts
        guard total > 0 else { throw .weightsDoNotSumToOne(sum: 0) }
        self.init(parts: (attitudeParts, efficiencyParts, resultParts))
    }

    /// The parts of one dimension; its weight is `parts(of:) / totalParts`.
    public func parts(of dimension: RatingDimension) -> Int64 {
        switch dimension {
        case .attitude: parts.attitude
        case .efficiency: parts.efficiency
        case .result: parts.result
        }
    }

    /// The sum of the three parts, the common denominator of the weights.
    public var totalParts: Int64 { parts.attitude + parts.efficiency + parts.result }

    /// The weight of one dimension as a fraction of 1 (for display: 1/3 shows as
    /// 0.333…; the composite itself is computed from the exact parts).
    public func weight(of dimension: RatingDimension) -> Decimal {
        Decimal(parts(of: dimension)) / Decimal(totalParts)
    }

    public static func == (lhs: IndicatorWeights, rhs: IndicatorWeights) -> Bool {
        lhs.parts == rhs.parts
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(parts.attitude)
        hasher.combine(parts.efficiency)
        hasher.combine(parts.result)
    }

    /// A non-negative weight (whose sum with the others is near 1) in millionths.
    private static func millionths(_ weight: Decimal) -> Int64 {
        var scaled = weight * 1_000_000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    private static func gcd(_ a: Int64, _ b: Int64) -> Int64 {
        var (x, y) = (a, b)
        while y != 0 {
            (x, y) = (y, x % y)
        }
        return x == 0 ? 1 : x
    }
}
