import MicroHTTP
#if canImport(Glibc)
import Glibc
#endif

/// Where a request comes from, decided from the connection's peer address and the headers
/// the nginx site sets. Pure functions, so the decisions are tested without a network.
public enum ClientAddress {
    /// The headers a reverse proxy adds; the shipped nginx site sets the first two to the
    /// client's address, replacing whatever the client sent.
    static let forwardingHeaders = ["X-Real-IP", "X-Forwarded-For", "Forwarded"]

    /// Whether `address` (IPv4 or IPv6 text) is on the loopback: 127.0.0.0/8, `::1`, or
    /// an IPv4-mapped `::ffff:127.x.x.x`. Anything unparsable is not.
    public static func isLoopback(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }
        let mapped = bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff
        return mapped && bytes[12] == 127
    }

    /// Whether the request was made on this machine directly: from a loopback address and
    /// not relayed by a proxy. nginx also connects from 127.0.0.1, but it always adds its
    /// forwarding headers, which a client cannot remove.
    public static func isDirectLocal(remoteAddress: String, headers: Headers) -> Bool {
        isLoopback(remoteAddress) && !forwardingHeaders.contains { headers.contains($0) }
    }

    /// The client's address: `X-Real-IP` when the connection comes from the loopback (the
    /// nginx site in front sets it to the address it saw), the peer's address otherwise.
    /// A client that reaches Pingjia directly cannot choose its address this way.
    public static func of(remoteAddress: String, headers: Headers) -> String {
        if isLoopback(remoteAddress), let real = headers["X-Real-IP"]?.trimmedSpaces, !real.isEmpty {
            return real
        }
        return remoteAddress
    }

    /// Whether the request reached the nginx site over TLS: `X-Forwarded-Proto: https`,
    /// believed only from a proxy on the loopback, as `X-Real-IP` is.
    public static func arrivedOverTLS(remoteAddress: String, headers: Headers) -> Bool {
        isLoopback(remoteAddress) && headers["X-Forwarded-Proto"]?.trimmedSpaces.lowercased() == "https"
    }

    /// The client's address of `request`; see `of(remoteAddress:headers:)`.
    public static func of(_ request: Request) -> String {
        of(remoteAddress: request.remoteAddress, headers: request.headers)
    }
}

extension String {
    fileprivate var trimmedSpaces: String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
