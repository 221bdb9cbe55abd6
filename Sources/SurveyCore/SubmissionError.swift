/// Why a submission was refused. Each case has a stable `code` for programs and a
/// message for people in Chinese and English; none of it knows about HTTP.
public enum SubmissionError: Error, Sendable, Equatable {
    case unknownWindow(String)
    case missingScore(RatingDimension)
    case invalidScore(RatingDimension)
    case unknownChannel(String)
    case commentTooLong(limit: Int)
    case reasonTooLong(limit: Int)
    case tooManyReasons(limit: Int)
    case reasonRequired
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
        case .invalidClientID: "invalid_client_id"
        case .unknownServiceItem: "unknown_service_item"
        case .unknownStaff: "unknown_staff"
        }
    }

    /// The dimension the error is about, so a form can mark the right question.
    public var dimension: RatingDimension? {
        switch self {
        case .missingScore(let dimension), .invalidScore(let dimension): dimension
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

    public var chineseMessage: String {
        switch self {
        case .unknownWindow(let code): "找不到编号为“\(code)”的窗口，或该窗口已停用。"
        case .missingScore(let dimension): "请为“\(dimension.chineseLabel)”选择一个评价。"
        case .invalidScore(let dimension): "“\(dimension.chineseLabel)”的评分必须是 1 到 5 的整数。"
        case .unknownChannel(let name): "评价渠道“\(name)”无效，应为 kiosk、qr 或 web。"
        case .commentTooLong(let limit): "留言太长了，请不要超过 \(limit) 个字。"
        case .reasonTooLong(let limit): "每条原因请不要超过 \(limit) 个字。"
        case .tooManyReasons(let limit): "最多选择 \(limit) 条原因。"
        case .reasonRequired: "您选择了“不满意”，请告诉我们原因：选择一项或填写其他原因。"
        case .invalidClientID: "client_id 必须是 8 到 64 个字母、数字或 -_.: 字符，例如一个 UUID。"
        case .unknownServiceItem(let code): "找不到该科室编号为“\(code)”的办理事项。"
        case .unknownStaff(let code): "找不到该科室编号为“\(code)”的工作人员。"
        }
    }

    public var englishMessage: String {
        switch self {
        case .unknownWindow(let code): "There is no active window with code “\(code)”."
        case .missingScore(let dimension): "Please choose a rating for “\(dimension.englishLabel)”."
        case .invalidScore(let dimension): "The rating for “\(dimension.englishLabel)” must be a whole number from 1 to 5."
        case .unknownChannel(let name): "The channel “\(name)” is not one of kiosk, qr or web."
        case .commentTooLong(let limit): "The comment is too long: at most \(limit) characters, please."
        case .reasonTooLong(let limit): "Each reason may be at most \(limit) characters long."
        case .tooManyReasons(let limit): "Choose at most \(limit) reasons."
        case .reasonRequired: "You chose “dissatisfied”: please tell us why, by choosing a reason or writing one."
        case .invalidClientID: "client_id must be 8 to 64 letters, digits or -_.: characters, such as a UUID."
        case .unknownServiceItem(let code): "This department has no service item with code “\(code)”."
        case .unknownStaff(let code): "This department has no staff member with code “\(code)”."
        }
    }
}
