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
    private let deadlines: ConnectionDeadlines
    /// The listening socket once taken back from libmicrohttpd by `quiesce()`; closed only
    /// after the daemon stopped, as libmicrohttpd requires.
    private var quiescedListener: Int32 = -1
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
        self.deadlines = ConnectionDeadlines(seconds: configuration.requestTimeoutSeconds)
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
                connection_limit: UInt32(connectionLimitWithinFileLimit(configuration.maxConnections, threads: configuration.threads)),
                per_ip_connection_limit: UInt32(max(0, configuration.maxConnectionsPerIP)),
                connection_timeout_seconds: UInt32(max(0, configuration.connectionTimeoutSeconds)),
                connection_memory_limit: configuration.connectionMemoryBytes,
                uri_logger: uriLogger,
                connection_notifier: connectionNotifier,
                strict: 0
            )
            return cmhd_start_daemon(&settings, accessHandler, cls, completionHandler, cls)
        }
        guard let started else {
            throw HTTPServerError.cannotStart(host: configuration.host, port: configuration.port)
        }
        daemon = started
        port = cmhd_bound_port(started)
        deadlines.start()
    }

    /// Stops accepting new connections, then waits up to the grace period for the
    /// requests already in flight to be answered.
    public func quiesce() {
        guard let daemon else { return }
        draining.store(true, ordering: .releasing)
        // No pool thread accepts from the socket any more. It stays open until the daemon
        // stopped (libmicrohttpd's documented order): connections that arrive meanwhile wait
        // in the backlog and are reset when it closes.
        if quiescedListener < 0 { quiescedListener = MHD_quiesce_daemon(daemon) }
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
        deadlines.stop()
        MHD_stop_daemon(daemon)
        self.daemon = nil
        if quiescedListener >= 0 {
            close(quiescedListener)
            quiescedListener = -1
        }
    }

    /// Whether shutdown began: no new connection is accepted and requests on open ones get 503.
    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Requests received but not yet answered.
    public var requestsInFlight: Int { inFlight.load(ordering: .acquiring) }

    // MARK: - Callbacks

    fileprivate func handle(
        connection: OpaquePointer,
        url: String,
        method: String,
        version: String,
        uploadData: UnsafePointer<CChar>?,
        uploadSize: UnsafeMutablePointer<Int>,
        state: UnsafeMutablePointer<UnsafeMutableRawPointer?>
    ) -> MHD_Result {
        // The exchange was made by `began(target:)` when the request line arrived.
        guard let existing = state.pointee else { return MHD_Result.NO }
        let exchange = Unmanaged<Exchange>.fromOpaque(existing).takeUnretainedValue()
        switch exchange.stage {
        case .headersArrived:
            // First call: only the head is known. Refuse what must be refused before a byte
            // of the body is read; otherwise remember the exchange and answer on a later call.
            if draining.load(ordering: .acquiring) {
                exchange.stage = .answered
                var response = closing(renderRejection(.shuttingDown, head(connection, url, method)))
                response.headers.set("Retry-After", "2")
                return queue(response, on: connection)
            }
            // Read once: checked here, and handed to the request when its body has arrived.
            exchange.headers = Headers(collect(connection, MHD_ValueKind.HEADER_KIND))
            if let refusal = RequestFraming.refusal(
                version: version, target: exchange.target, headers: Array(exchange.headers), maxBodyBytes: configuration.maxBodyBytes
            ) {
                exchange.stage = .answered
                return queue(closing(renderRejection(refusal, head(connection, url, method))), on: connection)
            }
            exchange.stage = .receivingBody([])
            return MHD_Result.YES

        case .receivingBody(var body):
            let count = uploadSize.pointee
            guard count == 0 else {
                uploadSize.pointee = 0
                guard body.count + count <= configuration.maxBodyBytes else {
                    // A chunked body gave no length up front, and libmicrohttpd cannot queue an
                    // answer while a body is arriving: the 413 is written to the socket at once,
                    // then the rest is read and dropped for a while so the client sees it.
                    exchange.stage = .discardingBody(count)
                    writeDirectly(closing(renderRejection(.bodyTooLarge(configuration.maxBodyBytes), head(connection, url, method))), on: connection)
                    return MHD_Result.YES
                }
                exchange.stage = .dispatched // no copy-on-write of the body while appending
                if let uploadData {
                    uploadData.withMemoryRebound(to: UInt8.self, capacity: count) { bytes in
                        body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
                    }
                }
                exchange.stage = .receivingBody(body)
                return MHD_Result.YES
            }
            exchange.stage = .dispatched
            deadlines.requestArrived(connection)
            let request = makeRequest(connection: connection, url: url, method: method, body: body, headers: exchange.headers)
            return dispatch(request, exchange, connection)

        case .discardingBody(let discarded):
            let count = uploadSize.pointee
            uploadSize.pointee = 0
            // The answer is already on the wire: close once the body ends, or once the client
            // has sent far more than it was told we take.
            guard count > 0, discarded + count <= 16 * configuration.maxBodyBytes else { return MHD_Result.NO }
            exchange.stage = .discardingBody(discarded + count)
            return MHD_Result.YES

        case .dispatched:
            // Called again after a resume: the work handed out has delivered its answer.
            guard let produce = exchange.takeDelivered() else { return MHD_Result.YES }
            exchange.stage = .answered
            return queue(produce(), on: connection)

        case .answered:
            uploadSize.pointee = 0
            return MHD_Result.YES
        }
    }

    private func dispatch(_ request: Request, _ exchange: Exchange, _ connection: OpaquePointer) -> MHD_Result {
        switch responder.reply(to: request) {
        case .now(let response):
            exchange.stage = .answered
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

    /// The request line has arrived: the target is kept as sent, before libmicrohttpd
    /// decodes it, for the checks that need the raw bytes.
    fileprivate func began(target: String) -> UnsafeMutableRawPointer {
        inFlight.add(1, ordering: .relaxed)
        return Unmanaged.passRetained(Exchange(target: target)).toOpaque()
    }

    fileprivate func completed(connection: OpaquePointer?, state: UnsafeMutablePointer<UnsafeMutableRawPointer?>?) {
        if let connection { deadlines.answered(connection) }
        guard let state, let existing = state.pointee else { return }
        Unmanaged<Exchange>.fromOpaque(existing).release()
        state.pointee = nil
        inFlight.subtract(1, ordering: .releasing)
    }

    fileprivate func connectionOpened(_ connection: OpaquePointer) {
        deadlines.opened(connection, socket: cmhd_connection_fd(connection))
    }

    fileprivate func connectionClosed(_ connection: OpaquePointer) {
        deadlines.closed(connection)
    }

    /// A request without its body, for the answers given before the body is read.
    private func head(_ connection: OpaquePointer, _ url: String, _ method: String) -> Request {
        makeRequest(connection: connection, url: url, method: method, body: [])
    }

    private func closing(_ response: Response) -> Response {
        var response = response
        response.headers.set("Connection", "close")
        return response
    }

    /// - Parameter headers: the header fields when already read; read from the connection otherwise.
    private func makeRequest(connection: OpaquePointer, url: String, method: String, body: [UInt8], headers: Headers? = nil) -> Request {
        var request = Request(method: method, path: url.isEmpty ? "/" : url, body: body)
        request.queryItems = collect(connection, MHD_ValueKind.GET_ARGUMENT_KIND).map { (name: $0.0, value: $0.1) }
        request.headers = headers ?? Headers(collect(connection, MHD_ValueKind.HEADER_KIND))
        var buffer = [CChar](repeating: 0, count: 64)
        if cmhd_client_address(connection, &buffer, buffer.count) == 0 {
            request.remoteAddress = String(cString: buffer)
        }
        return request
    }

    private func queue(_ response: Response, on connection: OpaquePointer) -> MHD_Result {
        let created = if let stream = response.stream {
            StreamCursor.makeResponse(stream, connection: connection)
        } else {
            response.body.withUnsafeBytes { bytes in
                MHD_create_response_from_buffer(
                    bytes.count, UnsafeMutableRawPointer(mutating: bytes.baseAddress), MHD_ResponseMemoryMode.RESPMEM_MUST_COPY
                )
            }
        }
        guard let created else { return MHD_Result.NO }
        defer { MHD_destroy_response(created) }
        for (name, value) in response.headers where MHD_add_response_header(created, name, value) != MHD_Result.YES {
            // libmicrohttpd refuses a header it considers malformed (a line break in a value,
            // say). Sending the answer without it could drop a security header: close instead.
            return MHD_Result.NO
        }
        return MHD_queue_response(connection, UInt32(response.status), created)
    }

    /// Writes a whole answer straight to the socket, for the one moment libmicrohttpd cannot
    /// queue one: in the middle of a request body. Runs on the connection's own thread
    /// while libmicrohttpd is only reading from it, so nothing else writes at the same time;
    /// the write side is then shut, and the connection is closed when the body ends.
    private func writeDirectly(_ response: Response, on connection: OpaquePointer) {
        let socket = cmhd_connection_fd(connection)
        guard socket >= 0 else { return }
        var head = "HTTP/1.1 \(response.status) \(reasonPhrase(for: response.status))\r\n"
        for (name, value) in response.headers where !name.caseInsensitiveEquals("Content-Length") {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + response.body
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written > 0 {
                sent += written
            } else if written < 0 && (errno == EAGAIN || errno == EINTR) {
                usleep(1_000)
            } else {
                break
            }
        }
        shutdown(socket, Int32(SHUT_WR))
    }
}

private let accessHandler: MHD_AccessHandlerCallback = {
    cls, connection, url, method, version, uploadData, uploadSize, state in
    guard let cls, let connection, let uploadSize, let state else { return MHD_Result.NO }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    return server.handle(
        connection: connection,
        url: url.map { String(cString: $0) } ?? "/",
        method: method.map { String(cString: $0) } ?? "GET",
        version: version.map { String(cString: $0) } ?? "",
        uploadData: uploadData,
        uploadSize: uploadSize,
        state: state
    )
}

private let completionHandler: MHD_RequestCompletedCallback = { cls, connection, state, _ in
    guard let cls else { return }
    Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().completed(connection: connection, state: state)
}

private let uriLogger: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, OpaquePointer?) -> UnsafeMutableRawPointer? = {
    cls, uri, _ in
    guard let cls else { return nil }
    return Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().began(target: uri.map { String(cString: $0) } ?? "")
}

private let connectionNotifier: MHD_NotifyConnectionCallback = { cls, connection, _, event in
    guard let cls, let connection else { return }
    let server = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue()
    if event == .CONNECTION_NOTIFY_STARTED {
        server.connectionOpened(connection)
    } else {
        server.connectionClosed(connection)
    }
}
