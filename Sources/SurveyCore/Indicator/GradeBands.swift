import Foundation

/// The grade scale: bands from the highest threshold down to a last band at 0, so every
/// published score from 0 to 100 has exactly one grade.
public struct GradeBands: Sendable, Hashable {
    /// The bands, highest threshold first; the last one's threshold is 0.
    public let bands: [GradeBand]
    /// The thresholds in hundredths, parallel to `bands`, compared with
    /// `Figure.publishedHundredths` so grading is integer comparison.
    private let thresholdHundredths: [Int64]

    /// The center's scale: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 70, 不合格 below.
    public static let `default` = try! GradeBands([.excellent, .good, .pass, .fail])

    /// A scale from bands listed highest first.
    ///
    /// Throws unless there is at least one band, every band has a code and both labels,
    /// codes are distinct, thresholds lie in 0...100 with at most two decimals (scores are
    /// published to two decimals, so a finer threshold would only blur the edge), each
    /// threshold is strictly below the one before it, and the last threshold is 0.
    public init(_ bands: [GradeBand]) throws(IndicatorError) {
        guard let last = bands.last else { throw .noGradeBands }
        var hundredths: [Int64] = []
        var codes: Set<String> = []
        for (index, band) in bands.enumerated() {
            guard [band.code, band.chineseLabel, band.englishLabel].allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                throw .blankGradeBand(position: index + 1)
            }
            guard codes.insert(band.code).inserted else { throw .duplicateGradeCode(band.code) }
            guard band.threshold >= 0, band.threshold <= 100 else {
                throw .gradeThresholdOutOfRange(code: band.code, threshold: band.threshold)
            }
            var scaled = band.threshold * 100
            var whole = Decimal()
            NSDecimalRound(&whole, &scaled, 0, .plain)
            guard whole == scaled else {
                throw .gradeThresholdTooPrecise(code: band.code, threshold: band.threshold)
            }
            let threshold = NSDecimalNumber(decimal: whole).int64Value
            if let previous = hundredths.last, threshold >= previous {
                throw .gradeThresholdsNotDescending(code: band.code)
            }
            hundredths.append(threshold)
        }
        guard hundredths.last == 0 else {
            throw .lowestGradeThresholdNotZero(code: last.code, threshold: last.threshold)
        }
        self.bands = bands
        thresholdHundredths = hundredths
    }

    /// The grade of a published score: the first band whose threshold the score reaches.
    /// The score is taken as published (two decimals), never the unrounded value, so the
    /// grade always agrees with the number people see.
    public func grade(for score: Figure) -> GradeBand {
        grade(forHundredths: score.publishedHundredths)
    }

    /// The grade of a published score given in hundredths (8999 for 89.99).
    public func grade(forHundredths hundredths: Int64) -> GradeBand {
        let index = thresholdHundredths.firstIndex { hundredths >= $0 } ?? bands.count - 1
        return bands[index]
    }
}
