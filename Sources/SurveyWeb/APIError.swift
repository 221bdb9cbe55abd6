import MicroHTTP
import SurveyCore

/// The API's error body: `{"error": {"code": "...", "message": "..."}}`.
enum APIError {
    static func response(for error: HTTPError) -> Response {
        let body = JSON.object([
            ("error", .object([("code", .string(error.code)), ("message", .string(error.message))])),
        ])
        var response = Response.json(body.serialized(), status: error.status)
        if let seconds = error.retryAfterSeconds {
            response.headers.add("Retry-After", String(seconds))
        } else if error.status == 503 {
            response.headers.add("Retry-After", "2")
        }
        if error.status == 401 { response.headers.add("WWW-Authenticate", "Bearer realm=\"pingjia\"") }
        return response
    }

    static func invalid(_ error: SubmissionError, language: Language) -> HTTPError {
        HTTPError(status: 422, code: error.code, message: error.message(in: language))
    }
}
