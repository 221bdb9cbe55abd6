import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// How a rating is tied to a visit or a paired kiosk, from the tokens its request carries.
/// This is where `.visit` and `.device` provenance are set.
extension WebApplication {
    /// The visit whose token this is; nil for a token never issued (or not a token at all).
    func visit(forToken token: String) throws -> VisitRecord? {
        guard KioskDevices.isWellFormed(token) else { return nil }
        return try store.visit(tokenHash: KioskDevices.hash(token))
    }

    /// For `POST /api/v1/responses`: the visit its `visit_token` names, checked, with the
    /// submission's window (and staff and service item, when it names none) taken from
    /// the visit. Throws 422 for an unknown token or another window, 410 for a closed
    /// visit and 409 for a visit rated already under another client id.
    func visitOfAPISubmission(_ submission: inout Submission, language: Language) throws -> VisitRecord? {
        guard let token = submission.visitToken else { return nil }
        guard let visit = try visit(forToken: token) else {
            throw HTTPError(status: 422, code: "invalid_visit_token", .visitTokenInvalid, in: language)
        }
        try check(visit, windowCode: submission.windowCode, clientID: submission.clientID, language: language)
        submission.windowCode = visit.windowCode
        if submission.staffCode?.isEmpty ?? true { submission.staffCode = visit.staffCode }
        if submission.serviceItemCode?.isEmpty ?? true { submission.serviceItemCode = visit.serviceItemCode }
        return visit
    }

    /// Refuses a rating of `visit` sent for another window, after the visit closed, or when
    /// another rating is bound to it already. The same client id as the bound rating
    /// passes: the writer answers it as the replay it is.
    func check(_ visit: VisitRecord, windowCode: String, clientID: String?, language: Language) throws {
        let window = windowCode.trimmingCharacters(in: .whitespaces)
        if !window.isEmpty && window != visit.windowCode {
            throw HTTPError(status: 422, code: "visit_window_mismatch", .visitWrongWindow, ["window": visit.windowCode], in: language)
        }
        switch visit.state(atMillis: UTCTimestamp.nowMillis()) {
        case .open:
            return
        case .rated:
            guard let clientID, visit.ratingClientID == ClientID.canonical(clientID) else { throw Self.visitAlreadyRated(language) }
        case .unrated:
            throw HTTPError(status: 410, code: "visit_closed", .visitClosed, in: language)
        }
    }

    static func visitAlreadyRated(_ language: Language) -> HTTPError {
        HTTPError(status: 409, code: "visit_already_rated", .visitAlreadyRated, in: language)
    }

    /// Says how far the submission can be trusted: bound to `visit` (`.visit`), or from
    /// the paired kiosk of its window (`.device`). Anything else keeps the provenance it
    /// has (`.unverified` unless another check set it).
    ///
    /// - Returns: the rule a vouched rating breaks, if any: its visit's or its kiosk's own
    ///   allowance (`limits.visit`, `limits.device`). A vouched rating is held to those, not
    ///   to the client address's: a busy window's kiosk shares the center's one address.
    @discardableResult
    func vouch(_ submission: inout ValidatedSubmission, visit: VisitRecord?, deviceToken: String?) throws -> FlagRule? {
        if let visit {
            submission.visitID = visit.id
            submission.provenance = .visit
            return visitRateFlag(visitKey: String(visit.id))
        }
        if let deviceToken, let device = try kioskDevices.device(token: deviceToken), device.windowID == submission.window.id {
            submission.provenance = .device
            return deviceRateFlag(deviceKey: String(device.id))
        }
        return nil
    }

    /// After the writer's answer: a visit whose rating was stored leaves its kiosk.
    func ratedVisit(_ visit: VisitRecord?, outcome: Result<RecordOutcome, StoreError>) {
        guard let visit, case .success(let recorded) = outcome, recorded.kind == .stored else { return }
        visitHub.withdraw(visitID: visit.id, window: visit.windowCode)
    }

    /// The kiosk's device token: its cookie, else the `X-Device-Token` header, else the
    /// form field the kiosk script fills from local storage.
    func deviceToken(_ request: Request, formValue: String? = nil) -> String? {
        Self.cookie(KioskDevices.cookieName, in: request) ?? request.headers[KioskDevices.header] ?? formValue
    }

    /// The device in force for `window` that the request comes from, if any.
    func pairedDevice(_ request: Request, window: ServiceWindow, formValue: String? = nil) throws -> KioskDevice? {
        guard let token = deviceToken(request, formValue: formValue),
              let device = try kioskDevices.device(token: token), device.windowID == window.id else { return nil }
        return device
    }

    /// For the kiosk and phone forms: the visit a form post is for, from the kiosk's hidden
    /// `visit_token` or the phone link's `v`. A kiosk rating of a visit that closed in the
    /// meantime is kept unbound rather than lost; a link past its time was refused when
    /// the page was opened, and is refused again here.
    func formVisit(
        _ kind: SurveyPages.Kind, request: Request, fieldValue: String?, window: ServiceWindow, clientID: String?, language: Language
    ) throws -> VisitRecord? {
        let visit: VisitRecord?
        switch kind {
        case .kiosk:
            guard let token = fieldValue, !token.isEmpty else { return nil }
            visit = try self.visit(forToken: token)
            if let visit, visit.state(atMillis: UTCTimestamp.nowMillis()) == .unrated { return nil }
        case .phone:
            guard let link = request.query("v") else { return nil }
            visit = try linkedVisit(link, language: language)
        }
        guard let visit else { return nil }
        try check(visit, windowCode: window.code, clientID: clientID, language: language)
        return visit
    }

    /// The visit a phone link's token names; a forged, tampered or expired link is a
    /// friendly 410, and stores nothing.
    func linkedVisit(_ link: String, language: Language) throws -> VisitRecord {
        guard let id = visitLinks.visitID(of: link, atMillis: UTCTimestamp.nowMillis()), let visit = try store.visit(id: id) else {
            throw HTTPError(status: 410, code: "visit_link_invalid", .visitLinkInvalid, in: language)
        }
        return visit
    }
}
