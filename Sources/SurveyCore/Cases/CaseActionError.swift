/// Why the case machine refused an action, with a stable `code`. The web layer maps
/// `illegalTransition` to 409, `notAllowedForRole` to 403 and the rest to 400.
public enum CaseActionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The action makes no sense from the current state; `allowed` is what does.
    case illegalTransition(action: CaseActionName, state: CaseStateName, pending: String?, allowed: [CaseActionName])
    /// The state allows the action, but not for this principal.
    case notAllowedForRole(action: CaseActionName, needs: CaseAuthority)
    /// A required field is missing or blank: `note`, `reason` or `assignee`.
    case fieldRequired(String)
    /// An extension asked for a number of days outside `allowed`.
    case extensionDaysOutOfRange(Int, allowed: ClosedRange<Int>)
    /// `unreachable` needs a recorded callback attempt first.
    case callbackAttemptRequired

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .illegalTransition: "case_illegal_transition"
        case .notAllowedForRole: "case_action_forbidden"
        case .fieldRequired: "case_field_required"
        case .extensionDaysOutOfRange: "case_extension_days_out_of_range"
        case .callbackAttemptRequired: "case_callback_attempt_required"
        }
    }

    /// The actions allowed from the current state, as the message lists them.
    public var allowedList: String {
        guard case .illegalTransition(_, _, _, let allowed) = self else { return "" }
        return allowed.map(\.rawValue).joined(separator: ", ")
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .illegalTransition(let action, let state, let pending, _):
            "案件当前为“\(state.chineseLabel)”\(pending.map { "（待审批：\($0)）" } ?? "")，不能执行 \(action.rawValue)；可执行：\(allowedList)。"
        case .notAllowedForRole(let action, _): "您的角色不能对此案件执行 \(action.rawValue)。"
        case .fieldRequired(let field): "必须填写 \(field)。"
        case .extensionDaysOutOfRange(let days, let allowed):
            "延期天数 \(days) 无效，应为 \(allowed.lowerBound) 到 \(allowed.upperBound) 个工作日。"
        case .callbackAttemptRequired: "标记“无法联系”之前必须先记录一次回访尝试。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .illegalTransition(let action, let state, let pending, _):
            "A case in state \(state.rawValue)\(pending.map { " (\($0) pending)" } ?? "") cannot \(action.rawValue); allowed: \(allowedList)."
        case .notAllowedForRole(let action, _): "Your role may not \(action.rawValue) this case."
        case .fieldRequired(let field): "\(field) is required."
        case .extensionDaysOutOfRange(let days, let allowed):
            "An extension of \(days) days is not allowed; ask for \(allowed.lowerBound) to \(allowed.upperBound) working days."
        case .callbackAttemptRequired: "Record a callback attempt before marking the citizen unreachable."
        }
    }

    public var description: String { englishMessage }
}
