import Foundation
import MicroHTTP
import QRCodes
import SurveyCore
import SurveyStore

/// Visits (一次一评): `POST /api/v1/visits` for the queue or case system, a visit's state and
/// QR code, the kiosk's long poll `GET /kiosk/{window}/visit`, and the phone page opened
/// from a visit's link.
extension WebApplication {
    /// The scope an API key needs to create visits and read them.
    public static let visitsWriteScope = "visits:write"

    func installVisits(on router: Router) {
        router.post("/api/v1/visits") { [self] request in
            let language = Language.negotiate(request)
            let principal = try principal(for: request, scope: Self.visitsWriteScope)
            let fields = try Self.jsonObject(request, language: language)
            func text(_ name: String) throws -> String? {
                switch fields[name] {
                case nil, .null?: return nil
                case .string(let value)?: return value.trimmingCharacters(in: .whitespaces)
                default: throw HTTPError(status: 422, code: "invalid_field", .wrongType, ["field": name, "expected": language[.expectedText]], in: language)
                }
            }
            func instant(_ name: String) throws -> Int64? {
                guard let value = try text(name), !value.isEmpty else { return nil }
                guard let millis = UTCTimestamp.parse(value) else {
                    throw HTTPError(status: 422, code: "invalid_time", .visitInvalidTime, ["field": name], in: language)
                }
                return millis
            }
            let (visit, token) = try createVisit(
                ticket: try text("ticket") ?? "", windowCode: try text("window") ?? "", staffCode: try text("staff"),
                itemCode: try text("service_item"), startedAt: try instant("started_at"), endedAt: try instant("ended_at"),
                principal: principal, language: language
            )
            return .json(JSON.object([
                ("id", .int(visit.id)),
                ("window", .string(visit.windowCode)),
                ("visit_token", .string(token)),
                ("rating_url", .string(ratingURL(visit))),
                ("expires_at", .string(UTCTimestamp.string(millis: visit.expiresAtMillis))),
            ]).serialized(), status: 201)
        }
        router.get("/api/v1/visits/{id}") { [self] request in
            let visit = try requestedVisit(request)
            return .json(Self.json(visit).serialized())
        }
        router.get("/api/v1/visits/{id}/qr") { [self] request in
            let visit = try requestedVisit(request)
            let code = try QRCode(encoding: ratingURL(visit))
            return .text(code.svg(title: visit.ticket), type: "image/svg+xml")
        }
        router.on("GET", "/kiosk/{window}/visit") { [self] request in
            try kioskPoll(request)
        }
    }

    /// Records a visit for `windowCode` within the principal's departments, and puts it on
    /// the window's kiosk. The ticket is 1–64 characters; staff and service item must be
    /// the window's department's; a visit cannot end before it started.
    func createVisit(
        ticket: String, windowCode: String, staffCode: String?, itemCode: String?, startedAt: Int64?, endedAt: Int64?,
        principal: Principal, language: Language
    ) throws -> (VisitRecord, String) {
        guard (1...64).contains(ticket.count) else {
            throw HTTPError(status: 422, code: "invalid_ticket", .visitInvalidTicket, in: language)
        }
        guard !windowCode.isEmpty else { throw HTTPError(status: 422, code: "missing_window", .missingWindow, in: language) }
        guard let window = directory.window(code: windowCode), window.active, let department = directory.department(id: window.departmentID),
              principal.departments.includes(department.code) else {
            throw HTTPError(status: 422, code: "unknown_window", .visitUnknownWindow, ["window": windowCode], in: language)
        }
        var staff: StaffMember?
        if let staffCode, !staffCode.isEmpty {
            guard let found = directory.staffMember(code: staffCode), found.departmentID == department.id else {
                throw APIError.invalid(.unknownStaff(staffCode), language: language)
            }
            staff = found
        }
        var item: ServiceItem?
        if let itemCode, !itemCode.isEmpty {
            guard let found = directory.item(code: itemCode), found.departmentID == department.id else {
                throw APIError.invalid(.unknownServiceItem(itemCode), language: language)
            }
            item = found
        }
        if let startedAt, let endedAt, endedAt < startedAt {
            throw HTTPError(status: 422, code: "invalid_time", .visitEndsBeforeStart, in: language)
        }
        let settings = configuration.visits
        let now = UTCTimestamp.nowMillis()
        let expires = now + Int64(settings.ratingWindowMinutes) * 60_000
        // Whole seconds: the link carries its expiry in seconds.
        let linkExpires = min(expires, now + Int64(settings.linkValidDays) * 86_400_000) / 1000 * 1000
        let token = BearerTokens.make()
        let visit = try store.createVisit(NewVisit(
            tokenHash: BearerTokens.hash(token), ticket: ticket, window: window, staff: staff, serviceItem: item,
            startedAtMillis: startedAt, endedAtMillis: endedAt ?? (startedAt == nil ? nil : now), createdBy: principal.auditName,
            expiresAtMillis: expires, linkExpiresAtMillis: linkExpires
        ), atMillis: now)
        visitHub.push(KioskVisitOffer(
            visitID: visit.id, ticket: visit.ticket, windowCode: window.code, token: token, staffName: staff?.name,
            serviceItemName: item?.name, offeredUntilMillis: min(expires, now + Int64(settings.kioskOfferSeconds) * 1000)
        ))
        logger.info("Recorded a visit.", metadata: ["visit": "\(visit.id)", "window": "\(window.code)", "by": "\(principal.auditName)"])
        return (visit, token)
    }

