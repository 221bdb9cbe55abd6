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

    /// `answer()`, or its refusal as the API's error body: for routes outside `/api/` read by
    /// scripts (event streams), whose refusals would otherwise be pages.
    static func refusingAsJSON(_ answer: () throws -> Response) throws -> Response {
        do {
            return try answer()
        } catch let error as HTTPError {
            return response(for: error)
        }
    }

    /// 422 with every problem of a submission: `error` is the first, as before, and
    /// `errors` lists them all, each with the question it is about when it has one.
    static func response(for refusal: SubmissionProblems, language: Language) -> Response {
        let first = refusal.problems[0]
        let all = refusal.problems.map { problem in
            JSON.object([
                ("code", .string(problem.code)),
                ("message", .string(problem.message(in: language))),
                ("field", .optional(problem.dimension?.rawValue)),
            ])
        }
        let body = JSON.object([
            ("error", .object([("code", .string(first.code)), ("message", .string(first.message(in: language)))])),
            ("errors", .array(all)),
        ])
        return Response.json(body.serialized(), status: 422)
    }

    static func invalid(_ error: SubmissionError, language: Language) -> HTTPError {
        HTTPError(status: 422, code: error.code, message: error.message(in: language))
    }
}
