import Foundation
import MicroHTTP
import PingjiaTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What a hostile or broken client can try on the wire: smuggling by ambiguous framing,
/// NUL bytes, oversized bodies without a length, slow and dribbling clients, floods of
/// connections. Each is refused or bounded, and the server keeps serving others.
@Suite struct HTTPHardeningTests {
    typealias Server = HTTPServerTests

    /// Sends raw bytes on a fresh connection; returns the first answer and whether the
    /// server closed the connection after it.
    static func exchange(_ port: UInt16, _ raw: String) throws -> (TestResponse, closed: Bool) {
        let connection = try RawHTTPConnection(port: port)
        try connection.write(raw)
        let response = try connection.readResponse()
        return (response, connection.isClosedByPeer())
    }

    @Test(arguments: [
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\nabcde", 400),
        ("GET /crash-free HTTP/1.1\r\n\r\n", 400),
        ("GET /crash-free HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET /crash-free%00anything HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabcde", 501),
    ])
    func ambiguousFramingIsRefusedAndTheConnectionClosed(raw: String, status: Int) throws {
        try Server.withServer { _, client throws in
            let (response, closed) = try Self.exchange(client.port, raw)
            #expect(response.status == status)
            #expect(response.headers["connection"]?.lowercased() == "close")
            #expect(closed)
        }
    }

    @Test func bytesAfterARequestWithLengthAndChunkingAreNeverReadAsARequest() throws {
        try Server.withServer { _, client throws in
            // A front proxy that honours Content-Length would pass the smuggled GET on as
            // part of the body; a server that honours chunking would run it as a second request.
            let smuggled = "GET /boom HTTP/1.1\r\nHost: x\r\n\r\n"
            let raw = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(5 + smuggled.utf8.count)\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled
            let connection = try RawHTTPConnection(port: client.port)
            try connection.write(raw)
            #expect(try connection.readResponse().status == 400)
            #expect(connection.isClosedByPeer())
        }
    }

    @Test func anEncodedNULDoesNotCutThePathShort() throws {
        try Server.withServer { _, client throws in
            #expect(try client.get("/crash-free%00anything").status == 400)
            #expect(try client.get("/crash-free").status == 200)
        }
    }

    @Test(arguments: ["/echo/", "//echo", "/echo//"])
    func pathsWithEmptySegmentsMatchNothing(path: String) throws {
        try Server.withServer { _, client throws in
            #expect(try client.request("POST", path, body: Array("a".utf8)).status == 404)
        }
    }

    @Test func anOversizedChunkedBodyIsAnswered413BeforeItEnds() throws {
        try Server.withServer { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            try connection.write("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
            let piece = [UInt8](repeating: 66, count: 1000)
            for _ in 0..<6 {
                try connection.write(Array("3e8\r\n".utf8) + piece + [13, 10])
                usleep(5_000)
            }
            // The body has not ended (no last chunk): the answer comes as soon as the limit
            // (4096 bytes here) is passed, not after the client has sent everything.
            let response = try connection.readResponse()
            #expect(response.status == 413)
            #expect(response.headers["connection"]?.lowercased() == "close")
        }
    }

    @Test func aLeadingNULIsNotHeldUntilTheIdleTimeout() throws {
        try Server.withServer({ $0.connectionTimeoutSeconds = 600; $0.requestTimeoutSeconds = 1 }) { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            try connection.write([0, 13, 10])
            #expect(connection.isClosedByPeer())
        }
    }

    @Test func aDribblingRequestIsCutOffAtItsDeadline() throws {
        try Server.withServer({ $0.connectionTimeoutSeconds = 600; $0.requestTimeoutSeconds = 1 }) { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            let request = Array("GET /crash-free HTTP/1.1\r\nHost: x\r\nX-Slow: \(String(repeating: "a", count: 200))\r\n\r\n".utf8)
            // One byte every 50 ms restarts libmicrohttpd's idle clock each time; the whole
            // request would take 12 s to arrive. The deadline ends it first.
            var cutOff = false
            for byte in request where !cutOff {
                cutOff = (try? connection.write([byte])) == nil
                usleep(50_000)
            }
            #expect(cutOff || connection.isClosedByPeer())
        }
    }

    @Test func aKeptAliveConnectionGetsANewDeadlinePerRequest() throws {
        try Server.withServer({ $0.requestTimeoutSeconds = 2 }) { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            for _ in 0..<3 {
                try connection.write("GET /crash-free HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try connection.readResponse().status == 200)
                usleep(1_200_000)
            }
        }
    }

    @Test func aFloodOfConnectionsFromOneAddressLeavesRoomForOthers() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        let server = HTTPServer(configuration: configuration, responder: Server.makeRouter())
        try server.start()
        defer { server.quiesce(); server.stop() }
        let port = server.port
        // 2,000 connections from 127.0.0.1: half idle, half sending a few header bytes now
        // and then. The defaults must keep one address from taking every connection.
        var flood: [RawHTTPConnection] = []
        for index in 0..<2000 {
            guard let connection = try? RawHTTPConnection(port: port, receiveTimeoutSeconds: 1) else { continue }
            if index % 2 == 1 { try? connection.write("GET /cr") }
            flood.append(connection)
        }
        var other = HTTPTestClient(port: port, source: "127.0.0.2")
        other.receiveTimeoutSeconds = 5
        for round in 0..<20 {
            for (index, connection) in flood.enumerated() where index % 2 == 1 && index % 20 == round {
                try? connection.write("a")
            }
            #expect(try other.get("/crash-free").status == 200)
            usleep(100_000)
        }
        withExtendedLifetime(flood) {}
    }
}
