import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// Kiosk tablets: pairing on the tablet (`/kiosk/pair`), the device API for admins and
/// keys with `devices:write`, and the staff pages for devices and the 办结 button.
extension WebApplication {
    /// The scope an API key needs to pair, list, rename and revoke kiosk devices.
    public static let devicesWriteScope = "devices:write"

    func installDevices(on router: Router) {
        // Before `/kiosk/{window}`, which would take `pair` for a window's code.
        router.get("/kiosk/pair") { [self] request in
            try staffPages.kioskPair(language: Language.negotiate(request))
        }
        router.post("/kiosk/pair") { [self] request in
            let fields = FormDecoding.fields(request.body) ?? []
            let language = Language.negotiate(request, formValue: fields.first { $0.name == "lang" }?.value)
            do {
                let (device, token) = try pair(code: fields.first { $0.name == "code" }?.value ?? "", request: request, language: language)
                // The fragment never reaches a server or a log; the kiosk script keeps it in
                // local storage, in case the cookie is lost.
                var response = Response.seeOther("/kiosk/\(device.windowCode)?lang=\(language.rawValue)#device=\(token)")
                response.headers.add("Set-Cookie", deviceCookie(token, for: request))
                return response
            } catch let error as HTTPError where error.status < 500 {
                return try staffPages.kioskPair(language: language, error: error)
            }
        }
        router.post("/api/v1/devices/pairings") { [self] request in
            let language = Language.negotiate(request)
            let principal = try deviceAdmin(request)
            let fields = try Self.jsonObject(request, language: language)
            guard case .string(let windowCode)? = fields["window"] else {
                throw HTTPError(status: 422, code: "missing_window", .missingWindow, in: language)
            }
            var name: String?
            if case .string(let given)? = fields["name"] { name = given }
            let (code, expires, window) = try newPairingCode(windowCode: windowCode, name: name, principal: principal, language: language)
            return .json(JSON.object([
                ("code", .string(PairingCode.display(code))), ("window", .string(window.code)),
                ("expires_at", .string(UTCTimestamp.string(millis: expires))),
            ]).serialized(), status: 201)
        }
        router.get("/api/v1/devices") { [self] request in
            _ = try deviceAdmin(request)
            return .json(JSON.object([("devices", .array(try store.devices().map(deviceJSON)))]).serialized())
        }
        router.on("PATCH", "/api/v1/devices/{id}") { [self] request in
            let language = Language.negotiate(request)
            let principal = try deviceAdmin(request)
            let fields = try Self.jsonObject(request, language: language)
            guard case .string(let name)? = fields["name"] else {
                throw HTTPError(status: 422, code: "invalid_name", .deviceInvalidName, in: language)
            }
            let device = try renameDevice(request, name: name, principal: principal, language: language)
            return .now(.json(deviceJSON(device).serialized()))
        }
        router.post("/api/v1/devices/{id}/revoke") { [self] request in
            let principal = try deviceAdmin(request)
            return .json(deviceJSON(try revokeDevice(request, principal: principal)).serialized())
        }
        installDeviceAndVisitPages(on: router)
    }

