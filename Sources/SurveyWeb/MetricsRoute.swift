import Hashing
import MicroHTTP
import SurveyStore

/// `GET /metrics`: the Prometheus text exposition, for this machine's Prometheus or
/// node-local agent, or for a scraper holding `metrics.token`.
///
/// nginx relays from 127.0.0.1 too; its forwarding headers make such a request non-local,
/// so a proxied scrape needs the token even where the nginx site forgot to deny the path.
extension WebApplication {
    func installMetrics(on router: Router) {
        guard configuration.metricsEnabled else { return }
        router.get("/metrics") { [self] request in
            guard MetricsAccess.allows(remoteAddress: request.remoteAddress, headers: request.headers, token: configuration.metricsToken) else {
                throw HTTPError(status: 403, code: "forbidden", .metricsForbidden, in: Language.negotiate(request))
            }
            // Sizes are read at scrape time: a stat() per scrape instead of one per commit.
            metrics.updateFileSizes(databasePath: store.path)
            var response = Response(status: 200, body: metrics.exposition())
            response.headers.add("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
            return response
        }
    }
}

/// Who may read `/metrics`: a direct local client, or anyone presenting the configured
/// bearer token. A pure function, tested without a network.
public enum MetricsAccess {
    public static func allows(remoteAddress: String, headers: Headers, token: String?) -> Bool {
        if let token, let presented = bearerToken(headers), KeyedHasher.secretsEqual(presented, token) {
            return true
        }
        return ClientAddress.isDirectLocal(remoteAddress: remoteAddress, headers: headers)
    }

    static func bearerToken(_ headers: Headers) -> String? {
        guard let header = headers["Authorization"] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1])
    }
}
