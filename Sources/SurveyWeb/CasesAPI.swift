import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The 差评 cases over the JSON API: `GET /api/v1/cases`, `GET /api/v1/cases/{id}` (with
/// its history) and `POST /api/v1/cases/{id}/actions`.
///
/// Every read and action goes through the principal's departments: a case of another
/// department is answered 404, exactly as one that does not exist. Reads need a session or
/// a key with `feedback:read`; actions a session (with its CSRF token) or a key with
/// `cases:write`. The machine decides the rest: 403 for a role that may not take the
/// action, 409 for one the state does not allow (naming what it allows).
extension WebApplication {
    /// The longest note, reason or callback note a case action takes, in characters.
    static let maxCaseText = 1000

    /// The case API and the case pages.
    func installCases(on router: Router) {
        router.on("GET", "/api/v1/cases") { [self] request in
            let principal = try principal(for: request, scope: Self.feedbackReadScope)
            let query = try Self.caseListQuery(request, scope: principal.departments)
            return slowRead(request) { [self] in
                let today = centerToday()
                let page = try store.cases(filter: query.filter, cursor: query.cursor, limit: query.limit, today: today)
                return .json(CasePresentation.json(page, today: today).serialized())
            }
        }

        router.on("GET", "/api/v1/cases/{id}") { [self] request in
            let principal = try principal(for: request, scope: Self.feedbackReadScope)
            let id = try Self.caseID(request)
            return slowRead(request) { [self] in
                guard let detail = try store.case(id: id, scope: principal.departments) else {
                    throw Self.caseNotFound(id, Language.negotiate(request))
                }
                return .json(CasePresentation.json(detail, today: centerToday()).serialized())
            }
        }

        router.on("POST", "/api/v1/cases/{id}/actions") { [self] request in
            let principal = try principal(for: request, scope: Self.casesWriteScope)
            let language = Language.negotiate(request)
            let id = try Self.caseID(request)
            guard request.mediaType == "application/json" else {
                throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
            }
            guard case .object(let members)? = JSONInput.parse(request.body) else {
                throw HTTPError(status: 400, code: "malformed_json", .malformedJSON, in: language)
            }
            let action = try Self.caseAction(CaseActionFields(json: members), language: language)
            return slowRead(request) { [self] in
                let detail = try takeCaseAction(action, on: id, by: principal, language: language)
                return .json(CasePresentation.json(detail, today: centerToday()).serialized())
            }
        }

        installCasePages(on: router)
    }

    /// Today in the center's time zone: what decides whether a case is overdue.
    func centerToday() -> LocalDay {
        LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: store.timeZone)
    }

    /// Takes `action` on case `id` for `principal` and returns the case as it now is, with
    /// its history. The store does it in one transaction with the case's history and the
    /// audit log; refusals come back as `HTTPError`s worded in `language`, and change nothing.
    func takeCaseAction(_ action: CaseAction, on id: Int64, by principal: Principal, language: Language) throws -> CaseDetail {
        if case .assign(let assignee, _) = action {
            // Scoping first: outside the principal's departments the case does not exist.
            guard let detail = try store.case(id: id, scope: principal.departments) else { throw Self.caseNotFound(id, language) }
            try checkAssignee(assignee, for: detail.file, language: language)
        }
        do {
            try store.perform(action, on: id, by: principal)
        } catch let error as CaseActionError {
            throw Self.httpError(error, language: language)
        } catch is CaseStoreError {
            throw Self.caseNotFound(id, language)
        }
        guard let detail = try store.case(id: id, scope: principal.departments) else { throw Self.caseNotFound(id, language) }
        return detail
    }

    /// A case is assigned to an enabled reviewer or head of its own department; a blank
    /// name is left to the machine, which names the missing field.
    private func checkAssignee(_ name: String, for file: CaseFile, language: Language) throws {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { return }
        guard let user = try store.staffUser(named: name), !user.disabled, user.role == .reviewer || user.role == .head,
              user.departmentCodes.contains(file.departmentCode) else {
            throw HTTPError(status: 422, code: "case_unknown_assignee", .caseUnknownAssignee, ["name": name], in: language)
        }
    }

    /// The accounts a case of `departmentCode` may be assigned to, by name.
    func assignees(for departmentCode: String) throws -> [StaffUser] {
        try store.staffUsers().filter { user in
            !user.disabled && (user.role == .reviewer || user.role == .head) && user.departmentCodes.contains(departmentCode)
        }
    }

    // MARK: Reading requests

    static func caseNotFound(_ id: Int64, _ language: Language) -> HTTPError {
        HTTPError(status: 404, code: "case_not_found", .caseNotFound, ["id": String(id)], in: language)
    }

    static func caseID(_ request: Request) throws -> Int64 {
        // Anything but a positive number is an id that does not exist.
        guard let text = request.pathParameters["id"], let id = Int64(text), id > 0 else {
            throw caseNotFound(0, Language.negotiate(request))
        }
        return id
    }

    /// `state`, `department`, `overdue`, `assignee`, `cursor` and `limit`, read strictly
    /// (`StrictQuery`).
    static func caseListQuery(_ request: Request, scope: DepartmentScope) throws -> CaseListQuery {
        let strict = StrictQuery(request)
        let language = strict.language, invalid = strict.invalid, value = strict.value
        var query = CaseListQuery(filter: CaseFilter(scope: scope))
        if let text = value("state") {
            guard let state = CaseStateName(rawValue: text) else {
                throw invalid("state", CaseStateName.allCases.map(\.rawValue).joined(separator: ", "))
            }
            query.filter.state = state
        }
        query.filter.departmentCode = value("department")
        query.filter.overdue = try strict.flag("overdue")
        query.filter.assignee = value("assignee")?.lowercased()
        if let text = value("cursor") {
            guard let cursor = Int64(text), cursor > 0 else {
                throw HTTPError(status: 400, code: "invalid_cursor", .caseInvalidCursor, in: language)
            }
            query.cursor = cursor
        }
        if let limit = try strict.limit(maximum: SurveyStore.maximumCasePage) { query.limit = limit }
        return query
    }

    /// The action a body or form asks for. A missing or unknown action, a field of the
    /// wrong type or value, or a text too long is 422 naming the field; a missing note or
    /// reason is the machine's to refuse (it knows which action needs which).
    static func caseAction(_ fields: CaseActionFields, language: Language) throws -> CaseAction {
        let names = CaseActionName.allCases.map(\.rawValue).joined(separator: ", ")
        guard let text = try fields.text("action", language), let name = CaseActionName(rawValue: text) else {
            throw HTTPError(status: 422, code: "case_invalid_action", .caseInvalidAction, ["allowed": names], in: language)
        }
        func limited(_ field: String) throws -> String? {
            guard let text = try fields.text(field, language).map(TextNormalization.normalized) else { return nil }
            guard text.count <= maxCaseText else {
                throw HTTPError(status: 422, code: "case_text_too_long", .caseTextTooLong, ["name": field, "limit": String(maxCaseText)], in: language)
            }
            return text.isEmpty ? nil : text
        }
        func choice<Value: RawRepresentable & CaseIterable>(_ field: String, _: Value.Type) throws -> Value where Value.RawValue == String {
            guard let text = try fields.text(field, language), let value = Value(rawValue: text) else {
                let expected = Value.allCases.map(\.rawValue).joined(separator: ", ")
                throw HTTPError(status: 422, code: "case_invalid_field", .caseInvalidField, ["name": field, "expected": expected], in: language)
            }
            return value
        }
        let note = try limited("note")
        switch name {
        case .start: return .start(note: note)
        case .rectify: return .rectify(callback: try choice("callback_result", CallbackResult.self), note: note ?? "")
        case .close: return .close(note: note)
        case .assign: return .assign(assignee: try fields.text("assignee", language) ?? "", note: note)
        case .note: return .note(note ?? "", callbackAttempt: try fields.flag("callback_attempt", language))
        case .appeal: return .appeal(ruling: try choice("ruling", AppealRuling.self), reason: try limited("reason") ?? "")
        case .approveAppeal: return .approveAppeal(note: note)
        case .rejectAppeal: return .rejectAppeal(note: note)
        case .requestExtension:
            guard let days = try fields.integer("days", language) else {
                throw HTTPError(status: 422, code: "case_invalid_field", .caseInvalidField,
                                ["name": "days", "expected": CaseActionFields.daysExpected], in: language)
            }
            return .requestExtension(days: days, reason: try limited("reason") ?? "")
        case .approveExtension: return .approveExtension(note: note)
        case .rejectExtension: return .rejectExtension(note: note)
        }
    }

    /// The machine's refusal, worded from the catalogue: 403 for the role, 409 for the
    /// state (with what the state allows), 422 for the fields.
    static func httpError(_ error: CaseActionError, language: Language) -> HTTPError {
        switch error {
        case .illegalTransition(let action, let state, let pending, _):
            var arguments = ["state": language[phrase(state)], "action": action.rawValue, "allowed": error.allowedList]
            guard let pending else { return HTTPError(status: 409, code: error.code, .caseIllegalTransition, arguments, in: language) }
            arguments["pending"] = language[pending == "appeal" ? .casePendingAppealName : .casePendingExtensionName]
            return HTTPError(status: 409, code: error.code, .caseIllegalTransitionPending, arguments, in: language)
        case .notAllowedForRole(let action, _):
            return HTTPError(status: 403, code: error.code, .caseActionForbidden, ["action": action.rawValue], in: language)
        case .fieldRequired(let field):
            return HTTPError(status: 422, code: error.code, .caseFieldRequired, ["name": field], in: language)
        case .extensionDaysOutOfRange(let days, let allowed):
            return HTTPError(status: 422, code: error.code, .caseExtensionDays,
                             ["days": String(days), "min": String(allowed.lowerBound), "max": String(allowed.upperBound)], in: language)
        case .callbackAttemptRequired:
            return HTTPError(status: 409, code: error.code, .caseCallbackAttemptRequired, in: language)
        }
    }

    static func phrase(_ state: CaseStateName) -> Phrase {
        switch state {
        case .new: .caseStateNew
        case .inProgress: .caseStateInProgress
        case .rectified: .caseStateRectified
        case .closed: .caseStateClosed
        }
    }
}

