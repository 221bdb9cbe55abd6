import CZlib
import Foundation

/// Serves a folder of static assets, read into memory once when it is created.
///
/// Holding the files in a dictionary keyed by their relative path makes path traversal
/// impossible by construction: a request can only name a file that was found under the
/// root at start-up. Each file carries a strong ETag so browsers revalidate with
/// `If-None-Match` and get `304` when nothing changed.
///
/// Text files (CSS, JavaScript, SVG, JSON, HTML, plain text) are also gzip-compressed once,
/// at start, and sent compressed to clients whose `Accept-Encoding` allows gzip, with
/// `Vary: Accept-Encoding` on every answer of a compressible file so caches keep both.
/// The compressed form has an ETag of its own, as RFC 9110 asks of a different representation.
public struct StaticFiles: Responder {
    struct Asset: Sendable {
        var body: [UInt8]
        var contentType: String
        var etag: String
        /// The body gzip-compressed, when that makes it smaller.
        var gzipped: [UInt8]?
        var gzipETag: String?
    }

    private let assets: [String: Asset]
    private let prefix: String
    private let cacheControl: String

    /// - Parameters:
    ///   - root: the folder to serve, read recursively; hidden files are left out.
    ///   - prefix: the URL path the folder appears under, such as `/static`.
    ///   - cacheControl: sent with every file.
    public init(root: String, prefix: String, cacheControl: String = "public, max-age=3600") throws {
        self.prefix = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        self.cacheControl = cacheControl
        var assets: [String: Asset] = [:]
        let rootURL = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL
        let enumerator = FileManager.default.enumerator(
            at: rootURL, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        )
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(rootURL.path.count))
            let body = [UInt8](try Data(contentsOf: url))
            let contentType = StaticFiles.contentType(forPath: relative)
            let hash = fnv1a64(body).hexString
            let gzipped = StaticFiles.isCompressible(contentType) ? gzip(body).flatMap { $0.count < body.count ? $0 : nil } : nil
            assets[relative.hasPrefix("/") ? relative : "/" + relative] = Asset(
                body: body,
                contentType: contentType,
                etag: "\"\(hash)\"",
                gzipped: gzipped,
                gzipETag: gzipped == nil ? nil : "\"\(hash)-gz\""
            )
        }
        self.assets = assets
    }

    /// The paths served, relative to the prefix, for diagnostics and tests.
    public var paths: [String] { assets.keys.sorted() }

    public func reply(to request: Request) -> Reply {
        replyIfServed(request) ?? .now(.text("Not found.\n", status: 404))
    }

    /// The file's answer, or `nil` when no file has that path, so that a router can answer
    /// the miss in its own error shape.
    public func replyIfServed(_ request: Request) -> Reply? {
        guard request.method == "GET" || request.method == "HEAD" else { return nil }
        guard request.path.hasPrefix(prefix + "/"),
              let asset = assets[String(request.path.dropFirst(prefix.count))] else {
            return nil
        }
        let compressed = asset.gzipped.flatMap { Self.acceptsGzip(request.headers["Accept-Encoding"]) ? $0 : nil }
        let etag = compressed == nil ? asset.etag : asset.gzipETag ?? asset.etag
        var headers = Headers()
        headers.add("ETag", etag)
        headers.add("Cache-Control", cacheControl)
        if asset.gzipped != nil { headers.add("Vary", "Accept-Encoding") }
        if let candidates = request.headers["If-None-Match"],
           candidates.split(separator: ",").contains(where: { $0.trimmedOfSpaces() == etag || $0.trimmedOfSpaces() == "*" }) {
            return .now(Response(status: 304, headers: headers))
        }
        headers.add("Content-Type", asset.contentType)
        if let compressed {
            headers.add("Content-Encoding", "gzip")
            return .now(Response(status: 200, headers: headers, body: compressed))
        }
        return .now(Response(status: 200, headers: headers, body: asset.body))
    }

    /// Whether an `Accept-Encoding` value allows gzip: listed (or `*`) without `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Bool?
        var star: Bool?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmedOfSpaces().lowercased() }
            guard let name = parts.first else { continue }
            let refused = parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "").range(of: #"^q=0(\.0*)?$"#, options: .regularExpression) != nil }
            if name == "gzip" || name == "x-gzip" { gzip = !refused } else if name == "*" { star = !refused }
        }
        return gzip ?? star ?? false
    }

    static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.hasPrefix("application/json")
            || contentType.hasPrefix("image/svg") || contentType.hasPrefix("application/manifest")
    }

    static func contentType(forPath path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch ext {
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "html", "htm": return "text/html; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "txt": return "text/plain; charset=utf-8"
        case "webmanifest": return "application/manifest+json"
        default: return "application/octet-stream"
        }
    }
}

/// FNV-1a: a fast, stable 64-bit hash, ample for telling file versions apart in an ETag.
func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}

extension UInt64 {
    var hexString: String {
        let digits = String(self, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// `bytes` as one gzip member, or nil if zlib failed.
func gzip(_ bytes: [UInt8]) -> [UInt8]? {
    var size = czlib_gzip_bound(bytes.count)
    var out = [UInt8](repeating: 0, count: size)
    let ok = bytes.withUnsafeBufferPointer { input in
        out.withUnsafeMutableBufferPointer { output in
            czlib_gzip(input.baseAddress, input.count, output.baseAddress, &size)
        }
    }
    guard ok == 1 else { return nil }
    return Array(out.prefix(size))
}
