import Foundation
import SurveyCore

/// What the web layer needs to know about the center and its survey.
public struct WebConfiguration: Sendable {
    /// The center's name, shown on every citizen page.
    public var centerName: String = "区行政服务中心"
    /// The center's name on English pages; nil shows the Chinese name there, marked as Chinese.
    public var centerNameEnglish: String?
    /// The address citizens' phones reach the center's Pingjia at, such as
    /// `https://pingjia.example.gov.cn`: what the QR cards print. Never guessed from a
    /// request's Host header, which a client chooses.
    public var publicBaseURL: String?
    public var policy = SurveyPolicy()
    /// Seconds without a touch after which a kiosk asks "还需要更多时间吗？" (at least 10).
    public var kioskIdleResetSeconds: Int = 120
    /// Seconds the "more time?" prompt counts down before the form starts over (at least 20).
    public var kioskPromptSeconds: Int = 30
    /// Seconds the kiosk's thank-you screen stays before returning to the form.
    public var kioskThanksSeconds: Int = 8
    /// Whether the kiosk opens in elder mode (larger text and targets, timeouts doubled);
    /// `?elder=1` or `?elder=0` on the page's address overrides it.
    public var elderModeDefault = false
    /// Minutes after a rating is stored during which a comment can still be attached to it.
    public var commentWindowMinutes = 10
    /// Serves `GET /bench/noop`, a route that does no work, as the benchmark's ceiling.
    public var benchmarkRoute = false
    /// How indicators are weighted, graded and when a sample is too small to grade.
    public var indicatorPolicy: IndicatorPolicy = .default
    /// The zone whose calendar the assessment periods follow.
    public var timeZone = TimeZone(identifier: "Asia/Shanghai")!
    /// The OpenAPI document served at `/api/v1/openapi.json`.
    public var openAPIPath: String = "docs/openapi.json"
    /// The folder served under `/static/`.
    public var staticRoot: String = "Public"
    /// A folder of language catalogues (`<code>.json`) that add languages to the shipped
    /// Chinese and English, or replace them; `nil` for the shipped ones alone.
    public var catalogueDirectory: String?
    /// Serves `GET /metrics` (Prometheus text) to local clients and to holders of `metricsToken`.
    public var metricsEnabled = true
    /// A bearer token that opens `GET /metrics` to clients that are not local; nil: local only.
    public var metricsToken: String?
    /// Logs one line per request (method, route, status, duration, hashed client address).
    public var accessLog = false
    /// How wrong API keys are slowed down, per client address.
    public var authThrottle = ThrottlePolicy()
    /// A staff session ends after this many seconds without a request (`staff.session_idle_minutes`).
    public var staffSessionIdleSeconds = 30 * 60
    /// A staff session ends this many seconds after sign-in, however active (`staff.session_max_hours`).
    public var staffSessionMaxSeconds = 12 * 3600
    /// How wrong passwords are slowed down, per account and per client address: the fifth
    /// failure is the last free one, so delays start within ten.
    public var loginThrottle = ThrottlePolicy(freeFailures: 5, firstDelaySeconds: 2, maxDelaySeconds: 900)
    /// The proxies whose `X-Forwarded-For` gives the client's address (`server.trusted_proxies`).
    public var trustedProxies = TrustedProxies.loopback
    /// How many ratings one client may give before further ones are stored as suspect, and
    /// when anonymous API callers are refused (`limits.*`).
    public var submissionLimits = SubmissionLimits()
    /// Visits (一次一评) and kiosk tablets (`visits.*`).
    public var visits = VisitSettings()

    /// Staff event streams (`GET /staff/events`) open at once; more are refused with 503
    /// and the page falls back to polling (`staff.event_streams`).
    public var eventStreams = 64
    /// Seconds an event stream stays open before it ends and the browser reconnects
    /// (`staff.event_stream_seconds`).
    public var eventStreamSeconds = 300
    /// Seconds between heartbeats on an idle event stream (`staff.event_heartbeat_seconds`).
    public var eventHeartbeatSeconds = 15

    public init() {}
}
