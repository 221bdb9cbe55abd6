/// Why a period could not be made from text or numbers. Each case carries the text it is
/// about, has a stable `code`, and a message in Chinese and English that says what to write.
public enum PeriodError: Error, Sendable, Hashable {
    /// Nothing was given.
    case empty
    /// The text has none of the accepted forms.
    case unrecognized(String)
    /// A year outside 0001–9999.
    case yearOutOfRange(String)
    /// A month outside 01–12, such as `2026-13`.
    case monthOutOfRange(String)
    /// A quarter outside Q1–Q4, such as `2026-Q5`.
    case quarterOutOfRange(String)
    /// A half outside H1–H2, such as `2026-H3`.
    case halfOutOfRange(String)
    /// A date that does not exist, such as `2026-02-30`.
    case invalidDate(String)
    /// A range whose first day is after its last, such as `2026-10-15..2026-10-01`.
    case reversedRange(String)

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .empty: "period_empty"
        case .unrecognized: "period_unrecognized"
        case .yearOutOfRange: "period_year_out_of_range"
        case .monthOutOfRange: "period_month_out_of_range"
        case .quarterOutOfRange: "period_quarter_out_of_range"
        case .halfOutOfRange: "period_half_out_of_range"
        case .invalidDate: "period_invalid_date"
        case .reversedRange: "period_reversed_range"
        }
    }

    private static let chineseForms = "可用格式：2026-11（月）、2026-Q4（季度）、2026-H2（半年）、2026（年）、2026-10-01..2026-10-15（起止日期，含两端）。"
    private static let englishForms = "Use 2026-11 (month), 2026-Q4 (quarter), 2026-H2 (half year), 2026 (year) or 2026-10-01..2026-10-15 (inclusive dates)."

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .empty: "请填写统计周期。" + Self.chineseForms
        case .unrecognized(let text): "无法识别统计周期“\(text)”。" + Self.chineseForms
        case .yearOutOfRange(let text): "“\(text)”中的年份应在 0001 到 9999 之间。"
        case .monthOutOfRange(let text): "“\(text)”中的月份应在 01 到 12 之间。"
        case .quarterOutOfRange(let text): "“\(text)”中的季度应为 Q1 到 Q4。"
        case .halfOutOfRange(let text): "“\(text)”中的半年应为 H1（上半年）或 H2（下半年）。"
        case .invalidDate(let text): "日期“\(text)”不存在。"
        case .reversedRange(let text): "“\(text)”的开始日期晚于结束日期。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .empty: "Please give a period. " + Self.englishForms
        case .unrecognized(let text): "“\(text)” is not a period. " + Self.englishForms
        case .yearOutOfRange(let text): "The year in “\(text)” must be from 0001 to 9999."
        case .monthOutOfRange(let text): "The month in “\(text)” must be from 01 to 12."
        case .quarterOutOfRange(let text): "The quarter in “\(text)” must be Q1 to Q4."
        case .halfOutOfRange(let text): "The half in “\(text)” must be H1 (first half) or H2 (second half)."
        case .invalidDate(let text): "There is no date “\(text)”."
        case .reversedRange(let text): "The range “\(text)” starts after it ends."
        }
    }
}
