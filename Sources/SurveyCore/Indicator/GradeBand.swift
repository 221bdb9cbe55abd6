import Foundation

/// One grade of the assessment scale, such as 优秀 from 90 up.
public struct GradeBand: Sendable, Hashable, Codable {
    /// A stable identifier for programs, such as `excellent`.
    public let code: String
    /// The grade as published, such as 优秀.
    public let chineseLabel: String
    /// The grade in English, such as Excellent.
    public let englishLabel: String
    /// The lowest published score (two decimals) that earns this grade.
    public let threshold: Decimal

    /// A band; `GradeBands` checks a set of them before use.
    public init(code: String, chineseLabel: String, englishLabel: String, threshold: Decimal) {
        self.code = code
        self.chineseLabel = chineseLabel
        self.englishLabel = englishLabel
        self.threshold = threshold
    }

    /// The label in English or in Chinese.
    public func label(english: Bool) -> String {
        english ? englishLabel : chineseLabel
    }

    /// 优秀: a published score of 90.00 or more.
    public static let excellent = GradeBand(code: "excellent", chineseLabel: "优秀", englishLabel: "Excellent", threshold: 90)
    /// 良好: 80.00 up to 89.99.
    public static let good = GradeBand(code: "good", chineseLabel: "良好", englishLabel: "Good", threshold: 80)
    /// 合格: 70.00 up to 79.99.
    public static let pass = GradeBand(code: "pass", chineseLabel: "合格", englishLabel: "Pass", threshold: 70)
    /// 不合格: below 70.00.
    public static let fail = GradeBand(code: "fail", chineseLabel: "不合格", englishLabel: "Fail", threshold: 0)
}
