/// Why a submission was refused. Each case has a stable `code` for programs and carries
/// what a message needs; the words people read are the web layer's language catalogue.
/// None of it knows about HTTP.
public enum SubmissionError: Error, Sendable, Equatable {
    case unknownWindow(String)
    case missingScore(RatingDimension)
    case invalidScore(RatingDimension)
    case unknownChannel(String)
    case commentTooLong(limit: Int)
    case reasonTooLong(limit: Int)
    case tooManyReasons(limit: Int)
    /// A question answered negatively without a reason; names the question and the level.
    case reasonRequired(RatingDimension, Level)
    /// `rated_at` is not an RFC 3339 time.
    case invalidRatedAt
    /// `rated_at` lies in the future, or further back than the policy keeps ratings waiting.
    case ratedAtOutOfRange(maxAgeDays: Int)
    case invalidClientID
    case unknownServiceItem(String)
    case unknownStaff(String)

    public var code: String {
        switch self {
        case .unknownWindow: "unknown_window"
        case .missingScore: "missing_score"
        case .invalidScore: "invalid_score"
        case .unknownChannel: "unknown_channel"
        case .commentTooLong: "comment_too_long"
        case .reasonTooLong: "reason_too_long"
        case .tooManyReasons: "too_many_reasons"
        case .reasonRequired: "reason_required"
        case .invalidRatedAt: "invalid_rated_at"
        case .ratedAtOutOfRange: "rated_at_out_of_range"
        case .invalidClientID: "invalid_client_id"
        case .unknownServiceItem: "unknown_service_item"
        case .unknownStaff: "unknown_staff"
        }
    }

    /// The dimension the error is about, so a form can mark the right question.
    public var dimension: RatingDimension? {
        switch self {
        case .missingScore(let dimension), .invalidScore(let dimension), .reasonRequired(let dimension, _): dimension
        default: nil
        }
    }

    /// Whether the error is about the reasons for a 差评, so a form can mark that field.
    public var isAboutReasons: Bool {
        switch self {
        case .reasonRequired, .reasonTooLong, .tooManyReasons: true
        default: false
        }
    }

    /// Whether the error is about the free-text comment.
    public var isAboutComment: Bool {
        if case .commentTooLong = self { return true }
        return false
    }
}

/// Every problem of one submission, so a client hears them all in one answer.
public struct SubmissionProblems: Error, Sendable, Equatable {
    /// Never empty; in the order of the form.
    public var problems: [SubmissionError]

    public init(_ problems: [SubmissionError]) {
        precondition(!problems.isEmpty, "a refusal names at least one problem")
        self.problems = problems
    }
}
