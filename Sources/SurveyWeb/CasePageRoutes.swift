import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The case pages: `/staff/cases` (the list), `/staff/cases/{id}` (one case, with a form
/// for each action the signed-in person may take now) and `POST /staff/cases/{id}/actions`,
/// which answers 303 back to the case, or the case again with the refusal in the person's
/// language. A case outside the person's departments is the 404 page, as a missing one.
extension WebApplication {
    func installCasePages(on router: Router) {
        router.on("GET", "/staff/cases") { [self] request in
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            let principal = try principal(for: request, scope: Self.feedbackReadScope)
            let query = try Self.caseListQuery(request, scope: principal.departments)
            return slowRead(request) { [self] in
                try caseListPage(query, session: signedIn.session, request: request)
            }
        }

        router.on("GET", "/staff/cases/{id}") { [self] request in
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            let principal = try principal(for: request, scope: Self.feedbackReadScope)
            let id = try Self.caseID(request)
            return slowRead(request) { [self] in
                try casePage(id, principal: principal, session: signedIn.session, request: request)
            }
        }

        router.on("POST", "/staff/cases/{id}/actions") { [self] request in
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            // Checks the form's CSRF token, and refuses viewers.
            let principal = try principal(for: request, scope: Self.casesWriteScope)
            let language = Language.negotiate(request)
            let id = try Self.caseID(request)
            let fields = FormDecoding.fields(request.body) ?? []
            return slowRead(request) { [self] in
                do {
                    let action = try Self.caseAction(CaseActionFields(form: fields), language: language)
                    _ = try takeCaseAction(action, on: id, by: principal, language: language)
                    return .seeOther("/staff/cases/\(id)" + Self.langQuery(request))
                } catch let error as HTTPError where error.status != 404 && error.status < 500 {
                    return try casePage(id, principal: principal, session: signedIn.session, request: request, error: error)
                }
            }
        }
    }

    /// `?lang=xx` when the request chose its language explicitly, so links keep it.
    static func langQuery(_ request: Request) -> String {
        guard let lang = request.query("lang"), let language = Language(rawValue: lang.lowercased()) else { return "" }
        return "?lang=\(language.rawValue)"
    }

    // MARK: The list

    private func caseListPage(_ query: CaseListQuery, session: StaffSession, request: Request) throws -> Response {
        let language = Language.negotiate(request)
        let today = centerToday()
        let page = try store.cases(filter: query.filter, cursor: query.cursor, limit: query.limit, today: today)
        let filter = query.filter
        var parameters: [(String, String)] = []
        if let lang = request.query("lang") { parameters.append(("lang", lang)) }
        if let state = filter.state { parameters.append(("state", state.rawValue)) }
        if let code = filter.departmentCode { parameters.append(("department", code)) }
        if filter.overdue == true { parameters.append(("overdue", "true")) }
        if let assignee = filter.assignee { parameters.append(("assignee", assignee)) }
        if query.limit != CaseListQuery().limit { parameters.append(("limit", String(query.limit))) }
        func href(cursor: Int64?) -> String {
            let all = parameters + (cursor.map { [("cursor", String($0))] } ?? [])
            guard !all.isEmpty else { return "/staff/cases" }
            return "/staff/cases?" + all.map { "\($0.0)=\(Self.queryEscaped($0.1))" }.joined(separator: "&")
        }
        let visible = directory.departments.filter { filter.scope.includes($0.code) }
        let context = CaseListContext(
            layout: casePages.layout(title: language[.casesTitle], language: language), heading: language[.casesTitle],
            header: staffPages.header(session, directory: directory, language: language),
            stateLabel: language[.casesColumnState],
            states: [PageOption(value: "", label: language[.casesFilterAny], selected: filter.state == nil)]
                + CaseStateName.allCases.map { PageOption(value: $0.rawValue, label: language[Self.phrase($0)], selected: filter.state == $0) },
            departmentFilter: visible.count < 2 ? nil : CaseListContext.Filter(
                label: language[.casesColumnDepartment],
                options: [PageOption(value: "", label: language[.casesFilterAny], selected: filter.departmentCode == nil)]
                    + visible.map { PageOption(value: $0.code, label: "\($0.name) (\($0.code))", selected: filter.departmentCode == $0.code) }
            ),
            overdueLabel: language[.casesFilterOverdue], overdueChecked: filter.overdue == true,
            assigneeLabel: language[.casesColumnAssignee], assignee: filter.assignee ?? "", apply: language[.casesFilterApply],
            lang: request.query("lang"),
            idHeading: language[.casesColumnID], departmentHeading: language[.casesColumnDepartment],
            stateHeading: language[.casesColumnState], openedHeading: language[.casesColumnOpened],
            deadlineHeading: language[.casesColumnDeadline], assigneeHeading: language[.casesColumnAssignee],
            rows: page.entries.map { file in
                let (state, pending) = CaseWording.state(file.state, language)
                let overdue = file.isOverdue(on: today)
                return CaseListContext.Row(
                    id: String(file.id), href: "/staff/cases/\(file.id)" + Self.langQuery(request),
                    department: departmentName(file.departmentCode), state: state, pending: pending,
                    opened: file.openedDay.description, deadline: file.deadline.description,
                    overdue: overdue ? language[.casesOverdue] : nil, rowClass: overdue ? "overdue" : "",
                    assignee: file.assignee ?? language[.caseUnassigned]
                )
            },
            empty: page.entries.isEmpty ? language[.casesEmpty] : nil,
            nextHref: page.nextCursor.map { href(cursor: $0) }, nextLabel: language[.casesNextPage],
            firstHref: query.cursor == nil ? nil : href(cursor: nil), firstLabel: language[.casesFirstPage]
        )
        return try casePages.render(context, "cases")
    }

    private func departmentName(_ code: String) -> String {
        directory.departments.first { $0.code == code }.map { "\($0.name) (\(code))" } ?? code
    }

    static func queryEscaped(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    // MARK: One case

    private func casePage(
        _ id: Int64, principal: Principal, session: StaffSession, request: Request, error: HTTPError? = nil
    ) throws -> Response {
        let language = Language.negotiate(request)
        guard let detail = try store.case(id: id, scope: principal.departments),
              let response = try store.feedbackDetail(id: detail.file.responseID, scope: principal.departments) else {
            throw Self.caseNotFound(id, language)
        }
        let file = detail.file
        let stored = response.entry.response
        let context = CaseDetailContext(
            layout: casePages.layout(title: language[.caseTitle, ["id": String(id)]], language: language),
            heading: language[.caseTitle, ["id": String(id)]],
            header: staffPages.header(session, directory: directory, language: language),
            backHref: "/staff/cases" + Self.langQuery(request), backLabel: language[.caseBackToList],
            errorHeading: language[.caseErrorHeading], error: error?.message,
            responseHeading: language[.caseResponseHeading],
            ratings: RatingDimension.allCases.map { dimension in
                let level = stored.ratings[dimension]
                return CaseDetailContext.Rating(
                    label: language[.label(dimension)], level: language[Phrase(level)], value: level.rawValue, negative: level.isNegative
                )
            },
            responseFacts: [
                .init(label: language[.caseWindow], value: "\(response.windowName) (\(stored.windowCode))", className: "window"),
                .init(label: language[.caseReceivedAt], value: stored.createdAtISO8601, className: "received"),
                .init(label: language[.caseReasons], value: stored.reasons.isEmpty ? language[.caseNone] : stored.reasons.joined(separator: "；"), className: "reasons"),
                .init(label: language[.caseComment], value: stored.comment ?? language[.caseNone], className: "comment"),
            ],
            caseFacts: caseFacts(file, today: centerToday(), language: language),
            historyHeading: language[.caseHistoryHeading], whenHeading: language[.caseHistoryWhen],
            whoHeading: language[.caseHistoryWho], actionHeading: language[.caseHistoryAction],
            changeHeading: language[.caseHistoryChange], noteHeading: language[.caseHistoryNote],
            events: detail.history.map { entry in
                let event = entry.event
                return CaseDetailContext.Event(
                    when: UTCTimestamp.string(millis: entry.atMillis), who: entry.actor, action: language[CaseWording.action(event.action)],
                    change: event.from == event.to ? language[Self.phrase(event.to)]
                        : "\(language[Self.phrase(event.from)]) → \(language[Self.phrase(event.to)])",
                    note: event.note ?? "",
                    data: event.data.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                )
            },
            actionsHeading: language[.caseActionsHeading],
            forms: try CaseWording.actions(for: principal, on: file).compactMap { action in
                try actionForm(action, file: file, csrfToken: session.csrfToken, request: request, language: language)
            },
            noActions: CaseWording.actions(for: principal, on: file).isEmpty ? language[.caseNoActions] : nil
        )
        return try casePages.render(context, "case", status: error?.status ?? 200)
    }

    private func caseFacts(_ file: CaseFile, today: LocalDay, language: Language) -> [CaseDetailContext.Fact] {
        let (state, _) = CaseWording.state(file.state, language)
        let overdue = file.isOverdue(on: today)
        var facts: [CaseDetailContext.Fact] = [
            .init(label: language[.casesColumnState], value: state, className: "state"),
            .init(label: language[.casesColumnDepartment], value: departmentName(file.departmentCode), className: "department"),
            .init(label: language[.casesColumnOpened], value: file.openedDay.description, className: "opened"),
            .init(label: language[.casesColumnDeadline], value: file.deadline.description + (overdue ? " ⚠ " + language[.casesOverdue] : ""),
                  className: overdue ? "deadline overdue" : "deadline"),
            .init(label: language[.casesColumnAssignee], value: file.assignee ?? language[.caseUnassigned], className: "assignee"),
            .init(label: language[.caseCallbackAttempts], value: String(file.callbackAttempts), className: "attempts"),
        ]
        if file.extensionDays > 0 {
            facts.append(.init(label: language[.caseExtensionDaysGranted], value: String(file.extensionDays), className: "extension"))
        }
        switch file.state.pending {
        case .appeal(let appeal)?:
            facts.append(.init(label: language[.casePending], value: language[.casePendingAppeal, [
                "ruling": language[CaseWording.ruling(appeal.ruling)], "reason": appeal.reason, "by": appeal.requestedBy,
            ]], className: "pending"))
        case .extension(let request)?:
            facts.append(.init(label: language[.casePending], value: language[.casePendingExtension, [
                "days": String(request.days), "reason": request.reason, "by": request.requestedBy,
            ]], className: "pending"))
        case nil: break
        }
        switch file.state {
        case .rectified(let callback), .closed(.rectified(let callback)):
            facts.append(.init(label: language[.caseCallback], value: "\(language[CaseWording.callback(callback.result)])：\(callback.note)", className: "callback"))
        case .closed(.appealUpheld(let appeal)):
            facts.append(.init(label: language[.casesColumnState], value: language[.caseClosedByAppeal, ["ruling": language[CaseWording.ruling(appeal.ruling)]]], className: "closure"))
        case .new, .inProgress: break
        }
        return facts
    }

    /// The form of one action; nil for `assign` when nobody could take the case.
    private func actionForm(
        _ action: CaseActionName, file: CaseFile, csrfToken: String, request: Request, language: Language
    ) throws -> CaseDetailContext.ActionForm? {
        typealias Form = CaseDetailContext
        var form = Form.ActionForm(
            action: action.rawValue, title: language[CaseWording.action(action)],
            formAction: "/staff/cases/\(file.id)/actions" + Self.langQuery(request), csrfToken: csrfToken,
            selects: [], number: nil, checkbox: nil, texts: []
        )
        let optionalNote = Form.TextField(name: "note", label: language[.caseNoteOptionalLabel], required: false)
        let reason = Form.TextField(name: "reason", label: language[.caseReasonLabel], required: true)
        switch action {
        case .start, .close, .approveAppeal, .rejectAppeal, .approveExtension, .rejectExtension:
            form.texts = [optionalNote]
        case .rectify:
            form.selects = [Form.Select(name: "callback_result", label: language[.caseCallback], options: CallbackResult.allCases.map {
                PageOption(value: $0.rawValue, label: language[CaseWording.callback($0)], selected: false)
            })]
            form.texts = [Form.TextField(name: "note", label: language[.caseCallbackNoteLabel], required: true)]
        case .assign:
            let candidates = try assignees(for: file.departmentCode)
            guard !candidates.isEmpty else { return nil }
            form.selects = [Form.Select(name: "assignee", label: language[.caseAssigneeLabel], options: candidates.map {
                PageOption(value: $0.username, label: "\($0.username) (\(language[StaffPages.phrase($0.role)]))", selected: $0.username == file.assignee)
            })]
            form.texts = [optionalNote]
        case .note:
            form.checkbox = Form.Checkbox(name: "callback_attempt", label: language[.caseCallbackAttemptLabel])
            form.texts = [Form.TextField(name: "note", label: language[.caseNoteLabel], required: true)]
        case .appeal:
            form.selects = [Form.Select(name: "ruling", label: language[.caseRulingLabel], options: AppealRuling.allCases.map {
                PageOption(value: $0.rawValue, label: language[CaseWording.ruling($0)], selected: false)
            })]
            form.texts = [reason]
        case .requestExtension:
            form.number = Form.NumberField(
                name: "days", label: language[.caseDaysLabel],
                min: CasePolicy.extensionDays.lowerBound, max: CasePolicy.extensionDays.upperBound
            )
            form.texts = [reason]
        }
        return form
    }
}
