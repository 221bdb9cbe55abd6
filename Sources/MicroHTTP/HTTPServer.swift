import CMicroHTTPD
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Errors raised while starting the server.
public enum HTTPServerError: Error, CustomStringConvertible, Sendable {
    case invalidHost(String)
    case cannotStart(host: String, port: UInt16)

    public var description: String {
        switch self {
        case .invalidHost(let host):
            "'\(host)' is not an IP address to listen on (use e.g. 127.0.0.1, ::1 or 0.0.0.0)."
        case .cannotStart(let host, let port):
            "Could not listen on \(host):\(port). Is the port already in use?"
        }
    }
}

/// An HTTP/1.1 server on libmicrohttpd: a pool of epoll threads that hand complete
/// requests to a `Responder`.
///
/// Two rules from measuring this library shape the code:
/// - A response is never queued on the first access-handler call for a request, because
///   libmicrohttpd then closes the connection and keep-alive is lost.
/// - `Reply.later` suspends the connection rather than blocking a pool thread, so a
///   handler waiting for a commit does not stall the other connections on that thread.
///
/// `@unchecked Sendable`: the daemon pointer is written only by `start` and `stop`, which
/// the owner calls from one thread before and after serving; everything the pool threads
/// share is either immutable or behind a `Mutex`/`Atomic`.
public final class HTTPServer: @unchecked Sendable {
    public let configuration: ServerConfiguration
    private let responder: any Responder
    private var daemon: OpaquePointer?
    private let inFlight = Atomic<Int>(0)
    /// Set once shutdown began: requests that still arrive on open keep-alive connections
    /// are told 503 and the connection is closed, so the drain can finish.
    private let draining = Atomic<Bool>(false)
    /// The bound port, known once `start()` returned.
    public private(set) var port: UInt16 = 0

    private let renderRejection: @Sendable (HTTPError, Request) -> Response

    /// - Parameter renderRejection: writes the answers the server gives on its own, without
    ///   asking the responder (a body too large); the request has no body then.
    public init(
        configuration: ServerConfiguration,
        responder: any Responder,
        renderRejection: @escaping @Sendable (HTTPError, Request) -> Response = Router.plainError
    ) {
        self.configuration = configuration
        self.responder = responder
        self.renderRejection = renderRejection
    }

    deinit {
        stop()
    }

    /// Binds and starts serving on libmicrohttpd's own threads; returns at once.
    public func start() throws {
        precondition(daemon == nil, "HTTPServer.start() called twice")
        let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
        var flags = MHD_USE_INTERNAL_POLLING_THREAD.rawValue | MHD_USE_EPOLL.rawValue
            | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_TURBO.rawValue
        let cls = Unmanaged.passUnretained(self).toOpaque()
        let started: OpaquePointer? = try withSocketAddress(host: host, port: configuration.port) { address, isIPv6 in
            if isIPv6 { flags |= MHD_USE_IPv6.rawValue }
            var settings = cmhd_daemon_settings(
                flags: flags,
                bind_address: address,
                thread_pool_size: UInt32(max(1, configuration.threads)),
                connection_limit: UInt32(max(1, configuration.maxConnections)),
                per_ip_connection_limit: UInt32(max(0, configuration.maxConnectionsPerIP)),
                connection_timeout_seconds: UInt32(max(0, configuration.connectionTimeoutSeconds)),
                connection_memory_limit: 32 * 1024
            )
            return cmhd_start_daemon(&settings, accessHandler, cls, completionHandler, cls)
        }
        guard let started else {
            throw HTTPServerError.cannotStart(host: configuration.host, port: configuration.port)
        }
        daemon = started
        port = cmhd_bound_port(started)
    }

    /// Stops accepting new connections, then waits up to the grace period for the
    /// requests already in flight to be answered.
    public func quiesce() {
        guard let daemon else { return }
        draining.store(true, ordering: .releasing)
        // Closed at once, so new connections are refused rather than left in a backlog
        // that nobody accepts from. libmicrohttpd has already taken the socket out of every
        // pool thread's epoll set; at worst a thread inside accept() gets an error.
        let listener = MHD_quiesce_daemon(daemon)
        if listener >= 0 { close(listener) }
        waitForRequestsInFlight()
    }

