import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// The staff's daily pages: the dashboard (`/staff`), the live 差评 feed
/// (`/staff/events`), and the feedback review (`/staff/feedback`, its CSV export, one
/// response's page and its flag or restore form).
///
/// Every page reads through the session's department scope: a response of another
/// department is a 404 page, exactly as one that does not exist. Reads that may take a
/// while (the dashboard's figures, a page of the review) run on the reader queue.
extension WebApplication {
    func installStaffDailyPages(on router: Router) {
        router.on("GET", "/staff") { [self] request in
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            let language = Language.negotiate(request)
            let header = staffPages.header(signedIn.session, directory: directory, language: language)
            return slowRead(request) { [self] in
                let data = try dashboardData(scope: signedIn.session.user.departmentScope)
                return try dailyPages.dashboard(data, header: header, directory: directory, language: language)
            }
        }

        router.on("GET", "/staff/feedback") { [self] request in
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            let language = Language.negotiate(request)
            let query = try Self.feedbackQuery(request)
            let scope = signedIn.session.user.departmentScope
            let header = staffPages.header(signedIn.session, directory: directory, language: language)
            return slowRead(request) { [self] in
                let page = try store.feedback(query.filter, scope: scope, after: query.cursor, limit: query.limit)
                return try dailyPages.feedbackList(
                    page, query: query, request: request, scope: scope, header: header, directory: directory, language: language
                )
            }
        }

        router.get("/staff/feedback.csv") { [self] request in
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            let query = try Self.feedbackQuery(request)
            return feedbackCSV(query.filter, scope: signedIn.session.user.departmentScope)
        }

        router.on("GET", "/staff/feedback/{id}") { [self] request in
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            let id = try Self.feedbackID(request)
            return slowRead(request) { [self] in
                try feedbackDetailPage(id: id, signedIn: signedIn, request: request)
            }
        }

        router.on("POST", "/staff/feedback/{id}/status") { [self] request in
            let language = Language.negotiate(request)
            guard let signedIn = try signedIn(request) else { return .now(.seeOther("/staff/login")) }
            // Before anything is read or changed: a forged form changes nothing.
            try requireCSRF(signedIn, request, language: language)
            let user = signedIn.session.user
            guard user.role.mayChange else {
                throw HTTPError(status: 403, code: "forbidden", .staffRoleForbidden, ["role": user.role.rawValue], in: language)
            }
            let id = try Self.feedbackID(request)
            let fields = FormDecoding.fields(request.body) ?? []
            let reason = fields.first { $0.name == "reason" }?.value ?? ""
            guard let status = fields.first(where: { $0.name == "status" }).flatMap({ ResponseStatus(rawValue: $0.value) }) else {
                throw HTTPError(status: 422, code: "invalid_status", .feedbackInvalidStatus, in: language)
            }
            // Restoring a response to the scores is an administrator's decision.
            if status == .valid && user.role != .admin {
                throw HTTPError(status: 403, code: "forbidden", .staffAdminOnly, in: language)
            }
            return slowRead(request) { [self] in
                let scope = user.departmentScope
                guard try store.feedbackDetail(id: id, scope: scope) != nil else { throw Self.feedbackNotFound(id, request) }
                let trimmed = reason.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty, trimmed.count <= 500 else {
                    return try feedbackDetailPage(id: id, signedIn: signedIn, request: request, error: language[.feedbackReasonRequired])
                }
                _ = try store.setStatus(responseID: id, status: status, reason: trimmed, by: user.username)
                return .seeOther("/staff/feedback/\(id)")
            }
        }

        installStaffEvents(on: router)
    }

    /// The page of response `id`, or the 404 page when it is not within the session's departments.
    private func feedbackDetailPage(id: Int64, signedIn: SignedIn, request: Request, error: String? = nil) throws -> Response {
        let language = Language.negotiate(request)
        let scope = signedIn.session.user.departmentScope
        guard let detail = try store.feedbackDetail(id: id, scope: scope) else { throw Self.feedbackNotFound(id, request) }
        let caseDetail = try store.case(responseID: id, scope: scope)
        return try dailyPages.feedbackDetail(
            detail, caseDetail: caseDetail, session: signedIn.session,
            header: staffPages.header(signedIn.session, directory: directory, language: language), language: language,
            today: LocalDay(instantMillis: UTCTimestamp.nowMillis(), in: configuration.timeZone), error: error
        )
    }
}
