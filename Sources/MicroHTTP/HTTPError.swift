/// An error that carries the HTTP status and a message fit to show the client.
///
/// `code` is stable and meant for programs; `message` is meant for people.
public struct HTTPError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    /// Seconds the client should wait before trying again (`Retry-After`), when that matters.
    public var retryAfterSeconds: Int?

    public init(status: Int, code: String, message: String, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }

    public static func notFound(_ message: String = "Not found.") -> HTTPError {
        HTTPError(status: 404, code: "not_found", message: message)
    }

    public static func methodNotAllowed(_ message: String = "This method is not allowed here.") -> HTTPError {
        HTTPError(status: 405, code: "method_not_allowed", message: message)
    }
}

/// The reason phrase for the statuses this server sends.
public func reasonPhrase(for status: Int) -> String {
    switch status {
    case 200: "OK"
    case 201: "Created"
    case 204: "No Content"
    case 303: "See Other"
    case 304: "Not Modified"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 406: "Not Acceptable"
    case 409: "Conflict"
    case 413: "Content Too Large"
    case 415: "Unsupported Media Type"
    case 422: "Unprocessable Content"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 503: "Service Unavailable"
    default: "Status \(status)"
    }
}
