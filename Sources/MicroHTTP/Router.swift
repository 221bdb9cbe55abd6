/// Dispatches requests to handlers by method and path pattern.
///
/// Patterns are literal segments and `{name}` captures, such as `/kiosk/{window}`.
/// A path that matches under another method gets `405` with an `Allow` header; a path
/// that matches nothing goes to the static files, or gets `404`. A path with an empty
/// segment (`//api`, `/api/v1/responses/`) matches nothing: one resource has one path, so a
/// limit a proxy sets on that path cannot be sidestepped by spelling it another way.
public final class Router: Responder {
    public typealias Handler = @Sendable (Request) throws -> Reply

    private struct Route {
        var method: String
        var pattern: String
        var segments: [Segment]
        var handler: Handler
    }

    private enum Segment: Equatable {
        case literal(String)
        case capture(String)
    }

    /// Immutable after setup, which happens before the server starts; reads from the
    /// server's threads therefore need no lock.
    nonisolated(unsafe) private var routes: [Route] = []
    nonisolated(unsafe) private var files: StaticFiles?
    private let renderError: @Sendable (HTTPError, Request) -> Response
    private let reportFailure: @Sendable (any Error, Request) -> Void

    /// - Parameters:
    ///   - renderError: turns an `HTTPError` into the response the client sees.
    ///   - reportFailure: told of every unexpected error before the client gets a bare 500.
    public init(
        renderError: @escaping @Sendable (HTTPError, Request) -> Response = Router.plainError,
        reportFailure: @escaping @Sendable (any Error, Request) -> Void = { _, _ in }
    ) {
        self.renderError = renderError
        self.reportFailure = reportFailure
    }

    public func on(_ method: String, _ pattern: String, _ handler: @escaping Handler) {
        let segments = pattern.split(separator: "/").map { part -> Segment in
            if part.hasPrefix("{") && part.hasSuffix("}") {
                return .capture(String(part.dropFirst().dropLast()))
            }
            return .literal(String(part))
        }
        routes.append(Route(method: method, pattern: pattern, segments: segments, handler: handler))
    }

    public func get(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> Response) {
        on("GET", pattern) { .now(try handler($0)) }
    }

    public func post(_ pattern: String, _ handler: @escaping @Sendable (Request) throws -> Response) {
        on("POST", pattern) { .now(try handler($0)) }
    }

    /// The files tried for requests that match no route.
    public func fallback(to files: StaticFiles) {
        self.files = files
    }

    public func reply(to request: Request) -> Reply {
        dispatch(request).reply
    }

    /// Answers like `reply(to:)`, and also names the pattern of the route that answered
    /// (`/kiosk/{window}`), or nil when no route matched: a label of bounded variety for
    /// logs and metrics, where the raw path could be anything a client sends.
    public func dispatch(_ request: Request) -> (route: String?, reply: Reply) {
        if request.path != "/" && (request.path.contains("//") || request.path.hasSuffix("/")) {
            return (nil, .now(renderError(.notFound(), request)))
        }
        let pathSegments = request.path.split(separator: "/", omittingEmptySubsequences: true)
        var allowed: [String] = []
        let method = request.method == "HEAD" ? "GET" : request.method
        for route in routes {
            guard let captures = match(route.segments, pathSegments) else { continue }
            guard route.method == method else {
                allowed.append(route.method)
                continue
            }
            var matched = request
            matched.pathParameters = captures
            return (route.pattern, guarded(request) { try route.handler(matched) })
        }
        if !allowed.isEmpty {
            var response = renderError(.methodNotAllowed(), request)
            response.headers.set("Allow", allowed.joined(separator: ", "))
            return (nil, .now(response))
        }
        if let served = files?.replyIfServed(request) {
            return (nil, served)
        }
        return (nil, .now(renderError(.notFound(), request)))
    }

    private func guarded(_ request: Request, _ body: () throws -> Reply) -> Reply {
        do {
            return try body()
        } catch let error as HTTPError {
            return .now(renderError(error, request))
        } catch {
            reportFailure(error, request)
            var response = renderError(Router.internalError, request)
            response.cause = String(describing: error)
            return .now(response)
        }
    }

    private func match(_ pattern: [Segment], _ path: [Substring]) -> [String: String]? {
        guard pattern.count == path.count else { return nil }
        var captures: [String: String] = [:]
        for (segment, part) in zip(pattern, path) {
            switch segment {
            case .literal(let literal):
                guard part == literal else { return nil }
            case .capture(let name):
                captures[name] = String(part)
            }
        }
        return captures
    }

    /// The one error the client sees for any failure it did not cause; never any detail.
    public static let internalError = HTTPError(
        status: 500, code: "internal_error",
        message: "Something went wrong on our side. Please try again."
    )

    public static let plainError: @Sendable (HTTPError, Request) -> Response = { error, _ in
        .text(error.message + "\n", status: error.status)
    }
}
