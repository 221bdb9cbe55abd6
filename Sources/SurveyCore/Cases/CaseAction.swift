/// Something a member of staff (or an integration) does to a case, with what it needs.
public enum CaseAction: Sendable, Equatable {
    /// Verified: work begins (待核实 → 整改中).
    case start(note: String?)
    /// Put right, with the callback's result and a note (整改中 → 已整改).
    case rectify(callback: CallbackResult, note: String)
    /// Done (已整改 → 已关闭), by a head or an admin.
    case close(note: String?)
    /// Hand the case to a reviewer.
    case assign(assignee: String, note: String?)
    /// A note on the case; `callbackAttempt` records a call that did not reach the citizen.
    case note(String, callbackAttempt: Bool)
    /// Ask for the rating to be ruled invalid or malicious (申诉).
    case appeal(ruling: AppealRuling, reason: String)
    case approveAppeal(note: String?)
    case rejectAppeal(note: String?)
    /// Ask for more working days (延期).
    case requestExtension(days: Int, reason: String)
    case approveExtension(note: String?)
    case rejectExtension(note: String?)

    /// The action's stable name, as the API takes it.
    public var name: CaseActionName {
        switch self {
        case .start: .start
        case .rectify: .rectify
        case .close: .close
        case .assign: .assign
        case .note: .note
        case .appeal: .appeal
        case .approveAppeal: .approveAppeal
        case .rejectAppeal: .rejectAppeal
        case .requestExtension: .requestExtension
        case .approveExtension: .approveExtension
        case .rejectExtension: .rejectExtension
        }
    }

    /// The free text the action carries, recorded with its event.
    public var note: String? {
        switch self {
        case .start(let note), .close(let note), .assign(_, let note), .approveAppeal(let note),
             .rejectAppeal(let note), .approveExtension(let note), .rejectExtension(let note):
            note
        case .rectify(_, let note), .note(let note, _): note
        case .appeal(_, let reason), .requestExtension(_, let reason): reason
        }
    }
}

/// The names of the case actions, in the order the API documents them.
public enum CaseActionName: String, Sendable, CaseIterable, Codable, Comparable {
    case start
    case rectify
    case close
    case assign
    case note
    case appeal
    case approveAppeal = "approve_appeal"
    case rejectAppeal = "reject_appeal"
    case requestExtension = "request_extension"
    case approveExtension = "approve_extension"
    case rejectExtension = "reject_extension"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Who may take the action at all, whatever the state.
    public var authority: CaseAuthority {
        switch self {
        case .start, .rectify, .note, .requestExtension: .handler
        case .close, .assign, .appeal: .head
        case .approveAppeal, .rejectAppeal, .approveExtension, .rejectExtension: .admin
        }
    }
}

/// How much say someone has over a case. Ordered: an admin may do what a head may, a head
/// what a handler may.
public enum CaseAuthority: Int, Sendable, Comparable {
    /// May not change the case: a viewer, a reviewer it is not assigned to, a read-only key.
    case none
    /// Handles the case: the reviewer it is assigned to.
    case handler
    /// A head of its department, or an integration key with `cases:write`.
    case head
    /// An admin.
    case admin

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The scope an API key needs to change cases.
    public static let writeScope = "cases:write"

    /// The authority `principal` has over `file`. Department scoping is the store's job:
    /// a case outside the principal's departments is never handed to the machine.
    public static func of(_ principal: Principal, over file: CaseFile) -> CaseAuthority {
        switch principal.kind {
        case .staff(let username, let role):
            switch role {
            case .admin: .admin
            case .head: .head
            case .reviewer: file.assignee == username ? .handler : .none
            case .viewer: .none
            }
        case .apiKey(_, let scopes):
            scopes.contains(writeScope) ? .head : .none
        }
    }
}
