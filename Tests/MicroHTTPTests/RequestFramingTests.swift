import MicroHTTP
import Testing

/// The request-head checks of RFC 9112, without a socket.
@Suite struct RequestFramingTests {
    static func refusal(_ headers: [(String, String)], version: String = "HTTP/1.1", target: String = "/x") -> HTTPError? {
        RequestFraming.refusal(
            version: version, target: target,
            headers: headers.map { (name: $0.0, value: $0.1) }, maxBodyBytes: 1000
        )
    }

    static let refused: [([(String, String)], Int)] = [
        ([("Host", "a"), ("Content-Length", "5"), ("Transfer-Encoding", "chunked")], 400),
        ([("Host", "a"), ("Content-Length", "5"), ("Content-Length", "6")], 400),
        ([("Host", "a"), ("Content-Length", "5, 6")], 400),
        ([("Host", "a"), ("Content-Length", "+5")], 400),
        ([("Host", "a"), ("Content-Length", "abc")], 400),
        ([("Host", "a"), ("Content-Length ", "5")], 400),
        ([("Host", "a"), ("Bad\tName", "5")], 400),
        ([("Host", "a"), ("Host", "b")], 400),
        ([("Content-Length", "5")], 400),
        ([("Host", "a"), ("Transfer-Encoding", "gzip")], 501),
        ([("Host", "a"), ("Transfer-Encoding", "gzip, chunked")], 501),
        ([("Host", "a"), ("Content-Length", "1001")], 413),
    ]

    @Test(arguments: Self.refused)
    func refusedHeads(headers: [(String, String)], status: Int) {
        #expect(Self.refusal(headers)?.status == status)
    }

    static let accepted: [[(String, String)]] = [
        [("Host", "a")],
        [("Host", "a"), ("Content-Length", "5")],
        [("Host", "a"), ("Content-Length", "5"), ("Content-Length", "5")],
        [("Host", "a"), ("Transfer-Encoding", "Chunked")],
        [("Host", "a"), ("Content-Length", "1000")],
    ]

    @Test(arguments: Self.accepted)
    func acceptedHeads(headers: [(String, String)]) {
        #expect(Self.refusal(headers) == nil)
    }

    @Test func http10MayOmitHost() {
        #expect(Self.refusal([], version: "HTTP/1.0") == nil)
        #expect(Self.refusal([("Host", "a"), ("Host", "b")], version: "HTTP/1.0")?.status == 400)
    }

    @Test(arguments: ["/healthz%00anything", "/kiosk/W01%00evil", "/a?b=%00", "/a b", "/a\u{7F}"])
    func targetsWithNULOrControlsAreRefused(target: String) {
        #expect(Self.refusal([("Host", "a")], target: target)?.status == 400)
    }

    @Test(arguments: ["/healthz", "/kiosk/W01?lang=en", "/a%20b", "/%E7%AA%97"])
    func ordinaryTargetsPass(target: String) {
        #expect(Self.refusal([("Host", "a")], target: target) == nil)
    }
}
