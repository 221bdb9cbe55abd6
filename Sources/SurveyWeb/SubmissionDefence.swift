import Foundation
import Hashing
import MicroHTTP
import SurveyCore

/// Where a rating came from and whether it looks like abuse: the provenance the web layer
/// records, the cross-site check of the citizen forms, the honeypot and the rate limits.
extension WebApplication {
    /// The scope an integration's key needs for its ratings to count as `api`.
    static let responsesScope = "responses:write"
    /// The phone browser's client cookie: random, long-lived, only for the per-link limit.
    static let clientCookieName = "pingjia_client"
    /// The phone form's field that people never see: filled in, the rating is suspect.
    static let honeypotField = "website"

    /// The client's address, believing `X-Forwarded-For` only from `server.trusted_proxies`.
    func clientAddress(_ request: Request) -> String {
        ClientAddress.of(request, trusting: configuration.trustedProxies)
    }

    /// Whether the request reached the nginx site over TLS, as a trusted proxy says.
    func arrivedOverTLS(_ request: Request) -> Bool {
        ClientAddress.arrivedOverTLS(remoteAddress: request.remoteAddress, headers: request.headers, trusting: configuration.trustedProxies)
    }

    // MARK: Cross-site posts

    /// Refuses a form post that a browser says came from another site, before anything of
    /// it is read. `Sec-Fetch-Site` decides when present (`same-origin`, or `none` for a
    /// post the browser made on its own); otherwise an `Origin` must name this host. A
    /// post with neither, or with the opaque `Origin: null` and no `Sec-Fetch-Site`, comes
    /// from an old browser (or from a program, which could forge either header anyway) and
    /// is accepted: its signed, single-use client id still keeps it from counting twice.
    func refuseCrossSiteForm(_ request: Request) throws {
        guard !Self.isCrossSite(request, opaqueOriginAllowed: true) else {
            throw HTTPError(status: 403, code: "cross_site", .formCrossSite, in: Language.negotiate(request))
        }
    }

    /// Whether a browser says the request came from a page of another site. With
    /// `opaqueOriginAllowed`, `Origin: null` without `Sec-Fetch-Site` is not taken as cross-site.
    static func isCrossSite(_ request: Request, opaqueOriginAllowed: Bool) -> Bool {
        if let site = request.headers["Sec-Fetch-Site"]?.lowercased() {
            return !(site == "same-origin" || site == "none")
        }
        guard let origin = request.headers["Origin"] else { return false }
        if opaqueOriginAllowed, origin.lowercased() == "null" { return false }
        guard let host = request.headers["Host"], let url = URL(string: origin), let originHost = url.host else { return true }
        let authority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return authority.lowercased() != host.lowercased()
    }

    // MARK: The forms

    /// How a form post's rating arrived: through a window's signed link (`window_qr`), or
    /// not verified. A paired kiosk (`device`) and a visit (`visit`) are set where their
    /// tokens are checked.
    static func formProvenance(_ kind: SurveyPages.Kind, link: String?) -> Provenance {
        kind == .phone && link != nil ? .windowQR : .unverified
    }

    /// The rule a form post breaks, if any: the honeypot, the client address's limit, and
    /// for a window link the limit of that link in this browser.
    func formFlag(_ request: Request, link: String?, honeypot: String?) -> FlagRule? {
        if let honeypot, !honeypot.isEmpty { return .honeypot }
        var checks: [(rule: FlagRule, limiter: RateLimiter, key: String)] = [
            (.addressRate, limiters.address, limiters.addressKey(clientAddress(request))),
        ]
        if let link {
            // Browsers without the cookie share one allowance per link: a script that drops
            // cookies gets no fresh allowance per post.
            let browser = Self.cookie(Self.clientCookieName, in: request) ?? "-"
            checks.append((.linkClientRate, limiters.linkClient, "\(link)|\(browser)"))
        }
        return limiters.flag(checks)
    }

    /// Gives a phone page's response the client cookie when the request had none.
    func withClientCookie(_ response: Response, for request: Request) -> Response {
        guard Self.cookie(Self.clientCookieName, in: request) == nil else { return response }
        var response = response
        var parts = ["\(Self.clientCookieName)=\(hex(randomBytes(16)))", "Path=/r", "Max-Age=31536000", "HttpOnly", "SameSite=Lax"]
        if arrivedOverTLS(request) { parts.append("Secure") }
        response.headers.add("Set-Cookie", parts.joined(separator: "; "))
        return response
    }

    // MARK: The API

    /// How a `POST /api/v1/responses` arrived, decided before its body is read.
    struct APIAdmission {
        var provenance: Provenance
        /// The client address's limiter key, for anonymous posts only (hashed once).
        var addressKey: String?
    }

    /// The provenance of a `POST /api/v1/responses`, checked before its body is read: a
    /// key with `responses:write` makes it `api` (exempt from the address limits); a key
    /// that is wrong, revoked or lacks the scope is refused (401, 403), never taken as
    /// anonymous; no key at all is `unverified`, refused with 429 only past the hard limit.
    ///
    /// `vouched`: the post carries a visit token or a paired kiosk's token, which bring
    /// allowances of their own; it is held to neither address limit.
    func apiAdmission(_ request: Request, vouched: Bool = false) throws -> APIAdmission {
        if request.headers.contains("Authorization") {
            try authorize(request, scope: Self.responsesScope)
            return APIAdmission(provenance: .api, addressKey: nil)
        }
        if vouched { return APIAdmission(provenance: .unverified, addressKey: nil) }
        let key = limiters.addressKey(clientAddress(request))
        if case .over(let seconds) = limiters.anonymousAPI.take(key) {
            metrics.ratingsRefused.increment()
            var error = HTTPError(status: 429, code: "too_many_ratings", .tooManyRatings, ["seconds": String(seconds)], in: Language.negotiate(request))
            error.retryAfterSeconds = seconds
            throw error
        }
        return APIAdmission(provenance: .unverified, addressKey: key)
    }

    /// The rule an API rating breaks, if any: keyed integrations none, anonymous ones the
    /// client address's limit.
    func apiFlag(_ admission: APIAdmission) -> FlagRule? {
        guard let key = admission.addressKey else { return nil }
        return limiters.flag([(.addressRate, limiters.address, key)])
    }

    // MARK: Hooks for kiosk devices and visits

    /// Takes one rating from a paired kiosk's allowance (`limits.device`); `.deviceRate`
    /// when it is spent. `deviceKey` is any stable string naming the device (its id).
    public func deviceRateFlag(deviceKey: String) -> FlagRule? {
        limiters.flag([(.deviceRate, limiters.device, deviceKey)])
    }

    /// Takes one rating from a visit token's allowance (`limits.visit`); `.visitRate` when
    /// it is spent. `visitKey` is any stable string naming the visit (its id).
    public func visitRateFlag(visitKey: String) -> FlagRule? {
        limiters.flag([(.visitRate, limiters.visit, visitKey)])
    }

    /// Marks `submission` as arrived by `provenance`, flagged by `rule` if any, and counts
    /// a flag in the metrics and the log (with the rule only: never an address).
    func marked(_ submission: ValidatedSubmission, provenance: Provenance, flag rule: FlagRule?) -> ValidatedSubmission {
        var submission = submission
        submission.provenance = provenance
        submission.flagRule = rule
        if let rule {
            metrics.ratingsFlagged.increment()
            logger.notice("Stored a rating as suspect.", metadata: [
                "rule": "\(rule.rawValue)", "window": "\(submission.window.code)", "provenance": "\(provenance.rawValue)",
            ])
        }
        return submission
    }
}
