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
    /// Seconds a connection may stay idle, or dribble, before it is dropped.
    public var connectionTimeoutSeconds: Int = 30
    /// Connections open at once, across all clients.
    public var maxConnections: Int = 1024
    /// Connections open at once from one IP address; `0` means no per-address limit.
    public var maxConnectionsPerIP: Int = 0
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
