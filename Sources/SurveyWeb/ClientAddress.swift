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

    /// The client's address. From a trusted proxy (`server.trusted_proxies`, the loopback
    /// unless configured), the last address in `X-Forwarded-For` that is not itself a
    /// trusted proxy: each proxy appends the address it saw, so entries to the left of the
    /// first untrusted one may be the client's invention and are never used. Without
    /// `X-Forwarded-For`, `X-Real-IP` (which the shipped nginx site also sets); from any
    /// other peer, the peer's own address: a client that reaches Pingjia directly cannot
    /// choose its address this way.
    public static func of(remoteAddress: String, headers: Headers, trusting proxies: TrustedProxies = .loopback) -> String {
        guard proxies.contains(remoteAddress) else { return remoteAddress }
        // The length test first spares a lower-cased copy of every other header name.
        let forwarded = headers.filter { $0.name.utf8.count == 15 && $0.name.lowercased() == "x-forwarded-for" }
            .flatMap { $0.value.split(separator: ",").map { String($0).trimmedSpaces } }
            .filter { !$0.isEmpty }
        if !forwarded.isEmpty {
            return forwarded.last { !proxies.contains($0) } ?? forwarded[0]
        }
        if let real = headers["X-Real-IP"]?.trimmedSpaces, !real.isEmpty {
            return real
        }
        return remoteAddress
    }

    /// Whether the request reached the nginx site over TLS: `X-Forwarded-Proto: https`,
    /// believed only from a trusted proxy, as `X-Forwarded-For` is.
    public static func arrivedOverTLS(remoteAddress: String, headers: Headers, trusting proxies: TrustedProxies = .loopback) -> Bool {
        proxies.contains(remoteAddress) && headers["X-Forwarded-Proto"]?.trimmedSpaces.lowercased() == "https"
    }

    /// The client's address of `request`; see `of(remoteAddress:headers:trusting:)`.
    public static func of(_ request: Request, trusting proxies: TrustedProxies = .loopback) -> String {
        of(remoteAddress: request.remoteAddress, headers: request.headers, trusting: proxies)
    }
}

/// The proxies whose forwarding headers are believed: addresses or CIDR blocks of IPv4 and
/// IPv6 (`127.0.0.1`, `10.0.0.0/8`, `::1`). An IPv4 address written as IPv6
/// (`::ffff:10.1.2.3`) is matched as IPv4.
public struct TrustedProxies: Sendable, Equatable {
    private struct Block: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int
    }

    private let blocks: [Block]
    /// The entries as configured.
    public let entries: [String]

    /// The loopback, where the shipped nginx site connects from.
    public static let loopback = try! TrustedProxies(["127.0.0.0/8", "::1"])

    /// Throws `TrustedProxies.Invalid` naming the first entry that is not an address or block.
    public init(_ entries: [String]) throws {
        self.entries = entries
        blocks = try entries.map { entry in
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = parts.first.flatMap(TrustedProxies.bytes) else { throw Invalid(entry: entry) }
            var prefix = bytes.count * 8
            if parts.count == 2 {
                guard let bits = Int(parts[1]), (0...bytes.count * 8).contains(bits) else { throw Invalid(entry: entry) }
                prefix = bits
            }
            return Block(bytes: bytes, prefix: prefix)
        }
    }

    /// Whether `address` is one of the proxies.
    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return blocks.contains { block in
            guard block.bytes.count == bytes.count else { return false }
            let whole = block.prefix / 8, rest = block.prefix % 8
            guard block.bytes[..<whole] == bytes[..<whole] else { return false }
            guard rest > 0 else { return true }
            let mask = UInt8(0xff) << (8 - rest)
            return block.bytes[whole] & mask == bytes[whole] & mask
        }
    }

    /// The address's bytes, 4 for IPv4 (also written as IPv4-mapped IPv6), 16 for IPv6.
    static func bytes(_ address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return Array(bytes[12...]) }
        return bytes
    }

    /// An entry that is neither an address nor a block.
    public struct Invalid: Error, CustomStringConvertible {
        public var entry: String
        public var description: String { "'\(entry)' is not an IP address or a block such as 10.0.0.0/8" }
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