    /// The visit's one-time rating link, under the public address when one is configured.
    func ratingURL(_ visit: VisitRecord) -> String {
        visitLinks.url(visitID: visit.id, window: visit.windowCode, expiresAtMillis: visit.linkExpiresAtMillis, base: configuration.publicBaseURL)
    }

    /// The visit `{id}` names, for a principal with `visits:write` whose departments hold it.
    private func requestedVisit(_ request: Request) throws -> VisitRecord {
        let principal = try principal(for: request, scope: Self.visitsWriteScope)
        let language = Language.negotiate(request)
        guard let id = request.pathParameters["id"].flatMap(Int64.init), let visit = try store.visit(id: id),
              principal.departments.includes(visit.departmentCode) else {
            throw HTTPError(status: 404, code: "visit_not_found", .visitNotFound, in: language)
        }
        return visit
    }

    static func json(_ visit: VisitRecord) -> JSON {
        func time(_ millis: Int64?) -> JSON { millis.map { .string(UTCTimestamp.string(millis: $0)) } ?? .null }
        return .object([
            ("id", .int(visit.id)),
            ("ticket", .string(visit.ticket)),
            ("window", .string(visit.windowCode)),
            ("department", .string(visit.departmentCode)),
            ("staff", .optional(visit.staffCode)),
            ("service_item", .optional(visit.serviceItemCode)),
            ("started_at", time(visit.startedAtMillis)),
            ("ended_at", time(visit.endedAtMillis)),
            ("created_at", time(visit.createdAtMillis)),
            ("expires_at", time(visit.expiresAtMillis)),
            ("state", .string(visit.state(atMillis: UTCTimestamp.nowMillis()).rawValue)),
            ("response_id", visit.responseID.map(JSON.int) ?? .null),
        ])
    }

    // MARK: The kiosk's long poll

    /// `GET /kiosk/{window}/visit?after=ID&wait=1`: the window's newest visit after `ID`
    /// still offered, as `{"visit": {...}}`, or 204 when there is none. With `wait=1` an
    /// empty answer is held until a visit arrives or `visits.long_poll_seconds` pass; the
    /// kiosk then asks again. Only the window's paired kiosk is answered (403 otherwise).
    private func kioskPoll(_ request: Request) throws -> Reply {
        let language = Language.negotiate(request)
        let code = request.pathParameters["window"] ?? ""
        guard let window = directory.window(code: code), window.active else {
            return .now(APIError.response(for: HTTPError(status: 404, code: "unknown_window", .unknownWindowPage, in: language)))
        }
        guard try pairedDevice(request, window: window) != nil else {
            return .now(APIError.response(for: HTTPError(status: 403, code: "device_not_paired", .deviceNotPaired, in: language)))
        }
        let after = request.query("after").flatMap(Int64.init) ?? 0
        let hold = request.query("wait") == "1" ? configuration.visits.longPollSeconds : 0
        let now = UTCTimestamp.nowMillis()
        if case .now(let offer) = visitHub.poll(window: window.code, after: after, now: now, hold: 0, deliver: { _ in }), offer != nil || hold == 0 {
            return .now(Self.pollResponse(offer))
        }
        let hub = visitHub
        return .later { deliver in
            let admission = hub.poll(window: window.code, after: after, now: now, hold: hold) { offer in
                deliver { Self.pollResponse(offer) }
            }
            switch admission {
            case .held: break
            case .now(let offer): deliver { Self.pollResponse(offer) }
            case .full:
                var busy = HTTPError(status: 503, code: "too_many_waiting", .kioskPollBusy, in: language)
                busy.retryAfterSeconds = 5
                let refusal = busy
                deliver { APIError.response(for: refusal) }
            }
        }
    }

    static func pollResponse(_ offer: KioskVisitOffer?) -> Response {
        guard let offer else { return Response(status: 204) }
        return .json(offerJSON(offer).serialized())
    }

    /// What a kiosk is told of a visit, by its long poll and by its event stream alike:
    /// `{"visit": {...}}`.
    static func offerJSON(_ offer: KioskVisitOffer) -> JSON {
        .object([("visit", .object([
            ("id", .int(offer.visitID)),
            ("ticket", .string(offer.ticket)),
            ("window", .string(offer.windowCode)),
            ("visit_token", .string(offer.token)),
            ("staff", .optional(offer.staffName)),
            ("service_item", .optional(offer.serviceItemName)),
        ]))])
    }

    // MARK: The phone page of a visit's link

    /// The phone form bound to the visit of a link: refused (410) for a forged or expired
    /// link or a closed visit, 409 once the visit is rated.
    func visitPage(_ link: String, window: ServiceWindow, department: Department, language: Language) throws -> Response {
        let visit = try linkedVisit(link, language: language)
        try check(visit, windowCode: window.code, clientID: nil, language: language)
        var extras = SurveyPages.FormExtras()
        extras.visitLink = link
        extras.visitTicket = visit.ticket
        return try pages.visitForm(.phone, window: window, department: department, language: language, extras: extras)
    }
}
