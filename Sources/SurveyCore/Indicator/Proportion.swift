/// A share such as the satisfied share, the 差评率 or the 主动评价率: a count out of a
/// total, kept as both so shares pool by adding counts, never by averaging percentages.
public struct Proportion: Sendable, Hashable {
    /// The numerator: how many had the property.
    public let count: Int64
    /// The denominator: how many there were.
    public let total: Int64

    /// The share `count` of `total`.
    public init(count: Int64, total: Int64) {
        self.count = count
        self.total = total
    }

    /// `count / total`, or nil when the total is zero or less: an empty set has no share,
    /// and nil keeps NaN out of every page and export.
    public var value: Double? {
        total > 0 ? Double(count) / Double(total) : nil
    }

    /// The share in percent as a `Figure` (exact, published to 0.01 %), or nil when the
    /// total is zero or less.
    public var percent: Figure? {
        total > 0 ? Figure(numerator: Int128(count) * 100, denominator: Int128(total)) : nil
    }

    /// The Wilson score interval for the underlying proportion, or nil when there is no
    /// sample (`total ≤ 0`) or the count is outside `0...total`.
    ///
    /// Wilson rather than the textbook p̂ ± z·√(p̂(1−p̂)/n) because it stays inside [0, 1]
    /// and keeps a sensible width at p̂ = 0 or 1 and for small samples, which is exactly
    /// where a window with few responses sits.
    public func wilsonInterval(z: Double = ConfidenceInterval.z95) -> ConfidenceInterval? {
        guard total > 0, (0...total).contains(count) else { return nil }
        let n = Double(total)
        let p = Double(count) / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let halfWidth = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        // At p̂ = 0 or 1 the bound is exactly 0 or 1 in exact arithmetic; pin it so rounding
        // cannot report a lower bound of 1e-17 for a share that was never observed.
        let lower = count == 0 ? 0 : max(0, center - halfWidth)
        let upper = count == total ? 1 : min(1, center + halfWidth)
        return ConfidenceInterval(lower: lower, upper: upper, z: z)
    }
}