    private func installDeviceAndVisitPages(on router: Router) {
        router.get("/staff/devices") { [self] request in
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            _ = try deviceAdmin(request)
            return try devicesPage(signedIn, code: nil, language: Language.negotiate(request))
        }
        router.post("/staff/devices/pair") { [self] request in
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            let language = Language.negotiate(request)
            let principal = try deviceAdmin(request)
            let fields = FormDecoding.fields(request.body) ?? []
            let name = fields.first { $0.name == "name" }?.value
            let (code, expires, _) = try newPairingCode(
                windowCode: fields.first { $0.name == "window" }?.value ?? "", name: name, principal: principal, language: language
            )
            return try devicesPage(signedIn, code: (code, expires), language: language)
        }
        router.post("/staff/devices/{id}/rename") { [self] request in
            let principal = try deviceAdmin(request)
            let name = FormDecoding.fields(request.body)?.first { $0.name == "name" }?.value ?? ""
            _ = try renameDevice(request, name: name, principal: principal, language: Language.negotiate(request))
            return .seeOther("/staff/devices")
        }
        router.post("/staff/devices/{id}/revoke") { [self] request in
            let principal = try deviceAdmin(request)
            _ = try revokeDevice(request, principal: principal)
            return .seeOther("/staff/devices")
        }
        router.get("/staff/visits") { [self] request in
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            return try visitsPage(signedIn, created: nil, language: Language.negotiate(request))
        }
        router.post("/staff/visits") { [self] request in
            guard let signedIn = try signedIn(request) else { return .seeOther("/staff/login") }
            let language = Language.negotiate(request)
            let principal = try principal(for: request, scope: Self.visitsWriteScope)
            let fields = FormDecoding.fields(request.body) ?? []
            do {
                let (visit, _) = try createVisit(
                    ticket: (fields.first { $0.name == "ticket" }?.value ?? "").trimmingCharacters(in: .whitespaces),
                    windowCode: fields.first { $0.name == "window" }?.value ?? "", staffCode: nil, itemCode: nil,
                    startedAt: nil, endedAt: UTCTimestamp.nowMillis(), principal: principal, language: language
                )
                return try visitsPage(signedIn, created: (visit, ratingURL(visit)), language: language)
            } catch let error as HTTPError where error.status == 422 {
                return try visitsPage(signedIn, created: nil, error: error, language: language)
            }
        }
    }

    // MARK: Pairing

    /// Redeems a pairing code typed on a tablet: the tablet's new device and its token.
    /// Wrong codes are throttled per client, like wrong passwords; a cross-site post is 403.
    func pair(code typed: String, request: Request, language: Language) throws -> (KioskDevice, String) {
        try requireSameOrigin(request, language: language)
        let client = addressHasher.digest(ClientAddress.of(request))
        if case .refuse(let seconds) = pairingThrottle.check(client) {
            var error = HTTPError(status: 429, code: "too_many_attempts", .devicePairThrottled, ["seconds": String(seconds)], in: language)
            error.retryAfterSeconds = seconds
            throw error
        }
        let token = BearerTokens.make()
        guard let code = PairingCode.normalized(typed),
              case .paired(let device) = try store.redeemPairingCode(
                  codeHash: PairingCode.hash(code), tokenHash: BearerTokens.hash(token), atMillis: UTCTimestamp.nowMillis()
              ) else {
            pairingThrottle.recordFailure(client)
            logger.warning("Refused a wrong kiosk pairing code.", metadata: ["client": "\(client)"])
            throw HTTPError(status: 422, code: "pairing_code_invalid", .devicePairRefused, in: language)
        }
        logger.notice("Paired a kiosk tablet.", metadata: ["device": "\(device.id)", "window": "\(device.windowCode)"])
        return (device, token)
    }

    /// A new one-use pairing code for a window, valid for ten minutes; only its hash is kept.
    func newPairingCode(
        windowCode: String, name: String?, principal: Principal, language: Language
    ) throws -> (code: String, expiresAt: Int64, window: ServiceWindow) {
        guard let window = directory.window(code: windowCode.trimmingCharacters(in: .whitespaces)), window.active else {
            throw HTTPError(status: 422, code: "unknown_window", .visitUnknownWindow, ["window": windowCode], in: language)
        }
        let trimmed = name?.trimmingCharacters(in: .whitespaces)
        if let trimmed, trimmed.count > 100 { throw HTTPError(status: 422, code: "invalid_name", .deviceInvalidName, in: language) }
        let now = UTCTimestamp.nowMillis()
        let expires = now + Int64(configuration.visits.pairingCodeSeconds) * 1000
        let code = PairingCode.make()
        try store.createPairingCode(
            codeHash: PairingCode.hash(code), windowID: window.id, deviceName: trimmed.flatMap { $0.isEmpty ? nil : $0 },
            actor: principal.auditName, atMillis: now, expiresAtMillis: expires
        )
        return (code, expires, window)
    }

