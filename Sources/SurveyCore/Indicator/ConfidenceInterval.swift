/// A two-sided confidence interval for a proportion, as fractions in [0, 1].
public struct ConfidenceInterval: Sendable, Hashable {
    /// The normal quantile for 95 % two-sided confidence, Φ⁻¹(0.975).
    public static let z95 = 1.959963984540054

    /// The lower bound, in [0, 1].
    public let lower: Double
    /// The upper bound, in [0, 1], never below `lower`.
    public let upper: Double
    /// The normal quantile the interval was computed with.
    public let z: Double

    /// An interval with the given bounds.
    public init(lower: Double, upper: Double, z: Double) {
        self.lower = lower
        self.upper = upper
        self.z = z
    }
}
