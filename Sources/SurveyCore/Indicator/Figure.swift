import Foundation

/// A number Pingjia publishes (a mean, a 0–100 score, the composite indicator, a
/// percentage), held as an exact fraction together with the two-decimal value people see.
///
/// Why exact: a score is 25 · Σ(level − 1)·count / N and the composite adds three of them
/// with weights such as exact thirds. Binary floating point cannot hold 89.995, and a
/// decimal 1/3 is already rounded, so either could publish 89.99 where the true value
/// rounds to 90.00 and changes the grade. Here the published value is rounded once, from
/// the exact fraction, half away from zero, to 0.01.
public struct Figure: Sendable, Hashable, CustomStringConvertible {
    /// The exact value's numerator, in lowest terms with `denominator`.
    public let numerator: Int128
    /// The exact value's denominator, positive and in lowest terms with `numerator`.
    public let denominator: Int128
    /// The published value in hundredths: the exact value × 100, rounded to the nearest
    /// integer with ties away from zero (8999 for 89.99, 9000 for 89.995).
    public let publishedHundredths: Int64

    /// The figure `numerator / denominator`; `denominator` must not be zero.
    init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "a figure needs a non-zero denominator")
        let divisor = Self.gcd(numerator, denominator) * (denominator < 0 ? -1 : 1)
        self.numerator = numerator / divisor
        self.denominator = denominator / divisor
        publishedHundredths = Int64(Self.roundedHalfAwayFromZero(self.numerator * 100, self.denominator))
    }

    /// The unrounded value, to the 38 significant digits `Decimal` holds: exact whenever
    /// the fraction terminates (89.995 is exactly 89.995), otherwise off by less than one
    /// unit in the 38th digit. For display of extra digits and for export, never for
    /// grading: grades use `published`.
    public var value: Decimal {
        Self.decimal(numerator) / Self.decimal(denominator)
    }

    /// The published value, exactly `publishedHundredths / 100`.
    public var published: Decimal {
        Decimal(publishedHundredths) / 100
    }

    /// The published value as the nearest `Double`, for charts and JSON.
    public var publishedDouble: Double {
        Double(publishedHundredths) / 100
    }

    /// The published value with exactly two decimals, such as `90.00` or `89.99`.
    public var description: String {
        let magnitude = publishedHundredths.magnitude
        let cents = magnitude % 100
        return (publishedHundredths < 0 ? "-" : "") + "\(magnitude / 100)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    /// `dividend / divisor` rounded to an integer, halves away from zero; `divisor > 0`.
    static func roundedHalfAwayFromZero(_ dividend: Int128, _ divisor: Int128) -> Int128 {
        let quotient = dividend / divisor
        let remainder = dividend % divisor
        guard 2 * remainder.magnitude >= divisor.magnitude else { return quotient }
        return dividend < 0 ? quotient - 1 : quotient + 1
    }

    static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
        var (x, y) = (a.magnitude, b.magnitude)
        while y != 0 {
            (x, y) = (y, x % y)
        }
        return x == 0 ? 1 : Int128(x)
    }

    /// `Decimal` has no `Int128` initializer; this splits the value into base-10¹⁸ digits,
    /// each exact as an `Int64`, so the conversion is exact up to Decimal's 38 digits.
    static func decimal(_ value: Int128) -> Decimal {
        let base: Int128 = 1_000_000_000_000_000_000
        guard value.magnitude >= base.magnitude else { return Decimal(Int64(value)) }
        return decimal(value / base) * Decimal(Int64(base)) + Decimal(Int64(value % base))
    }
}
