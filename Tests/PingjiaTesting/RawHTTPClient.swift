import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A deliberately small HTTP/1.1 client over a raw TCP socket, for tests that must control
/// exactly what goes on the wire: bodies split into pieces with pauses between them,
/// chunked encoding, several requests on one kept-alive connection.
public final class RawHTTPConnection {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    private let socket: Int32
    private var buffered: [UInt8] = []

    /// - Parameters:
    ///   - source: the local address to connect from, such as `127.0.0.2`, so that a test
    ///     can be a second client beside one that misbehaves.
    ///   - receiveTimeoutSeconds: how long a read waits before it fails.
    public init(port: UInt16, host: String = "127.0.0.1", source: String? = nil, receiveTimeoutSeconds: Int = 15) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                close(socket)
                throw Failure(description: "cannot bind to \(source)")
            }
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            throw Failure(description: "cannot connect to \(host):\(port)")
        }
    }

    deinit {
        close(socket)
    }

    /// Writes bytes as they are, all of them.
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send failed") }
            offset += written
        }
    }

    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Reads one complete response (by Content-Length, chunked encoding, or until close).
    public func readResponse() throws -> TestResponse {
        let headerEnd = try readUntil([13, 10, 13, 10])
        let head = String(decoding: buffered[..<headerEnd], as: UTF8.self)
        buffered.removeFirst(headerEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line in \(head)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { "\($0), \(value)" } ?? value
        }
        var body: [UInt8] = []
        if let length = headers["content-length"].flatMap(Int.init) {
            try fill(length)
            body = Array(buffered.prefix(length))
            buffered.removeFirst(length)
        } else if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let lineEnd = try readUntil([13, 10])
                let size = Int(String(decoding: buffered[..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16) ?? 0
                buffered.removeFirst(lineEnd + 2)
                try fill(size + 2)
                body += buffered.prefix(size)
                buffered.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if status != 204 && status != 304 {
            while try receiveMore() {}
            body = buffered
            buffered = []
        }
        return TestResponse(status: status, headers: headers, body: body)
    }

    /// Reads raw bytes until at least `count` have arrived (head included), without
    /// parsing them: for tests that stop reading part-way through a response.
    public func receive(atLeast count: Int) throws {
        try fill(count)
    }

    /// Reads the response head, then raw body bytes until `marker` has arrived; returns the
    /// body text received up to and including it (chunk framing left in) and keeps the
    /// rest. For streams that never end on their own, such as server-sent events.
    public func readHead() throws -> (status: Int, headers: [String: String]) {
        let headerEnd = try readUntil([13, 10, 13, 10])
        let head = String(decoding: buffered[..<headerEnd], as: UTF8.self)
        buffered.removeFirst(headerEnd + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (statusLine.count >= 2 ? Int(statusLine[1]) ?? 0 : 0, headers)
    }

    /// Body bytes up to and including the first `marker`, as text (see `readHead`).
    public func readBody(through marker: String) throws -> String {
        let bytes = Array(marker.utf8)
        let index = try readUntil(bytes)
        let text = String(decoding: buffered[..<(index + bytes.count)], as: UTF8.self)
        buffered.removeFirst(index + bytes.count)
        return text
    }

    /// Whether the server closed the connection (reads end of stream within the timeout).
    public func isClosedByPeer() -> Bool {
        (try? receiveMore()) != true
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        while true {
            if let index = find(marker) { return index }
            guard try receiveMore() else { throw Failure(description: "connection closed before \(marker)") }
        }
    }

    private func fill(_ count: Int) throws {
        while buffered.count < count {
            guard try receiveMore() else { throw Failure(description: "connection closed mid-body") }
        }
    }

    private func find(_ marker: [UInt8]) -> Int? {
        guard buffered.count >= marker.count else { return nil }
        for start in 0...(buffered.count - marker.count) where buffered[start] == marker[0] {
            if Array(buffered[start..<start + marker.count]) == marker { return start }
        }
        return nil
    }

    private func receiveMore() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw Failure(description: "timed out waiting for the server") }
            return false
        }
        if count == 0 { return false }
        buffered += chunk.prefix(count)
        return true
    }
}

/// A response as the test client received it.
public struct TestResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as a JSON object, or an empty one.
    public var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
}

/// One-shot requests: a fresh connection per call.
public struct HTTPTestClient: Sendable {
    public let port: UInt16
    /// The local address requests come from; `nil` lets the system choose.
    public var source: String?
    public var receiveTimeoutSeconds = 15

    public init(port: UInt16, source: String? = nil) {
        self.port = port
        self.source = source
    }

    public func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) throws -> TestResponse {
        let connection = try RawHTTPConnection(port: port, source: source, receiveTimeoutSeconds: receiveTimeoutSeconds)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        try connection.write(Array(head.utf8) + body)
        return try connection.readResponse()
    }

    public func get(_ path: String, headers: [(String, String)] = []) throws -> TestResponse {
        try request("GET", path, headers: headers)
    }

    public func postJSON(_ path: String, _ json: String, headers: [(String, String)] = []) throws -> TestResponse {
        try request("POST", path, headers: [("Content-Type", "application/json")] + headers, body: Array(json.utf8))
    }

    public func postForm(_ path: String, _ fields: [(String, String)], headers: [(String, String)] = []) throws -> TestResponse {
        let body = fields.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        return try request(
            "POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers, body: Array(body.utf8)
        )
    }

    /// Sends a chunked body in the given pieces, pausing between them so the server sees
    /// them in separate reads.
    public func postChunked(_ path: String, contentType: String, pieces: [[UInt8]], pauseMicroseconds: UInt32 = 20_000) throws -> TestResponse {
        let connection = try RawHTTPConnection(port: port)
        try connection.write(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n\r\n"
        )
        for piece in pieces {
            usleep(pauseMicroseconds)
            try connection.write(Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10])
        }
        usleep(pauseMicroseconds)
        try connection.write("0\r\n\r\n")
        return try connection.readResponse()
    }

    private func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }
}