    /// Waits, up to the grace period, until every request received has been answered.
    public func waitForRequestsInFlight() {
        let deadline = monotonicSeconds() + Double(configuration.shutdownGraceSeconds)
        while inFlight.load(ordering: .acquiring) > 0 && monotonicSeconds() < deadline {
            usleep(5_000)
        }
    }

    /// Closes every connection and joins the threads. Work handed out with `Reply.later`
    /// must have delivered by now: libmicrohttpd cannot stop with suspended connections.
    public func stop() {
        guard let daemon else { return }
        MHD_stop_daemon(daemon)
        self.daemon = nil
    }

    /// Requests received but not yet answered.
    public var requestsInFlight: Int { inFlight.load(ordering: .acquiring) }

    // MARK: - Callbacks

    fileprivate func handle(
        connection: OpaquePointer,
        url: String,
        method: String,
        uploadData: UnsafePointer<CChar>?,
        uploadSize: UnsafeMutablePointer<Int>,
        state: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        guard let existing = state.pointee else {
            // First call: only the headers are known. Remember the exchange and answer later,
            // except for a body that is declared too large, which is refused before it is read.
            let exchange = Exchange()
            state.pointee = Unmanaged.passRetained(exchange).toOpaque()
            inFlight.add(1, ordering: .relaxed)
            if draining.load(ordering: .acquiring) {
                exchange.refused = true
                var response = renderRejection(HTTPError(
                    status: 503, code: "shutting_down",
                    message: "The server is restarting. Please try again in a moment. 服务正在重启，请稍后重试。"
                ), makeRequest(connection: connection, url: url, method: method, body: []))
                response.headers.set("Connection", "close")
                response.headers.set("Retry-After", "2")
                return queue(response, on: connection)
            }
            // Parsed as UInt64 so that no declared length, however large, slips past the check.
            if let declared = lookup(connection, MHD_ValueKind.HEADER_KIND, "Content-Length"),
               UInt64(declared).map({ $0 > UInt64(configuration.maxBodyBytes) }) ?? false {
                exchange.refused = true
                return queue(tooLargeResponse(connection: connection, url: url, method: method), on: connection)
            }
            return MHD_Result.YES
        }
        let exchange = Unmanaged<Exchange>.fromOpaque(existing).takeUnretainedValue()
        if exchange.refused {
            uploadSize.pointee = 0
            return MHD_Result.YES
        }
        if let produce = exchange.takeDelivered() {
            return queue(produce(), on: connection)
        }
        if uploadSize.pointee > 0 {
            let count = uploadSize.pointee
            uploadSize.pointee = 0
            if exchange.overflowed || exchange.body.count + count > configuration.maxBodyBytes {
                // A chunked body gave no length up front. libmicrohttpd cannot queue a reply
                // while the body is still arriving, so the rest is read and dropped and the
                // 413 goes out at its end; a client that keeps sending far past the limit
                // is cut off instead.
                exchange.overflowed = true
                exchange.body = []
                exchange.discarded += count
                return exchange.discarded > 16 * configuration.maxBodyBytes ? MHD_Result.NO : MHD_Result.YES
            }
            if let uploadData {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                    exchange.body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
                }
            }
            return MHD_Result.YES
        }
        if exchange.overflowed {
            exchange.overflowed = false
            exchange.refused = true
            return queue(tooLargeResponse(connection: connection, url: url, method: method), on: connection)
        }
        guard !exchange.dispatched else { return MHD_Result.YES }
        exchange.dispatched = true
        let request = makeRequest(connection: connection, url: url, method: method, body: exchange.body)
        exchange.body = []
        switch responder.reply(to: request) {
        case .now(let response):
            return queue(response, on: connection)
        case .later(let start):
            let handle = ConnectionHandle(pointer: connection)
            MHD_suspend_connection(connection)
            start { produce in
                exchange.deliver(produce)
                MHD_resume_connection(handle.pointer)
            }
            return MHD_Result.YES
        }
    }

    fileprivate func completed(state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        guard let state, let existing = state.pointee else { return }
        Unmanaged<Exchange>.fromOpaque(existing).release()
        state.pointee = nil
        inFlight.subtract(1, ordering: .releasing)
    }

    private func makeRequest(connection: OpaquePointer, url: String, method: String, body: [UInt8]) -> Request {
        var request = Request(method: method, path: url.isEmpty ? "/" : url, body: body)
        request.queryItems = collect(connection, MHD_ValueKind.GET_ARGUMENT_KIND).map { (name: $0.0, value: $0.1) }
        request.headers = Headers(collect(connection, MHD_ValueKind.HEADER_KIND))
        var buffer = [CChar](repeating: 0, count: 64)
        if cmhd_client_address(connection, &buffer, buffer.count) == 0 {
            request.remoteAddress = String(cString: buffer)
        }
        return request
    }

    private func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
        let created = response.body.withUnsafeBytes { bytes in
            MHD_create_response_from_buffer(
                bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), MHD_ResponseMemoryMode.RESPMEM_MUST_COPY
            )
        }
        guard let created else { return MHD_Result.NO }
        for (name, value) in response.headers {
            _ = MHD_add_response_header(created, name, value)
        }
        let result = MHD_queue_response(connection, UInt32(response.status), created)
        MHD_destroy_response(created)
        return result
    }

    private func tooLargeResponse(connection: OpaquePointer, url: String, method: String) -> Response {
        let request = makeRequest(connection: connection, url: url, method: method, body: [])
        let error = HTTPError(
            status: 413, code: "body_too_large",
            message: "The request body is larger than \(configuration.maxBodyBytes) bytes. 请求体超过 \(configuration.maxBodyBytes) 字节。"
        )
        return renderRejection(error, request)
    }
}

