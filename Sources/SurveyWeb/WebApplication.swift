import Foundation
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore

/// The web side of Pingjia: every route, page and API, over one store.
///
/// `Sendable`: the store and writer are thread-safe, the configuration is immutable, and
/// the directory is read once, at start.
public final class WebApplication: Sendable {
    let store: SurveyStore
    let writer: ResponseWriter
    let configuration: WebConfiguration
    let pages: SurveyPages
    /// The center as loaded from the store at start.
    let directory: Directory
    let log: @Sendable (String) -> Void
    let slowReads = SlowReads()

    public convenience init(
        store: SurveyStore,
        writer: ResponseWriter,
        configuration: WebConfiguration,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) throws {
        try self.init(store: store, writer: writer, configuration: configuration, log: log, templates: Templates.all)
    }

    /// The application with other templates than the real ones, for tests of rendering failures.
    init(
        store: SurveyStore,
        writer: ResponseWriter,
        configuration: WebConfiguration,
        log: @escaping @Sendable (String) -> Void,
        templates: [String: String]
    ) throws {
        self.store = store
        self.writer = writer
        self.configuration = configuration
        self.log = log
        try Catalogue.check()
        self.directory = try store.directory()
        self.pages = try SurveyPages(configuration: configuration, templates: templates)
    }

    /// Writes an error for the client: the API's JSON error body under `/api/`, a page
    /// elsewhere; with the headers every answer carries. For answers the server gives
    /// without asking the router (a body too large, a shutdown in progress).
    public var renderError: @Sendable (HTTPError, Request) -> Response {
        { [pages] error, request in SecureHeaders.secured(Self.errorResponse(error, request, pages: pages)) }
    }

    static func errorResponse(_ error: HTTPError, _ request: Request, pages: SurveyPages) -> Response {
        let language = Language.negotiate(request)
        let error = error.worded(in: language)
        if request.path.hasPrefix("/api/") || request.path == "/healthz" {
            return APIError.response(for: error)
        }
        return pages.errorPage(error, language: language)
    }

    /// The complete responder: routes, static files and the headers every answer carries.
    public func makeResponder() throws -> any Responder {
        let router = Router(
            // SecureHeaders wraps the router, so its errors get the headers there.
            renderError: { [pages] error, request in Self.errorResponse(error, request, pages: pages) },
            reportFailure: { [log] error, request in
                log("error: \(request.method) \(request.path): \(error)")
            }
        )
        router.get("/healthz") { [store] _ in
            try store.ping()
            return .json(JSON.object([("status", .string("ok"))]).serialized())
        }
        let openAPIPath = configuration.openAPIPath
        router.get("/api/v1/openapi.json") { [log] _ in
            // Read on each request: it is small, rarely fetched, and edited with the code.
            guard let document = FileManager.default.contents(atPath: openAPIPath) else {
                log("error: the OpenAPI document is not installed at \(openAPIPath)")
                throw HTTPError.notFound()
            }
            return .json([UInt8](document))
        }
        router.get("/") { [self] request in try pages.index(directory: directory, language: Language.negotiate(request)) }
        installResponsesAPI(on: router)
        installSurveyPages(on: router)
        installIndicatorsAPI(on: router)
        if configuration.benchmarkRoute {
            router.get("/bench/noop") { _ in .text("ok\n") }
            router.on("GET", "/bench/deferred") { _ in
                .later { deliver in DispatchQueue.global().async { deliver { .text("ok\n") } } }
            }
        }
        let assets = try StaticFiles(root: configuration.staticRoot, prefix: "/static")
        // The pages cannot work without their stylesheet and script: a wrong static root is
        // refused at start rather than discovered as unstyled kiosks.
        for required in ["/css/pingjia.css", "/js/survey.js"] where !assets.paths.contains(required) {
            throw WebSetupError("The static root \(configuration.staticRoot) has no \(required.dropFirst()); set server.static_root to the Public folder.")
        }
        router.fallback(to: assets)
        return SecureHeaders(wrapping: router)
    }
}

/// Adds the headers every response carries, pages and API alike.
///
/// The CSP allows no inline script or style at all, and no framing, so injected markup
/// cannot run and the kiosk page cannot be wrapped by another site to steer a rating.
struct SecureHeaders: Responder {
    let wrapped: any Responder

    init(wrapping wrapped: any Responder) {
        self.wrapped = wrapped
    }

    static let policy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    func reply(to request: Request) -> Reply {
        switch wrapped.reply(to: request) {
        case .now(let response):
            return .now(SecureHeaders.secured(response))
        case .later(let start):
            return .later { deliver in start { produce in deliver { SecureHeaders.secured(produce()) } } }
        }
    }

    static func secured(_ response: Response) -> Response {
        var response = response
        response.headers.add("Content-Security-Policy", policy)
        response.headers.add("X-Content-Type-Options", "nosniff")
        response.headers.add("X-Frame-Options", "DENY")
        response.headers.add("Referrer-Policy", "no-referrer")
        if !response.headers.contains("Cache-Control") {
            response.headers.add("Cache-Control", "no-store")
        }
        return response
    }
}

/// A problem with how the web layer was set up, said so an operator can fix it.
public struct WebSetupError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
