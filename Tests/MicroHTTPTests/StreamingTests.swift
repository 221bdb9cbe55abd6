import Foundation
import MicroHTTP
import PingjiaTesting
import Synchronization
import Testing

/// Streamed bodies over real sockets: chunked transfer, many pieces, a client that goes
/// away part-way, and a producer that fails.
@Suite struct StreamingTests {
    /// Counts what the server asked of a stream, and signals when it let go of it.
    final class Recorder: Sendable {
        let calls = Atomic<Int>(0)
        let outcome = Mutex<Bool?>(nil)
        let released = DispatchSemaphore(value: 0)

        func stream(_ next: @escaping @Sendable (Int) throws -> [UInt8]?) -> BodyStream {
            BodyStream(
                next: { [self] in try next(calls.add(1, ordering: .relaxed).newValue - 1) },
                finished: { [self] completed in
                    outcome.withLock { $0 = completed }
                    released.signal()
                }
            )
        }

        /// Waits for the stream to be released; the bound only stops a hung run.
        func waitUntilReleased() -> Bool? {
            guard released.wait(timeout: .now() + 20) == .success else { return nil }
            return outcome.withLock { $0 }
        }
    }

    static func piece(_ index: Int) -> [UInt8] { Array("piece \(index) 分块\n".utf8) }

    static func withServer(_ recorder: Recorder, _ body: (HTTPTestClient) throws -> Void) throws {
        let router = Router()
        router.get("/pieces/{n}") { request in
            let count = Int(request.pathParameters["n"] ?? "0") ?? 0
            var headers = Headers()
            headers.add("Content-Type", "text/plain; charset=utf-8")
            return .streamed(recorder.stream { index in
                // Some empty pieces: the server must ask again rather than end the body.
                guard index < count else { return nil }
                return index % 7 == 3 ? [] : Self.piece(index)
            }, headers: headers)
        }
        router.get("/endless") { _ in
            .streamed(recorder.stream { _ in [UInt8](repeating: 0x61, count: 16 * 1024) })
        }
        router.get("/failing") { _ in
            .streamed(recorder.stream { index in
                struct Broken: Error {}
                if index == 5 { throw Broken() }
                return Self.piece(index)
            })
        }
        router.get("/plain") { _ in .text("plain") }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 2
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        defer { server.quiesce(); server.stop() }
        try body(HTTPTestClient(port: server.port))
    }

    @Test func aStreamIsSentChunkedPieceByPiece() throws {
        let recorder = Recorder()
        try Self.withServer(recorder) { client throws in
            let response = try client.get("/pieces/5000")
            #expect(response.status == 200)
            #expect(response.headers["transfer-encoding"] == "chunked")
            #expect(response.headers["content-length"] == nil)
            let expected = (0..<5000).filter { $0 % 7 != 3 }.flatMap(Self.piece)
            #expect(response.body == expected)
            #expect(recorder.waitUntilReleased() == true)
            #expect(recorder.calls.load(ordering: .relaxed) == 5001, "one call per piece, and one that ends the body")
        }
    }

    @Test func anEmptyStreamIsAnEmptyBody() throws {
        let recorder = Recorder()
        try Self.withServer(recorder) { client throws in
            let response = try client.get("/pieces/0")
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            #expect(recorder.waitUntilReleased() == true)
        }
    }

    @Test func theConnectionStaysUsableAfterAStream() throws {
        let recorder = Recorder()
        try Self.withServer(recorder) { client throws in
            let connection = try RawHTTPConnection(port: client.port)
            try connection.write("GET /pieces/50 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().body == (0..<50).filter { $0 % 7 != 3 }.flatMap(Self.piece))
            try connection.write("GET /plain HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().text == "plain")
        }
    }

    @Test func aClientThatGoesAwayMidStreamReleasesTheStream() throws {
        let recorder = Recorder()
        try Self.withServer(recorder) { client throws in
            do {
                let connection = try RawHTTPConnection(port: client.port)
                try connection.write("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
                try connection.receive(atLeast: 256 * 1024)
            } // the socket closes here, with the stream far from its (never) end
            #expect(recorder.waitUntilReleased() == false)
            let callsAtRelease = recorder.calls.load(ordering: .relaxed)
            #expect(try client.get("/plain").text == "plain")
            #expect(recorder.calls.load(ordering: .relaxed) == callsAtRelease, "nothing asks a released stream for more")
        }
    }

    @Test func aFailingStreamEndsTheConnectionWithoutTheLastChunk() throws {
        let recorder = Recorder()
        try Self.withServer(recorder) { client throws in
            #expect(throws: RawHTTPConnection.Failure.self) { try client.get("/failing") }
            #expect(recorder.waitUntilReleased() == false)
            #expect(try client.get("/plain").text == "plain")
        }
    }
}
