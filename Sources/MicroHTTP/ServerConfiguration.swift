/// How the HTTP server listens and what it tolerates from clients.
public struct ServerConfiguration: Sendable, Equatable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost`. Never every interface
    /// unless `0.0.0.0` or `::` is asked for by name.
    public var host: String = "127.0.0.1"
    /// The port to bind; `0` picks a free one, readable afterwards from `HTTPServer.port`.
    public var port: UInt16 = 8080
    /// Threads in libmicrohttpd's pool, each running its own epoll loop.
    public var threads: Int = ServerConfiguration.coreCount
    /// The largest request body accepted; larger ones get `413`.
    public var maxBodyBytes: Int = 64 * 1024
    /// Seconds a connection may stay silent before it is dropped. Every byte restarts this
    /// clock, so it does not stop a client that dribbles; `requestTimeoutSeconds` does.
    public var connectionTimeoutSeconds: Int = 30
    /// Seconds a whole request (head and body) may take to arrive, counted from the moment
    /// the connection was ready for it; `0` means no limit. Bounds slow and dribbling clients.
    public var requestTimeoutSeconds: Int = 20
    /// Connections open at once, across all clients. Lowered at start when the process may
    /// not open that many files.
    public var maxConnections: Int = 1024
    /// Connections open at once from one IP address; `0` means no per-address limit. Keeps
    /// one client from taking every connection; behind a proxy, set it to the proxy's share.
    public var maxConnectionsPerIP: Int = 128
    /// Memory for each connection's request head and buffers; a head larger than this gets
    /// `431`. Smaller means more connections fit in memory.
    public var connectionMemoryBytes: Int = 16 * 1024
    /// Seconds a graceful shutdown waits for requests already in flight.
    public var shutdownGraceSeconds: Int = 10

    public init() {}

    public static var coreCount: Int {
        max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
