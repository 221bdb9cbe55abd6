import Hashing
import Foundation
import Logging
import MicroHTTP
import SurveyStore

/// Wraps the router to count and time every answer by route pattern, to log every 5xx
/// with its route and cause, and, when asked, to write an access log.
///
/// The access log holds the method, the route pattern and path (never the query, where a
/// form's fields could be), the status and the duration, and the client only as a keyed
/// hash of its address. It is off by default.
struct Instrumentation: Responder {
    let router: Router
    let metrics: PingjiaMetrics
    let logger: Logger
    let accessLog: Bool
    let hasher: KeyedHasher
    let trustedProxies: TrustedProxies

    func reply(to request: Request) -> Reply {
        let started = DispatchTime.now().uptimeNanoseconds
        let (pattern, reply) = router.dispatch(request)
        let route = pattern ?? (request.path.hasPrefix("/static/") ? "/static/*" : "unmatched")
        switch reply {
        case .now(let response):
            finished(request, route: route, response: response, started: started)
            return .now(response)
        case .later(let start):
            return .later { [self] deliver in
                start { produce in
                    deliver {
                        let response = produce()
                        finished(request, route: route, response: response, started: started)
                        return response
                    }
                }
            }
        }
    }

    private func finished(_ request: Request, route: String, response: Response, started: UInt64) {
        let elapsed = DispatchTime.now().uptimeNanoseconds &- started
        metrics.recordRequest(route: route, method: request.method, status: response.status, nanoseconds: elapsed)
        if response.status >= 500 {
            logger.error("Answered \(response.status) to \(request.method) \(route).", metadata: [
                "route": "\(route)", "path": "\(request.path)", "method": "\(request.method)",
                "status": "\(response.status)", "cause": "\(response.cause ?? "none recorded")",
            ])
        }
        if accessLog {
            logger.info("request", metadata: [
                "method": "\(request.method)", "route": "\(route)", "path": "\(request.path.prefix(200))",
                "status": "\(response.status)", "duration_ms": "\(String(format: "%.3f", Double(elapsed) / 1e6))",
                "client": "\(hasher.digest(ClientAddress.of(request, trusting: trustedProxies)))",
            ])
        }
    }
}
