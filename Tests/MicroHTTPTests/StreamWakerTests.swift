import Foundation
import MicroHTTP
import PingjiaTesting
import Synchronization
import Testing

/// A streamed body that waits for news: between pieces the connection is suspended, not
/// the pool thread, and a wake sends what was queued.
@Suite struct StreamWakerTests {
    /// A queue of pieces a test pushes into, served as one endless chunked body.
    final class Feed: Sendable {
        let waker = StreamWaker()
        let queued = Mutex<[String]>([])
        let ended = Atomic<Bool>(false)
        let released = DispatchSemaphore(value: 0)

        func push(_ text: String) {
            queued.withLock { $0.append(text) }
            waker.wake()
        }

        func end() {
            ended.store(true, ordering: .releasing)
            waker.wake()
        }

        var stream: BodyStream {
            BodyStream(
                next: { [self] in
                    let text = queued.withLock { queue in
                        defer { queue = [] }
                        return queue.joined()
                    }
                    if text.isEmpty && ended.load(ordering: .acquiring) { return nil }
                    return Array(text.utf8)
                },
                finished: { [self] _ in released.signal() },
                waker: waker
            )
        }
    }

    /// Waits until the stream is suspended; the bound only stops a hung run.
    static func waitUntilWaiting(_ feed: Feed) {
        for _ in 0..<2000 where !feed.waker.isWaiting { usleep(5_000) }
    }

    /// A server with one pool thread serving `feed` at `/feed` and a plain `/plain`: if a
    /// waiting stream held the thread, `/plain` could not be answered.
    static func withServer(_ feed: Feed, _ body: (HTTPServer) throws -> Void) throws {
        let router = Router()
        router.get("/feed") { _ in .streamed(feed.stream) }
        router.get("/plain") { _ in .text("plain") }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.threads = 1
        let server = HTTPServer(configuration: configuration, responder: router)
        try server.start()
        defer { server.stop() }
        try body(server)
    }

    @Test func aWaitingStreamHoldsNoThreadAndSendsWhatIsPushed() throws {
        let feed = Feed()
        try Self.withServer(feed) { server in
            let stream = try RawHTTPConnection(port: server.port)
            try stream.write("GET /feed HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            feed.push("first\n")
            let head = try stream.readHead()
            #expect(head.status == 200)
            #expect(head.headers["transfer-encoding"] == "chunked")
            #expect(try stream.readBody(through: "first\n").hasSuffix("first\n"))
            Self.waitUntilWaiting(feed)
            #expect(feed.waker.isWaiting)

            let other = HTTPTestClient(port: server.port)
            #expect(try other.get("/plain").text == "plain")

            feed.push("second\n")
            #expect(try stream.readBody(through: "second\n").contains("second"))
            // Wakes with nothing new only ask again; the stream keeps waiting.
            feed.waker.wake()
            feed.waker.wake()
            Self.waitUntilWaiting(feed)
            feed.end()
            #expect(try stream.readBody(through: "0\r\n\r\n").hasSuffix("0\r\n\r\n"))
            #expect(feed.released.wait(timeout: .now() + 20) == .success)
            // Waking a finished stream does nothing.
            feed.waker.wake()
        }
    }

    @Test func aClientThatLeavesWhileTheStreamWaitsIsFoundAtTheNextWake() throws {
        let feed = Feed()
        try Self.withServer(feed) { server in
            do {
                let stream = try RawHTTPConnection(port: server.port)
                try stream.write("GET /feed HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                feed.push("hello\n")
                _ = try stream.readHead()
                _ = try stream.readBody(through: "hello\n")
                Self.waitUntilWaiting(feed)
            }
            // The socket is closed; a heartbeat's write fails and the stream is let go.
            var released = false
            for _ in 0..<200 where !released {
                feed.push(String(repeating: "x", count: 4096) + "\n")
                released = feed.released.wait(timeout: .now() + 0.1) == .success
            }
            #expect(released)
        }
    }
}