/// The query of `GET /api/v1/cases` and of the case list page.
struct CaseListQuery {
    var filter = CaseFilter(scope: .only([]))
    var cursor: Int64?
    var limit = 50
}

/// The fields of a case action, from a JSON body or from a page's form, read by what each
/// field must be. From JSON a value of the wrong type is refused naming the field; a form
/// sends only text, so there the text must read as the type.
struct CaseActionFields {
    private enum Source {
        case json([String: JSONInput])
        case form([(name: String, value: String)])
    }

    private let source: Source

    /// The extension days one request may ask for, as the messages say it.
    static let daysExpected = "\(CasePolicy.extensionDays.lowerBound)–\(CasePolicy.extensionDays.upperBound)"

    init(json members: [String: JSONInput]) { source = .json(members) }
    init(form fields: [(name: String, value: String)]) { source = .form(fields) }

    private func wrongType(_ name: String, _ expected: String, _ language: Language) -> HTTPError {
        HTTPError(status: 422, code: "case_invalid_field", .caseInvalidField, ["name": name, "expected": expected], in: language)
    }

    private func formValue(_ name: String) -> String? {
        guard case .form(let fields) = source else { return nil }
        return fields.first { $0.name == name }?.value
    }

    /// A text field; nil when absent, null or (from a form) empty.
    func text(_ name: String, _ language: Language) throws -> String? {
        switch source {
        case .json(let members):
            switch members[name] {
            case nil, .null?: return nil
            case .string(let text)?: return text
            default: throw wrongType(name, language[.expectedText], language)
            }
        case .form:
            guard let text = formValue(name), !text.isEmpty else { return nil }
            return text
        }
    }

    /// A yes-or-no field: JSON `true`/`false`; a form's checkbox is there or not.
    func flag(_ name: String, _ language: Language) throws -> Bool {
        switch source {
        case .json(let members):
            switch members[name] {
            case nil, .null?: return false
            case .bool(let value)?: return value
            default: throw wrongType(name, "true, false", language)
            }
        case .form:
            guard let text = formValue(name) else { return false }
            return ["on", "true", "1"].contains(text.lowercased())
        }
    }

    /// A whole number; nil when absent or null.
    func integer(_ name: String, _ language: Language) throws -> Int? {
        switch source {
        case .json(let members):
            switch members[name] {
            case nil, .null?: return nil
            case .integer(let value)? where Int(exactly: value) != nil: return Int(value)
            default: throw wrongType(name, Self.daysExpected, language)
            }
        case .form:
            guard let text = formValue(name)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            guard let value = Int(text) else { throw wrongType(name, Self.daysExpected, language) }
            return value
        }
    }
}
