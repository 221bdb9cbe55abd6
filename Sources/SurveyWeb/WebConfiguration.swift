import Foundation
import SurveyCore

/// What the web layer needs to know about the center and its survey.
public struct WebConfiguration: Sendable {
    /// The center's name, shown on every citizen page.
    public var centerName: String = "区行政服务中心"
    public var policy = SurveyPolicy()
    /// Seconds without a touch after which a kiosk form clears itself for the next citizen.
    public var kioskIdleResetSeconds: Int = 90
    /// Seconds the kiosk's thank-you screen stays before returning to the form.
    public var kioskThanksSeconds: Int = 8
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

    public init() {}
}
