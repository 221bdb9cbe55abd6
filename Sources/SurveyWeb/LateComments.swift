import MicroHTTP
import SurveyCore
import SurveyStore

/// Comments added on the thank-you screen, after the rating was stored: the rating never
/// waits for a comment, and the comment joins the stored response by its `client_id`.
///
/// `POST /api/v1/responses/{client_id}/comment` with `{"comment": "…"}` answers 200 with
/// the response's id and comment, 404 for an unknown id, and 409 once the response has a
/// comment or was stored more than `survey.comment_window_minutes` ago. Sending the same
/// comment again is a success, so a retry after a lost answer is harmless.
extension WebApplication {
    func installLateComments(on router: Router) {
        router.on("POST", "/api/v1/responses/{client_id}/comment") { [self] request in
            let language = Language.negotiate(request)
            guard request.mediaType == "application/json" else {
                throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
            }
            guard case .object(let members)? = try? JSONInput.parsing(request.body) else {
                throw HTTPError(status: 400, code: "malformed_json", .malformedJSON, in: language)
            }
            guard case .string(let comment)? = members["comment"] else {
                throw HTTPError(status: 422, code: "invalid_field", .wrongType, ["field": "comment", "expected": language[.expectedText]], in: language)
            }
            let clientID = ClientID.canonical(request.pathParameters["client_id"] ?? "")
            _ = try attachLateComment(comment, toClientID: clientID, language: language)
            return .now(.json(JSON.object([("client_id", .string(clientID)), ("comment", .string(TextNormalization.normalized(comment)))]).serialized()))
        }
    }

    /// Validates and attaches a late comment; returns what to tell the citizen, and throws
    /// the refusal (422, 404 or 409) in their language.
    func attachLateComment(_ text: String, toClientID clientID: String, language: Language) throws -> String {
        let comment = TextNormalization.normalized(text)
        guard !comment.isEmpty else {
            throw HTTPError(status: 422, code: "missing_comment", .commentEmpty, in: language)
        }
        guard comment.count <= configuration.policy.commentMaxLength else {
            let error = SubmissionError.commentTooLong(limit: configuration.policy.commentMaxLength)
            throw HTTPError(status: 422, code: error.code, message: error.message(in: language))
        }
        guard ClientID.isValid(clientID) else {
            throw HTTPError(status: 404, code: "not_found", .commentNotFound, in: language)
        }
        let since = UTCTimestamp.nowMillis() - Int64(configuration.commentWindowMinutes) * 60_000
        switch try store.attachComment(comment, toClientID: clientID, storedSinceMillis: since) {
        case .attached: return language[.commentSaved]
        case .notFound: throw HTTPError(status: 404, code: "not_found", .commentNotFound, in: language)
        case .closed: throw HTTPError(status: 409, code: "comment_closed", .commentClosed, in: language)
        }
    }
}
