import Synchronization

/// Per-request state kept in libmicrohttpd's `con_cls` slot.
///
/// `@unchecked Sendable`: `stage` is touched only by the connection's own pool thread; the
/// answer handed over from another thread goes through the mutex.
final class Exchange: @unchecked Sendable {
    /// Where the exchange is; each case can only follow the ones above it.
    enum Stage {
        /// The head is complete and not yet checked.
        case headersArrived
        /// The head was accepted; the body arrives in pieces.
        case receivingBody([UInt8])
        /// The body passed the limit and its 413 went out; the rest is read and dropped.
        case discardingBody(Int)
        /// The request went to the responder, which answers later.
        case dispatched
        /// An answer is queued; nothing more is read for this request.
        case answered
    }

    let target: String
    /// The header fields, read once when the head arrived.
    var headers = Headers()
    var stage: Stage = .headersArrived
    private let delivered = Mutex<ResponseProducer?>(nil)

    init(target: String) {
        self.target = target
    }

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
struct ConnectionHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
