/// An HTTP response: status, header fields and a body held in memory, or streamed.
public struct Response: Sendable {
    public var status: Int
    public var headers: Headers
    public var body: [UInt8]
    /// When set, the body is made while it is sent and `body` is ignored.
    public var stream: BodyStream?
    /// Why a failure response was made, for the operator's log; never sent to the client.
    public var cause: String?

    public init(status: Int = 200, headers: Headers = Headers(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A text response with the given media type; the charset is always UTF-8.
    public static func text(_ text: String, status: Int = 200, type: String = "text/plain") -> Response {
        var headers = Headers()
        headers.add("Content-Type", "\(type); charset=utf-8")
        return Response(status: status, headers: headers, body: Array(text.utf8))
    }

    public static func html(_ html: String, status: Int = 200) -> Response {
        text(html, status: status, type: "text/html")
    }

    public static func json(_ bytes: [UInt8], status: Int = 200) -> Response {
        var headers = Headers()
        headers.add("Content-Type", "application/json; charset=utf-8")
        return Response(status: status, headers: headers, body: bytes)
    }

    /// A `303 See Other`, the redirect a browser follows with GET after a form post.
    public static func seeOther(_ location: String) -> Response {
        var headers = Headers()
        headers.add("Location", location)
        return Response(status: 303, headers: headers)
    }
}

/// Makes a response when the server is ready to send it.
public typealias ResponseProducer = @Sendable () -> Response

/// What a responder gives back: a response now, or a promise to deliver one later.
///
/// `.later` lets slow work (such as waiting for a durable commit) run elsewhere while the
/// server suspends the connection instead of blocking one of its few threads. What is
/// delivered is a producer, called back on the connection's own thread: the thread that
/// finished the work (a single database writer, say) only hands over the result and does
/// not spend its time writing the response.
public enum Reply: Sendable {
    case now(Response)
    /// The closure starts the work and must call its argument exactly once.
    case later(@Sendable (_ deliver: @escaping @Sendable (@escaping ResponseProducer) -> Void) -> Void)
}

/// Anything that can answer a request: a router, a static file tree, a whole application.
public protocol Responder: Sendable {
    func reply(to request: Request) -> Reply
}