    /// The device cookie: long-lived, HttpOnly, SameSite=Strict, and Secure behind TLS,
    /// like the staff session's.
    func deviceCookie(_ token: String, for request: Request) -> String {
        var parts = ["\(KioskDevices.cookieName)=\(token)", "Path=/", "Max-Age=\(KioskDevices.cookieMaxAgeSeconds)", "HttpOnly", "SameSite=Strict"]
        if ClientAddress.arrivedOverTLS(remoteAddress: request.remoteAddress, headers: request.headers) { parts.append("Secure") }
        return parts.joined(separator: "; ")
    }

    // MARK: Managing devices

    /// An admin's session (with its CSRF token for changes) or a key with `devices:write`.
    func deviceAdmin(_ request: Request) throws -> Principal {
        let principal = try principal(for: request, scope: Self.devicesWriteScope)
        if let role = principal.role, role != .admin {
            throw HTTPError(status: 403, code: "forbidden", .devicesAdminOnly, in: Language.negotiate(request))
        }
        return principal
    }

    private func requestedDeviceID(_ request: Request) throws -> Int64 {
        guard let id = request.pathParameters["id"].flatMap(Int64.init) else {
            throw HTTPError(status: 404, code: "device_not_found", .deviceNotFound, in: Language.negotiate(request))
        }
        return id
    }

    private func renameDevice(_ request: Request, name: String, principal: Principal, language: Language) throws -> KioskDevice {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(trimmed.count) else { throw HTTPError(status: 422, code: "invalid_name", .deviceInvalidName, in: language) }
        guard let device = try store.renameDevice(id: try requestedDeviceID(request), to: trimmed, actor: principal.auditName) else {
            throw HTTPError(status: 404, code: "device_not_found", .deviceNotFound, in: language)
        }
        kioskDevices.forgetCached()
        return device
    }

    private func revokeDevice(_ request: Request, principal: Principal) throws -> KioskDevice {
        guard let device = try store.revokeDevice(id: try requestedDeviceID(request), actor: principal.auditName) else {
            throw HTTPError(status: 404, code: "device_not_found", .deviceNotFound, in: Language.negotiate(request))
        }
        kioskDevices.forgetCached()
        logger.notice("Revoked a kiosk tablet.", metadata: ["device": "\(device.id)", "by": "\(principal.auditName)"])
        return device
    }

    func deviceJSON(_ device: KioskDevice) -> JSON {
        func time(_ millis: Int64?) -> JSON { millis.map { .string(UTCTimestamp.string(millis: $0)) } ?? .null }
        return .object([
            ("id", .int(device.id)),
            ("name", .string(device.name)),
            ("window", .string(device.windowCode)),
            ("paired_at", time(device.pairedAtMillis)),
            ("last_seen_at", time(kioskDevices.lastSeen(device))),
            ("revoked_at", time(device.revokedAtMillis)),
            ("status", .string(device.isRevoked ? "revoked" : "active")),
        ])
    }

    private func devicesPage(_ signedIn: SignedIn, code: (String, Int64)?, language: Language) throws -> Response {
        let devices = try store.devices().map { ($0, kioskDevices.lastSeen($0)) }
        return try staffPages.devices(devices, code: code.map { (text: $0.0, expiresAt: $0.1) }, session: signedIn.session, directory: directory, language: language)
    }

    private func visitsPage(_ signedIn: SignedIn, created: (VisitRecord, String)?, error: HTTPError? = nil, language: Language) throws -> Response {
        let scope = signedIn.session.user.departmentScope
        let visits = try store.recentVisits(limit: 200).filter { scope.includes($0.departmentCode) }.prefix(30)
        return try staffPages.visits(
            Array(visits), created: created.map { (visit: $0.0, ratingURL: $0.1) }, error: error, session: signedIn.session,
            directory: directory, language: language
        )
    }

    /// A JSON object body, or 415/400.
    static func jsonObject(_ request: Request, language: Language) throws -> [String: JSONInput] {
        guard request.mediaType == "application/json" else {
            throw HTTPError(status: 415, code: "unsupported_media_type", .unsupportedMediaType, in: language)
        }
        guard case .object(let fields)? = JSONInput.parse(request.body) else {
            throw HTTPError(status: 400, code: "malformed_json", .malformedJSON, in: language)
        }
        return fields
    }
}
