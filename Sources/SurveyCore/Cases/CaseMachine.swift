import Foundation

/// What happened to a case, as its history records it.
public struct CaseEvent: Sendable, Equatable {
    public var action: CaseActionName
    public var from: CaseStateName
    public var to: CaseStateName
    /// The note, reason or callback note given with the action.
    public var note: String?
    /// The action's other particulars (`callback_result`, `days`, `ruling`, `assignee`…),
    /// stored as a JSON object with the event.
    public var data: [String: String]

    public init(action: CaseActionName, from: CaseStateName, to: CaseStateName, note: String?, data: [String: String] = [:]) {
        self.action = action
        self.from = from
        self.to = to
        self.note = note
        self.data = data
    }
}

/// What the store must do beyond writing the case and its event, in the same transaction.
public enum CaseEffect: Sendable, Equatable {
    /// An upheld appeal: the response is flagged (kept, excluded from every score).
    case flagResponse(AppealRuling, reason: String)
}

/// The machine's answer to an action: the case as it now is, the event to record, and
/// any effects to perform.
public struct CaseDecision: Sendable, Equatable {
    public var file: CaseFile
    public var event: CaseEvent
    public var effects: [CaseEffect]
}

/// The 差评 case workflow, as a pure function of a case, an action and who takes it. It
/// performs nothing; the store loads the case, asks the machine, and writes what it says.
public enum CaseMachine {
    /// The actions the state allows, whoever asks.
    public static func allowedActions(in state: CaseState) -> [CaseActionName] {
        switch state {
        case .new(nil): [.start, .assign, .note, .appeal, .requestExtension]
        case .inProgress(nil): [.rectify, .assign, .note, .appeal, .requestExtension]
        case .new(.appeal?), .inProgress(.appeal?): [.assign, .note, .approveAppeal, .rejectAppeal]
        case .new(.extension?): [.start, .assign, .note, .approveExtension, .rejectExtension]
        case .inProgress(.extension?): [.rectify, .assign, .note, .approveExtension, .rejectExtension]
        case .rectified: [.close, .note]
        case .closed: [.note]
        }
    }

    /// Decides `action` on `file` taken by `principal` at `millis`.
    ///
    /// The principal's authority is checked first (`notAllowedForRole`), then the state
    /// (`illegalTransition`, listing what the state allows), then the action's fields.
    public static func decide(
        _ action: CaseAction, on file: CaseFile, by principal: Principal, atMillis millis: Int64, policy: CasePolicy
    ) throws(CaseActionError) -> CaseDecision {
        let name = action.name
        guard CaseAuthority.of(principal, over: file) >= name.authority else {
            throw .notAllowedForRole(action: name, needs: name.authority)
        }
        let allowed = allowedActions(in: file.state)
        guard allowed.contains(name) else {
            throw .illegalTransition(action: name, state: file.state.name, pending: pendingName(file.state.pending), allowed: allowed)
        }
        var next = file
        var data: [String: String] = [:]
        var effects: [CaseEffect] = []
        let note = trimmed(action.note)
        switch action {
        case .start:
            next.state = .inProgress(pending: file.state.pending)
        case .rectify(let result, _):
            guard let note else { throw .fieldRequired("note") }
            guard result != .unreachable || file.callbackAttempts > 0 else { throw .callbackAttemptRequired }
            if case .extension? = file.state.pending { data["extension_withdrawn"] = "true" }
            next.state = .rectified(Callback(result: result, note: note))
            next.rectifiedAtMillis = millis
            data["callback_result"] = result.rawValue
        case .close:
            guard case .rectified(let callback) = file.state else { preconditionFailure("close is only allowed when rectified") }
            next.state = .closed(.rectified(callback))
            next.closedAtMillis = millis
        case .assign(let assignee, _):
            guard let assignee = trimmed(assignee) else { throw .fieldRequired("assignee") }
            next.assignee = assignee
            data["assignee"] = assignee
        case .note(_, let attempt):
            guard note != nil else { throw .fieldRequired("note") }
            if attempt {
                next.callbackAttempts += 1
                data["callback_attempt"] = "true"
            }
        case .appeal(let ruling, _):
            guard let note else { throw .fieldRequired("reason") }
            next.state = reopened(file.state, pending: .appeal(Appeal(ruling: ruling, reason: note, requestedBy: principal.auditName)))
            data["ruling"] = ruling.rawValue
        case .approveAppeal:
            guard case .appeal(let appeal)? = file.state.pending else { preconditionFailure("no pending appeal") }
            next.state = .closed(.appealUpheld(appeal))
            next.closedAtMillis = millis
            effects.append(.flagResponse(appeal.ruling, reason: appeal.reason))
            data["ruling"] = appeal.ruling.rawValue
        case .rejectAppeal, .rejectExtension:
            next.state = reopened(file.state, pending: nil)
        case .requestExtension(let days, _):
            guard CasePolicy.extensionDays.contains(days) else {
                throw .extensionDaysOutOfRange(days, allowed: CasePolicy.extensionDays)
            }
            guard let note else { throw .fieldRequired("reason") }
            next.state = reopened(file.state, pending: .extension(ExtensionRequest(days: days, reason: note, requestedBy: principal.auditName)))
            data["days"] = String(days)
        case .approveExtension:
            guard case .extension(let request)? = file.state.pending else { preconditionFailure("no pending extension") }
            next.state = reopened(file.state, pending: nil)
            next.extensionDays += request.days
            next.deadline = policy.deadline(openedOn: file.openedDay, extensionDays: next.extensionDays)
            data["days"] = String(request.days)
            data["deadline"] = next.deadline.description
        }
        let event = CaseEvent(action: name, from: file.state.name, to: next.state.name, note: note, data: data)
        return CaseDecision(file: next, event: event, effects: effects)
    }

    /// The same open stage with another pending request.
    private static func reopened(_ state: CaseState, pending: PendingRequest?) -> CaseState {
        switch state {
        case .new: .new(pending: pending)
        case .inProgress: .inProgress(pending: pending)
        case .rectified, .closed: preconditionFailure("only open cases carry requests")
        }
    }

    /// The name of a pending request, for messages: `appeal` or `extension`.
    public static func pendingName(_ pending: PendingRequest?) -> String? {
        switch pending {
        case .appeal?: "appeal"
        case .extension?: "extension"
        case nil: nil
        }
    }

    private static func trimmed(_ text: String?) -> String? {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        return text
    }
}
