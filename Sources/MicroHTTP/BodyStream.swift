import CMicroHTTPD

/// A response body made piece by piece while it is sent, for answers too large to hold in
/// memory (an export of a year of rows). Sent with chunked transfer coding under HTTP/1.1.
///
/// `next` is called on the connection's own pool thread each time the previous piece has
/// been sent, so each call should be short (one batch of rows, not the whole export); it
/// returns the next bytes, an empty array to be asked again at once (or, for a stream with
/// a `waker`, to wait until it is woken), or nil at the end.
/// If it throws, the connection is closed without the final chunk, so the client can tell
/// the body is incomplete. `finished` is called exactly once, when libmicrohttpd lets go of
/// the body: with `true` after the last piece was handed over, with `false` when the
/// client went away, the stream failed or the server stopped first. It is where whatever
/// `next` holds is released.
public struct BodyStream: Sendable {
    public let next: @Sendable () throws -> [UInt8]?
    public let finished: @Sendable (_ completed: Bool) -> Void
    /// When set, an empty piece suspends the connection until `waker.wake()`.
    public let waker: StreamWaker?

    public init(
        next: @escaping @Sendable () throws -> [UInt8]?,
        finished: @escaping @Sendable (_ completed: Bool) -> Void = { _ in },
        waker: StreamWaker? = nil
    ) {
        self.next = next
        self.finished = finished
        self.waker = waker
    }
}

extension Response {
    /// A streamed response: `body` is ignored, the bytes come from `stream`.
    public static func streamed(_ stream: BodyStream, status: Int = 200, headers: Headers = Headers()) -> Response {
        var response = Response(status: status, headers: headers)
        response.stream = stream
        return response
    }
}

/// A stream being sent: the piece not yet copied out, and whether the end was reached.
///
/// `@unchecked Sendable`: libmicrohttpd calls the reader and then the free callback of one
/// response on the connection's thread, one call at a time, so the fields are never
/// touched concurrently.
final class StreamCursor: @unchecked Sendable {
    let stream: BodyStream
    private var pending: [UInt8] = []
    private var offset = 0
    private(set) var reachedEnd = false

    init(_ stream: BodyStream) {
        self.stream = stream
    }

    /// Copies up to `capacity` bytes into `buffer`; returns how many, or the end-of-stream
    /// or error marker libmicrohttpd expects.
    func fill(_ buffer: UnsafeMutableRawPointer, capacity: Int) -> Int {
        while offset == pending.count {
            let piece: [UInt8]?
            do {
                piece = try stream.next()
            } catch {
                return Self.endWithError
            }
            guard let piece else {
                reachedEnd = true
                return Self.endOfStream
            }
            // Nothing yet: a stream that can be woken waits without holding the thread.
            // libmicrohttpd asks again once resumed (a zero-byte answer is "try later").
            if piece.isEmpty, let waker = stream.waker, waker.suspendUnlessWoken() {
                return 0
            }
            pending = piece
            offset = 0
        }
        let count = min(capacity, pending.count - offset)
        pending.withUnsafeBytes { bytes in
            buffer.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        offset += count
        return count
    }

    /// libmicrohttpd's `MHD_CONTENT_READER_END_OF_STREAM` and `..._END_WITH_ERROR`, macros
    /// with casts that Swift does not import.
    static let endOfStream = -1
    static let endWithError = -2

    /// Makes libmicrohttpd's response over `stream`; it owns a retained cursor, released by
    /// the free callback, which also tells the stream it is finished.
    static func makeResponse(_ stream: BodyStream, connection: OpaquePointer, blockSize: Int = 32 * 1024) -> OpaquePointer? {
        stream.waker?.attach(connection)
        let cursor = Unmanaged.passRetained(StreamCursor(stream)).toOpaque()
        guard let response = MHD_create_response_from_callback(UInt64.max, blockSize, streamReader, cursor, streamFreed) else {
            let cursor = Unmanaged<StreamCursor>.fromOpaque(cursor).takeRetainedValue()
            cursor.stream.waker?.detach()
            cursor.stream.finished(false)
            return nil
        }
        return response
    }
}

private let streamReader: MHD_ContentReaderCallback = { cls, _, buffer, capacity in
    guard let cls, let buffer else { return StreamCursor.endWithError }
    return Unmanaged<StreamCursor>.fromOpaque(cls).takeUnretainedValue().fill(UnsafeMutableRawPointer(buffer), capacity: capacity)
}

private let streamFreed: MHD_ContentReaderFreeCallback = { cls in
    guard let cls else { return }
    let cursor = Unmanaged<StreamCursor>.fromOpaque(cls).takeRetainedValue()
    cursor.stream.waker?.detach()
    cursor.stream.finished(cursor.reachedEnd)
}
