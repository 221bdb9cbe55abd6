/// The result of the callback (回访) to the citizen that completes a rectification.
public enum CallbackResult: String, Sendable, CaseIterable, Codable {
    /// 满意
    case satisfied
    /// 基本满意
    case basicallySatisfied = "basically_satisfied"
    /// 不满意
    case dissatisfied
    /// The citizen could not be reached, after at least one recorded attempt.
    case unreachable

    /// Whether the citizen was reached: the callbacks counted by 回访率.
    public var reached: Bool { self != .unreachable }
}

/// What a head asks an appeal (申诉) to rule a rating to be.
public enum AppealRuling: String, Sendable, CaseIterable, Codable {
    /// The rating is invalid (无效差评): not about the service, a mistaken press.
    case invalid
    /// The rating is malicious (恶意差评).
    case malicious
}

/// An appeal waiting for an admin's decision.
public struct Appeal: Sendable, Equatable, Codable {
    public var ruling: AppealRuling
    public var reason: String
    /// Who asked, as the audit names them.
    public var requestedBy: String

    public init(ruling: AppealRuling, reason: String, requestedBy: String) {
        self.ruling = ruling
        self.reason = reason
        self.requestedBy = requestedBy
    }
}

/// A request for more working days (延期), waiting for an admin's decision.
public struct ExtensionRequest: Sendable, Equatable, Codable {
    public var days: Int
    public var reason: String
    public var requestedBy: String

    public init(days: Int, reason: String, requestedBy: String) {
        self.days = days
        self.reason = reason
        self.requestedBy = requestedBy
    }
}

/// A request an open case may carry while an admin decides it; at most one at a time.
public enum PendingRequest: Sendable, Equatable, Codable {
    case appeal(Appeal)
    case `extension`(ExtensionRequest)
}

/// The callback that rectified a case.
public struct Callback: Sendable, Equatable, Codable {
    public var result: CallbackResult
    public var note: String

    public init(result: CallbackResult, note: String) {
        self.result = result
        self.note = note
    }
}

/// How a case came to be closed.
public enum Closure: Sendable, Equatable, Codable {
    /// Closed by a head or an admin after its rectification and callback.
    case rectified(Callback)
    /// Closed because an admin upheld its appeal; the response is flagged and kept.
    case appealUpheld(Appeal)

    /// The stable name stored and shown: `rectified` or `appeal_upheld`.
    public var name: String {
        switch self {
        case .rectified: "rectified"
        case .appealUpheld: "appeal_upheld"
        }
    }
}

/// Where a 差评 case stands. Each case carries what only that state has, so a rectified
/// case without a callback, or a closed case with a pending extension, cannot be written.
///
/// Transitions, decided by `CaseMachine`:
/// - `new`: `start` → `inProgress`; `appeal`, `request_extension` add a pending request.
/// - `inProgress`: `rectify` (with a callback) → `rectified`; `appeal`, `request_extension`.
/// - a pending appeal: `approve_appeal` → `closed(.appealUpheld)`, `reject_appeal` → back.
/// - a pending extension: `approve_extension` adds its days to the deadline, `reject_extension`
///   drops it; work goes on meanwhile (`start`, `rectify`, which withdraws it).
/// - `rectified`: `close` → `closed(.rectified)`.
/// - every state: `note`; every open state: `assign`.
public enum CaseState: Sendable, Equatable, Codable {
    /// 待核实: opened with the response, not yet looked at.
    case new(pending: PendingRequest?)
    /// 整改中: verified and being put right.
    case inProgress(pending: PendingRequest?)
    /// 已整改: put right and the citizen called back.
    case rectified(Callback)
    /// 已关闭.
    case closed(Closure)

    /// The state's stable name.
    public var name: CaseStateName {
        switch self {
        case .new: .new
        case .inProgress: .inProgress
        case .rectified: .rectified
        case .closed: .closed
        }
    }

    /// The request waiting for an admin, if any.
    public var pending: PendingRequest? {
        switch self {
        case .new(let pending), .inProgress(let pending): pending
        case .rectified, .closed: nil
        }
    }

    /// Whether the case still has to be put right: it counts towards overdue.
    public var isOpen: Bool { name == .new || name == .inProgress }
}

/// The names of the case states, as stored, filtered on and shown by the API.
public enum CaseStateName: String, Sendable, CaseIterable, Codable {
    case new
    case inProgress = "in_progress"
    case rectified
    case closed

    /// The name in Chinese, as the national 好差评 rules say it.
    public var chineseLabel: String {
        switch self {
        case .new: "待核实"
        case .inProgress: "整改中"
        case .rectified: "已整改"
        case .closed: "已关闭"
        }
    }
}
