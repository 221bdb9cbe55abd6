/// Why a period could not be made from text or numbers. Each case carries the text it is
/// about and has a stable `code`; the words people read, saying what to write instead, are
/// the web layer's language catalogue.
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
}
