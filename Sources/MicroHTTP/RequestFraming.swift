/// The checks RFC 9112 asks of a server on a request's head, made before any body is read.
///
/// A request whose length can be read two ways (`Content-Length` beside
/// `Transfer-Encoding`, two different lengths, a header name with a space before its colon)
/// is how requests are smuggled past a proxy: the proxy and the server disagree on where
/// the next request starts. Such a request is refused and its connection closed, so no
/// byte after it is ever read as a request.
public enum RequestFraming {
    /// Why a request head is refused, or `nil` when it may be served.
    ///
    /// - Parameters:
    ///   - version: the protocol version from the request line, such as `HTTP/1.1`.
    ///   - target: the request target exactly as received, before percent-decoding.
    ///   - headers: every header field in the order received, names as sent.
    ///   - maxBodyBytes: the largest body the server takes; a larger declared length is 413.
    public static func refusal(
        version: String, target: String, headers: [(name: String, value: String)], maxBodyBytes: Int
    ) -> HTTPError? {
        if containsNUL(target) {
            return badRequest("nul_in_target", "The address contains a NUL character.")
        }
        if target.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) {
            return badRequest("malformed_target", "The address contains a space or a control character.")
        }
        var hosts = 0
        var lengths: [String] = []
        var codings: [String] = []
        for (name, value) in headers {
            guard isToken(name) else {
                return badRequest("malformed_header", "A header name is not valid; nothing may stand between a name and its colon.")
            }
            if name.caseInsensitiveEquals("Host") {
                hosts += 1
            } else if name.caseInsensitiveEquals("Content-Length") {
                lengths += value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmedOfSpaces() }
            } else if name.caseInsensitiveEquals("Transfer-Encoding") {
                codings += value.split(separator: ",").map { $0.trimmedOfSpaces().lowercased() }
            }
        }
        if hosts > 1 || (hosts == 0 && version == "HTTP/1.1") {
            return badRequest("bad_host", "An HTTP/1.1 request must carry exactly one Host header.")
        }
        if !codings.isEmpty {
            if !lengths.isEmpty {
                return badRequest("ambiguous_length", "A request may not carry both Content-Length and Transfer-Encoding.")
            }
            guard codings == ["chunked"] else {
                return HTTPError(
                    status: 501, code: "not_implemented",
                    message: "Only the chunked transfer coding is supported."
                )
            }
            return nil
        }
        guard let first = lengths.first else { return nil }
        guard lengths.allSatisfy({ $0 == first }), let declared = UInt64(first),
              first.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return badRequest("ambiguous_length", "The Content-Length header is not one whole number.")
        }
        if declared > UInt64(maxBodyBytes) {
            return .bodyTooLarge(maxBodyBytes)
        }
        return nil
    }

    private static func badRequest(_ code: String, _ message: String) -> HTTPError {
        HTTPError(status: 400, code: code, message: message)
    }

    /// A NUL in the target, raw or percent-encoded: libmicrohttpd decodes the path into a C
    /// string, so everything after it would silently vanish (`/healthz%00anything`).
    static func containsNUL(_ target: String) -> Bool {
        let bytes = Array(target.utf8)
        if bytes.contains(0) { return true }
        var index = 0
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "%") && bytes[index + 1] == UInt8(ascii: "0") && bytes[index + 2] == UInt8(ascii: "0") {
                return true
            }
            index += 1
        }
        return false
    }

    /// RFC 9110 §5.6.2: a field name is a non-empty run of `tchar`.
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            default:
                "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }
}