/// Per-request state kept in libmicrohttpd's `con_cls` slot.
///
/// `@unchecked Sendable`: `body`, `refused` and `dispatched` are touched only by the
/// connection's own pool thread; the response handed over from another thread goes
/// through the mutex.
private final class Exchange: @unchecked Sendable {
    var body: [UInt8] = []
    var refused = false
    var overflowed = false
    var discarded = 0
    var dispatched = false
    private let delivered = Mutex<ResponseProducer?>(nil)

    func deliver(_ produce: @escaping ResponseProducer) {
        delivered.withLock { $0 = produce }
    }

    func takeDelivered() -> ResponseProducer? {
        delivered.withLock { value in
            defer { value = nil }
            return value
        }
    }
}

/// `@unchecked Sendable`: libmicrohttpd documents `MHD_resume_connection` as callable
/// from any thread, which is the only use this pointer has off its own thread.
private struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

private let accessHandler: MHD_AccessHandlerCallback = {
    cls, connection, url, method, _, uploadData, uploadSize, state in
    guard let cls, let connection, let uploadSize, let state else { return MHD_Result.NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    return server.handle(
        connection: connection,
        url: url.map { String(cString: $0) } ?? "/",
        method: method.map { String(cString: $0) } ?? "GET",
        uploadData: uploadData,
        uploadSize: uploadSize,
        state: state
    )
}

private let completionHandler: MHD_RequestCompletedCallback = { cls, _, state, _ in
    guard let cls else { return }
    Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().completed(state: state)
}

private func lookup(_ connection: OpaquePointer, _ kind: MHD_ValueKind, _ key: String) -> String? {
    MHD_lookup_connection_value(connection, kind, key).map { String(cString: $0) }
}

private final class PairCollector {
    var pairs: [(String, String)] = []
}

private func collect(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [(String, String)] {
    let collector = PairCollector()
    let cls = Unmanaged.passUnretained(collector).toOpaque()
    _ = MHD_get_connection_values(connection, kind, { cls, _, key, value in
        guard let cls, let key else { return MHD_Result.YES }
        let collector = Unmanaged<PairCollector>.fromOpaque(cls).takeUnretainedValue()
        collector.pairs.append((String(cString: key), value.map { String(cString: $0) } ?? ""))
        return MHD_Result.YES
    }, cls)
    return withExtendedLifetime(collector) { collector.pairs }
}

private func withSocketAddress<T>(
    host: String, port: UInt16,
    _ body: (UnsafePointer<sockaddr>, _ isIPv6: Bool) throws -> T
) throws -> T {
    if host.contains(":") {
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = port.bigEndian
        guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else { throw HTTPServerError.invalidHost(host) }
        return try withUnsafePointer(to: &address) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, true) }
        }
    }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw HTTPServerError.invalidHost(host) }
    return try withUnsafePointer(to: &address) {
        try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, false) }
    }
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
