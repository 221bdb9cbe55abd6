import MicroHTTP
import SurveyWeb
import Testing

/// Who counts as local for `/metrics`, and which address a client is counted under.
@Suite struct ClientAddressTests {
    @Test(arguments: [
        ("127.0.0.1", true), ("127.0.0.2", true), ("127.255.255.254", true), ("::1", true),
        ("::ffff:127.0.0.1", true), ("0:0:0:0:0:0:0:1", true),
        ("10.0.0.1", false), ("192.168.1.20", false), ("172.16.0.1", false), ("8.8.8.8", false),
        ("128.0.0.1", false), ("::", false), ("::2", false), ("::ffff:10.0.0.1", false), ("fe80::1", false),
        ("", false), ("localhost", false), ("127.0.0.1.example", false),
    ])
    func loopbackIsRecognisedByAddress(address: String, loopback: Bool) {
        #expect(ClientAddress.isLoopback(address) == loopback)
    }

    @Test func aRequestRelayedByAProxyIsNotLocal() {
        #expect(ClientAddress.isDirectLocal(remoteAddress: "127.0.0.1", headers: Headers()))
        for header in ["X-Real-IP", "X-Forwarded-For", "Forwarded", "x-forwarded-for"] {
            #expect(!ClientAddress.isDirectLocal(remoteAddress: "127.0.0.1", headers: Headers([(header, "203.0.113.9")])))
        }
        #expect(!ClientAddress.isDirectLocal(remoteAddress: "203.0.113.9", headers: Headers()))
    }

    @Test func metricsNeedALocalClientOrTheToken() {
        let token = "a-long-metrics-token-0123456789"
        let remote = "203.0.113.9"
        #expect(!MetricsAccess.allows(remoteAddress: remote, headers: Headers(), token: nil))
        #expect(!MetricsAccess.allows(remoteAddress: remote, headers: Headers(), token: token))
        #expect(!MetricsAccess.allows(remoteAddress: remote, headers: Headers([("Authorization", "Bearer wrong")]), token: token))
        #expect(!MetricsAccess.allows(remoteAddress: remote, headers: Headers([("Authorization", token)]), token: token))
        #expect(!MetricsAccess.allows(remoteAddress: remote, headers: Headers([("Authorization", "Bearer \(token)x")]), token: token))
        #expect(MetricsAccess.allows(remoteAddress: remote, headers: Headers([("Authorization", "Bearer \(token)")]), token: token))
        #expect(MetricsAccess.allows(remoteAddress: "127.0.0.1", headers: Headers(), token: nil))
        #expect(!MetricsAccess.allows(remoteAddress: "127.0.0.1", headers: Headers([("X-Real-IP", remote)]), token: nil))
        #expect(MetricsAccess.allows(
            remoteAddress: "127.0.0.1", headers: Headers([("X-Real-IP", remote), ("Authorization", "Bearer \(token)")]), token: token
        ))
    }

    @Test func theClientIsTheAddressNginxSawOnlyWhenNginxSaysSo() {
        #expect(ClientAddress.of(remoteAddress: "127.0.0.1", headers: Headers([("X-Real-IP", "203.0.113.9")])) == "203.0.113.9")
        #expect(ClientAddress.of(remoteAddress: "127.0.0.1", headers: Headers()) == "127.0.0.1")
        // A client that connects directly cannot pick the address it is counted under.
        #expect(ClientAddress.of(remoteAddress: "198.51.100.7", headers: Headers([("X-Real-IP", "203.0.113.9")])) == "198.51.100.7")
    }
}

/// When a staff session cookie is marked `Secure`: only when the TLS proxy on the
/// loopback says the client spoke HTTPS, never on a direct client's word.
@Suite struct ForwardedTLSTests {
    @Test(arguments: [
        ("127.0.0.1", "https", true), ("::1", "HTTPS", true), ("127.0.0.1", "http", false), ("127.0.0.1", nil, false),
        ("203.0.113.7", "https", false), ("10.0.0.2", "https", false),
    ] as [(String, String?, Bool)])
    func secureOnlyBehindTheLocalProxy(peer: String, proto: String?, secure: Bool) {
        let headers = Headers(proto.map { [("X-Forwarded-Proto", $0)] } ?? [])
        #expect(ClientAddress.arrivedOverTLS(remoteAddress: peer, headers: headers) == secure)
    }
}
