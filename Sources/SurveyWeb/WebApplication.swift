import Hashing
import Foundation
import Logging
import MicroHTTP
import Mustache
import SurveyCore
import SurveyStore
import Synchronization

/// The web side of Pingjia: every route, page and API, over one store.
///
/// `Sendable`: the store and writer are thread-safe, the configuration is immutable, and
/// the directory is an immutable snapshot replaced whole (`LiveDirectory`).
public final class WebApplication: Sendable {
    let store: SurveyStore
    let writer: ResponseWriter
    let configuration: WebConfiguration
    let pages: SurveyPages
    /// The keys that sign form client ids and window links; replaced when the secret file
    /// changes (`pingjia qr rotate`, `qr retire`).
    public let signingKeys: SigningKeyRing
    let formClientIDs: FormClientIDs
    let windowLinks: WindowLinks
    /// The center's directory in force, replaced after every change.
    public let liveDirectory: LiveDirectory
    let logger: Logger
    let metrics: PingjiaMetrics
    /// Keys client addresses for the access log and the throttle; never kept in the clear.
    let addressHasher = KeyedHasher()
    let authThrottle: FailureThrottle<String>
    /// Wrong passwords, per account name and per client (keyed hash of the address).
    let loginThrottles: LoginThrottles
    let staffPages: StaffPages
    let casePages: CasePages
    /// The center settings in force, changed by administrators while the server runs.
    public let settings: LiveSettings
    let settingsPages: SettingsPages
    let slowReads = SlowReads()
    /// The rate limits of ratings (`limits.*`), keyed by daily-rotating address hashes,
    /// window links with their browser, devices and visits.
    let limiters: SubmissionLimiters
    /// Paired kiosk tablets, their tokens checked without a read per rating.
    let kioskDevices: KioskDevices
    /// Visits waiting for their window's kiosk, and the kiosks' long polls.
    let visitHub: KioskVisitHub
    let visitLinks: VisitLinks
    /// Wrong pairing codes, per client (keyed hash of the address).
    let pairingThrottle: FailureThrottle<String>
    /// The staff's dashboard and feedback review pages.
    let dailyPages: DailyPages
    /// Newly stored responses, for the staff's live pages; fed by the writer's observer.
    public let events: ResponseEventHub

    /// - Parameters:
    ///   - logger: where failures, refusals and (if configured) the access log go.
    ///   - metrics: the registry `GET /metrics` serves; the writer's observer should share it.
    public convenience init(
        store: SurveyStore,
        writer: ResponseWriter,
        configuration: WebConfiguration,
        signingKeys: SigningKeys,
        logger: Logger = Logger(label: "pingjia", factory: { _ in SwiftLogNoOpLogHandler() }),
        metrics: PingjiaMetrics = PingjiaMetrics(),
        events: ResponseEventHub? = nil
    ) throws {
        try self.init(
            store: store, writer: writer, configuration: configuration, signingKeys: signingKeys,
            logger: logger, metrics: metrics, templates: Templates.all, events: events
        )
    }

    /// The application with other templates than the real ones, for tests of rendering failures.
    init(
        store: SurveyStore,
        writer: ResponseWriter,
        configuration: WebConfiguration,
        signingKeys: SigningKeys,
        logger: Logger,
        metrics: PingjiaMetrics,
        templates: [String: String],
        events: ResponseEventHub? = nil
    ) throws {
        self.events = events ?? ResponseEventHub(
            maxSubscribers: configuration.eventStreams, heartbeatSeconds: Double(configuration.eventHeartbeatSeconds)
        )
        let ring = SigningKeyRing(signingKeys)
        self.signingKeys = ring
        let current: @Sendable () -> SigningKeys = { ring.keysInForce }
        self.formClientIDs = FormClientIDs(keys: current)
        self.windowLinks = WindowLinks(keys: current)
        self.visitLinks = VisitLinks(keys: current)
        self.kioskDevices = KioskDevices(store: store)
        self.visitHub = KioskVisitHub(
            maxWaiting: configuration.visits.maxWaitingKiosks, maxStreams: configuration.visits.kioskStreams,
            heartbeatSeconds: Double(configuration.visits.kioskHeartbeatSeconds)
        )
        self.pairingThrottle = FailureThrottle(policy: configuration.loginThrottle)
        self.store = store
        self.writer = writer
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.authThrottle = FailureThrottle(policy: configuration.authThrottle)
        self.loginThrottles = LoginThrottles(policy: configuration.loginThrottle)
        self.limiters = SubmissionLimiters(configuration.submissionLimits)
        let catalogues = try Catalogues.load(directory: configuration.catalogueDirectory)
        for warning in catalogues.warnings { logger.warning("\(warning)") }
        Catalogues.install(catalogues)
                let settings = try LiveSettings(store: store, defaults: CenterSettings(configuration: configuration))
        self.settings = settings
        let pages = try SurveyPages(
            configuration: configuration, templates: templates, mintClientID: formClientIDs.mint, settings: { settings.current }
        )
        self.pages = pages
        self.liveDirectory = try LiveDirectory(store: store, replaced: { _ in pages.forgetBlankForms() })
        self.staffPages = try StaffPages(configuration: configuration, settings: { settings.current })
        self.settingsPages = try SettingsPages(staffPages: staffPages)
        self.casePages = try CasePages(configuration: configuration, settings: { settings.current })
        self.dailyPages = try DailyPages(configuration: configuration, settings: { settings.current })
    }


