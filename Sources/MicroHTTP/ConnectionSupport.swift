import CMicroHTTPD
#if canImport(Glibc)
import Glibc
#endif

// Helpers the server uses around libmicrohttpd and the socket API.

private final class PairCollector {
    var pairs: [(String, String)] = []
}

func collect(_ connection: OpaquePointer, _ kind: MHD_ValueKind) -> [(String, String)] {
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

func withSocketAddress<T>(
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

/// The connection limit the process can honour: each connection is a file descriptor, and
/// a limit above what the process may open would fail at accept time instead of refusing
/// cleanly. The soft file limit is raised towards the hard one first.
func connectionLimitWithinFileLimit(_ wanted: Int, threads: Int) -> Int {
    let reserve = 64 + 2 * threads
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return max(1, wanted) }
    let needed = rlim_t(wanted + reserve)
    if limit.rlim_cur < needed {
        limit.rlim_cur = min(needed, limit.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 {
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
    return max(1, min(wanted, Int(limit.rlim_cur) - reserve))
}

func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
