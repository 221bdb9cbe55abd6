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

    /// Sent while the server shuts down, to requests that still arrive on open connections.
    public static let shuttingDown = HTTPError(
        status: 503, code: "shutting_down", message: "The server is restarting. Please try again in a moment."
    )

    /// A body longer than the server takes, declared up front or found while reading it.
    public static func bodyTooLarge(_ limit: Int) -> HTTPError {
        HTTPError(status: 413, code: "body_too_large", message: "The request body is larger than \(limit) bytes.")
    }

    public static func methodNotAllowed(_ message: String = "This method is not allowed here.") -> HTTPError {
        HTTPError(status: 405, code: "method_not_allowed", message: message)
    }
}

/// The reason phrase for the statuses this server sends, for the one answer it writes to
/// the socket itself (a body found too large while it arrives).
func reasonPhrase(for status: Int) -> String {
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