    /// The directory in force. A request reads it once and keeps that value, so it never
    /// mixes two versions.
    var directory: Directory { liveDirectory.current }

    /// Writes an error for the client: the API's JSON error body under `/api/`, a page
    /// elsewhere; with the headers every answer carries. For answers the server gives
    /// without asking the router (a body too large, a shutdown in progress).
    public var renderError: @Sendable (HTTPError, Request) -> Response {
        { [pages, metrics, logger] error, request in
            // These never reach the router's instrumentation: counted and logged here.
            metrics.recordRequest(route: "(server)", method: request.method, status: error.status, nanoseconds: 0)
            if error.status >= 500 {
                logger.error("Answered \(error.status) to \(request.method) before routing.", metadata: [
                    "route": "(server)", "method": "\(request.method)", "status": "\(error.status)", "cause": "\(error.code)",
                ])
            }
            return SecureHeaders.secured(Self.errorResponse(error, request, pages: pages))
        }
    }

    static func errorResponse(_ error: HTTPError, _ request: Request, pages: SurveyPages) -> Response {
        let language = Language.negotiate(request)
        let error = error.worded(in: language)
        if request.path.hasPrefix("/api/") || request.path == "/healthz" || request.path == "/metrics" {
            return APIError.response(for: error)
        }
        return pages.errorPage(error, language: language)
    }

    /// The complete responder: routes, static files and the headers every answer carries.
    public func makeResponder() throws -> any Responder {
        let router = Router(
            // SecureHeaders wraps the router, so its errors get the headers there. Failures
            // are logged, with their cause, by the instrumentation around the router.
            renderError: { [pages] error, request in Self.errorResponse(error, request, pages: pages) }
        )
        router.get("/healthz") { [store] _ in
            try store.ping()
            return .json(JSON.object([("status", .string("ok"))]).serialized())
        }
        let openAPIPath = configuration.openAPIPath
        router.get("/api/v1/openapi.json") { [logger] _ in
            // Read on each request: it is small, rarely fetched, and edited with the code.
            guard let document = FileManager.default.contents(atPath: openAPIPath) else {
                logger.error("The OpenAPI document is not installed.", metadata: ["path": "\(openAPIPath)"])
                throw HTTPError.notFound()
            }
            return .json([UInt8](document))
        }
        router.get("/") { [self] request in try pages.index(directory: directory, language: Language.negotiate(request)) }
        installResponsesAPI(on: router)
        installDevices(on: router)
        installSurveyPages(on: router)
        installLateComments(on: router)
        installIndicatorsAPI(on: router)
        installVisits(on: router)
        installKioskVisitStream(on: router)
        installFeedbackAPI(on: router)
        installMetrics(on: router)
        installStaffSessions(on: router)
        installCases(on: router)
        installSettings(on: router)
        installStaffDailyPages(on: router)
        installDirectoryAdmin(on: router)
        if configuration.benchmarkRoute {
            router.get("/bench/noop") { _ in .text("ok\n") }
            router.on("GET", "/bench/deferred") { _ in
                .later { deliver in DispatchQueue.global().async { deliver { .text("ok\n") } } }
            }
        }
        let assets = try StaticFiles(root: configuration.staticRoot, prefix: "/static")
        // The pages cannot work without their stylesheet and script: a wrong static root is
        // refused at start rather than discovered as unstyled kiosks.
        for required in ["/css/pingjia.css", "/js/survey.js", "/css/staff.css", "/js/staff.js"] where !assets.paths.contains(required) {
            throw WebSetupError("The static root \(configuration.staticRoot) has no \(required.dropFirst()); set server.static_root to the Public folder.")
        }
        router.fallback(to: assets)
        return SecureHeaders(wrapping: Instrumentation(
            router: router, metrics: metrics, logger: logger, accessLog: configuration.accessLog, hasher: addressHasher,
            trustedProxies: configuration.trustedProxies
        ))
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
