import Foundation
import MicroHTTP
import PingjiaTesting
import Synchronization
import Testing

/// The server over real sockets on loopback: bodies in pieces, limits, keep-alive,
/// deferred replies, failures and shutdown.
@Suite struct HTTPServerTests {
    struct Boom: Error {}

    // Background work runs on threads of its own: the tests of the whole package run at
    // once and block many pool threads, and a starved dispatch queue would stall them.

    /// Work started on a thread of its own; `result` waits for it, `isFinished` does not.
    final class Background<Value: Sendable>: Sendable {
        private let value = Mutex<Value?>(nil)
        private let done = DispatchSemaphore(value: 0)

        init(_ work: @escaping @Sendable () -> Value) {
            Thread.detachNewThread { [self] in
                let result = work()
                value.withLock { $0 = result }
                done.signal()
            }
        }

        var isFinished: Bool { value.withLock { $0 != nil } }

        var result: Value {
            done.wait()
            done.signal()
            return value.withLock { $0! }
        }
    }

    /// Holds a deferred reply until the test opens it, so tests order events without timing.
    final class Gate: Sendable {
        let arrived = DispatchSemaphore(value: 0)
        let open = DispatchSemaphore(value: 0)
    }

    static func makeRouter(gate: Gate = Gate()) -> Router {
        let router = Router()
        router.on("GET", "/gated") { _ in
            .later { deliver in
                gate.arrived.signal()
                Thread.detachNewThread {
                    gate.open.wait()
                    deliver { .text("opened") }
                }
            }
        }
        router.post("/echo") { request in
            .text("\(request.body.count):\(String(decoding: request.body, as: UTF8.self))")
        }
        router.get("/query") { request in
            .text(request.queryItems.map { "\($0.name)=\($0.value)" }.joined(separator: "&"))
        }
        router.get("/boom") { _ in throw Boom() }
        router.get("/crash-free") { _ in .text("still here") }
        router.on("GET", "/later/{ms}") { request in
            let milliseconds = Int(request.pathParameters["ms"] ?? "0") ?? 0
            return .later { deliver in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(milliseconds)) {
                    deliver { .text("waited \(milliseconds)") }
                }
            }
        }
        return router
    }

    static func withServer(
        gate: Gate = Gate(),
        _ configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: (HTTPServer, HTTPTestClient) throws -> Void
    ) throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        configuration.maxBodyBytes = 4096
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, responder: makeRouter(gate: gate))
        try server.start()
        defer { server.quiesce(); server.stop() }
        try body(server, HTTPTestClient(port: server.port))
    }

    @Test func bindsAFreePortWhenAskedForZero() throws {
        try Self.withServer { server, client throws in
            #expect(server.port != 0)
            #expect(try client.get("/crash-free").status == 200)
        }
    }

    @Test func bodySentInPiecesIsReassembled() throws {
        try Self.withServer { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            let body = Array("{\"window\":\"W01\",\"note\":\"分几次到达\"}".utf8)
            try connection.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
            for piece in stride(from: 0, to: body.count, by: 7).map({ Array(body[$0..<min($0 + 7, body.count)]) }) {
                usleep(15_000)
                try connection.write(piece)
            }
            let response = try connection.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "\(body.count):\(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test func chunkedBodyIsReassembled() throws {
        try Self.withServer { _, client throws in
            let pieces = ["ab", "cdefg", "", "h", "满意"].filter { !$0.isEmpty }.map { Array($0.utf8) }
            let response = try client.postChunked("/echo", contentType: "text/plain", pieces: pieces)
            #expect(response.status == 200)
            #expect(response.text == "\(pieces.joined().count):abcdefgh满意")
        }
    }

    @Test func declaredOversizedBodyGets413() throws {
        try Self.withServer { _, client throws in
            let response = try client.request("POST", "/echo", body: [UInt8](repeating: 65, count: 5000))
            #expect(response.status == 413)
        }
    }

    @Test func chunkedOversizedBodyGets413() throws {
        try Self.withServer { _, client throws in
            let pieces = (0..<10).map { _ in [UInt8](repeating: 66, count: 1000) }
            let response = try client.postChunked("/echo", contentType: "text/plain", pieces: pieces, pauseMicroseconds: 1000)
            #expect(response.status == 413)
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try Self.withServer { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            for index in 0..<3 {
                try connection.write("GET /query?n=\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try connection.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "n=\(index)")
                #expect(response.headers["connection"]?.lowercased() != "close")
            }
        }
    }

    @Test func queryParametersArePercentDecoded() throws {
        try Self.withServer { _, client throws in
            let response = try client.get("/query?lang=en&name=%E7%AA%97%E5%8F%A3&empty")
            #expect(response.text == "lang=en&name=窗口&empty=")
        }
    }

    @Test func deferredRepliesDoNotBlockOtherRequests() throws {
        let gate = Gate()
        try Self.withServer(gate: gate, { $0.threads = 1 }) { _, client throws in
            let slow = Background { try? client.get("/gated") }
            gate.arrived.wait()
            // With a single pool thread, this answer proves the held request is suspended,
            // not blocking the thread.
            let quick = try client.get("/crash-free")
            #expect(quick.status == 200)
            #expect(!slow.isFinished)
            gate.open.signal()
            #expect(slow.result?.text == "opened")
        }
    }

    @Test func unexpectedErrorGivesGeneric500AndServerKeepsServing() throws {
        try Self.withServer { _, client throws in
            let response = try client.get("/boom")
            #expect(response.status == 500)
            #expect(!response.text.contains("Boom"))
            #expect(try client.get("/crash-free").text == "still here")
        }
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() throws {
        try Self.withServer { _, client throws in
            #expect(try client.get("/nothing-here").status == 404)
            let response = try client.request("DELETE", "/echo")
            #expect(response.status == 405)
            #expect(response.headers["allow"] == "POST")
        }
    }

    @Test func perAddressConnectionLimitIsEnforced() throws {
        try Self.withServer({ $0.maxConnectionsPerIP = 2 }) { _, client throws in
            let first = try RawHTTPConnection(port: client.port)
            let second = try RawHTTPConnection(port: client.port)
            try first.write("GET /crash-free HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            let third = try RawHTTPConnection(port: client.port)
            try? third.write("GET /crash-free HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(third.isClosedByPeer())
            withExtendedLifetime(second) {}
        }
    }

    @Test func idleConnectionIsDroppedAfterTimeout() throws {
        try Self.withServer({ $0.connectionTimeoutSeconds = 1 }) { _, client throws in
            let connection = try RawHTTPConnection(port: client.port)
            try connection.write("GET /crash-free HTTP/1.1\r\nHo")
            // A slow client that never finishes its headers is cut off rather than held forever.
            #expect(connection.isClosedByPeer())
        }
    }

    @Test func quiesceLetsRequestsInFlightFinishAndServesNoNewConnection() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let gate = Gate()
        let server = HTTPServer(configuration: configuration, responder: Self.makeRouter(gate: gate))
        try server.start()
        let held = HTTPTestClient(port: server.port)
        let answer = Background { try? held.get("/gated") }
        gate.arrived.wait()
        let quiesced = Background { server.quiesce() }
        while !server.isDraining { usleep(1_000) }
        // quiesce() is now waiting for the held request. The listening socket stays open
        // until the daemon stops, as libmicrohttpd requires, but nobody accepts from it: a
        // new connection waits in the backlog and is never served.
        var client = HTTPTestClient(port: server.port)
        client.receiveTimeoutSeconds = 1
        #expect((try? client.get("/crash-free")) == nil)
        gate.open.signal()
        _ = quiesced.result
        #expect(answer.result?.text == "opened")
        server.stop()
    }

    @Test func duringShutdownAKeptAliveConnectionIsAnswered503AndClosed() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let gate = Gate()
        let server = HTTPServer(configuration: configuration, responder: Self.makeRouter(gate: gate))
        try server.start()
        let client = HTTPTestClient(port: server.port)
        let kept = try RawHTTPConnection(port: server.port)
        try kept.write("GET /crash-free HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try kept.readResponse().status == 200)

        let held = Background { try? client.get("/gated") }
        gate.arrived.wait()
        let quiesced = Background { server.quiesce() }
        // Once draining, a request on the open connection is refused politely, not held.
        while !server.isDraining { usleep(1_000) }
        try kept.write("GET /crash-free HTTP/1.1\r\nHost: x\r\n\r\n")
        let refusal = try kept.readResponse()
        #expect(refusal.status == 503)
        #expect(refusal.headers["connection"]?.lowercased() == "close")
        gate.open.signal()
        _ = held.result
        _ = quiesced.result
        server.stop()
    }
}
