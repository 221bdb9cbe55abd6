import Foundation
import MicroHTTP
import SurveyCore

/// `GET /kiosk/{window}/visits/events`: the window's visits pushed to its paired kiosk as
/// server-sent events, the push counterpart of the long poll `GET /kiosk/{window}/visit`.
///
/// Authenticated as the long poll is (the paired tablet's cookie or `X-Device-Token`; 403
/// otherwise, 404 for an unknown window). Each visit is one `visit` event whose data is
/// the long poll's body (`{"visit": {...}}`) and whose id is the visit's id. A stream
/// starts after `Last-Event-ID` (a reconnection) or `after` (the kiosk's own starting
/// point), and first sends the visit still offered to the window, if newer. It ends after
/// `visits.kiosk_stream_seconds`, when the tablet is revoked (seen at the next heartbeat,
/// every `visits.kiosk_heartbeat_seconds`), or at shutdown; the browser then reconnects.
/// Past `visits.kiosk_streams` open streams the answer is 503 with `Retry-After`, and the
/// kiosk falls back to the long poll.
extension WebApplication {
    func installKioskVisitStream(on router: Router) {
        router.get("/kiosk/{window}/visits/events") { [self] request in
            // Its refusals are JSON, as the long poll's are.
            try APIError.refusingAsJSON { try kioskVisitStream(request) }
        }
    }

    private func kioskVisitStream(_ request: Request) throws -> Response {
        let language = Language.negotiate(request)
        let code = request.pathParameters["window"] ?? ""
        guard let window = directory.window(code: code), window.active else {
            throw HTTPError(status: 404, code: "unknown_window", .unknownWindowPage, in: language)
        }
        guard let token = deviceToken(request), try pairedDevice(request, window: window) != nil else {
            throw HTTPError(status: 403, code: "device_not_paired", .deviceNotPaired, in: language)
        }
        let after = max(0, request.headers["Last-Event-ID"].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            ?? request.query("after").flatMap(Int64.init) ?? 0)
        var busy = HTTPError(status: 503, code: "too_many_streams", .kioskStreamBusy, in: language)
        busy.retryAfterSeconds = 30
        let hub = visitHub
        let windowCode = window.code
        let windowID = window.id
        let devices = kioskDevices
        hub.streams.startHeartbeat()
        return try eventStream(EventStreamPlan(
            hub: hub.streams,
            accepts: { $0.windowCode == windowCode },
            start: {
                let offer = hub.offered(window: windowCode, after: after, now: UTCTimestamp.nowMillis())
                return .init(position: after, backlog: offer.map { [$0] } ?? [], catchingUp: false)
            },
            format: { Self.visitEventText($0) },
            // A revocation through this server is seen at once, one from the command line
            // within the device cache's time.
            stillAllowed: { (try? devices.device(token: token))??.windowID == windowID },
            lifetimeSeconds: configuration.visits.kioskStreamSeconds, busy: busy,
            open: metrics.kioskStreamsOpen, refused: metrics.kioskStreamsRefused
        ))
    }

    /// One `visit` event; the JSON is on one line, so `data:` needs no splitting.
    static func visitEventText(_ offer: KioskVisitOffer) -> String {
        "id: \(offer.visitID)\nevent: visit\ndata: " + String(decoding: offerJSON(offer).serialized(), as: UTF8.self) + "\n\n"
    }
}
