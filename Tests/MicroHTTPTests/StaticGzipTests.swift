import Foundation
import MicroHTTP
import Testing

/// Static text files go out gzip-compressed to clients that accept it, and as they are to
/// the others; caches are told the answer varies with `Accept-Encoding`.
@Suite struct StaticGzipTests {
    static let script = String(repeating: "function hello() { return 'pingjia'; }\n", count: 200)

    static func files() throws -> StaticFiles {
        let root = NSTemporaryDirectory() + "pingjia-gzip-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try Data(script.utf8).write(to: URL(fileURLWithPath: root + "/app.js"))
        try Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]).write(to: URL(fileURLWithPath: root + "/dot.png"))
        return try StaticFiles(root: root, prefix: "/static")
    }

    /// The body gunzipped by the system's gzip, the reference decoder.
    static func gunzip(_ bytes: [UInt8]) throws -> String {
        let path = NSTemporaryDirectory() + "pingjia-gzip-\(UUID().uuidString).gz"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: path)
        return String(decoding: data, as: UTF8.self)
    }

    @Test(arguments: ["gzip", "gzip, deflate, br", "br;q=1, gzip;q=0.5", "*"])
    func aClientThatAcceptsGzipGetsItCompressed(acceptEncoding: String) throws {
        let response = StaticFilesTests.get(try Self.files(), "/static/app.js", headers: [("Accept-Encoding", acceptEncoding)])
        #expect(response.status == 200)
        #expect(response.headers["Content-Encoding"] == "gzip")
        #expect(response.headers["Vary"] == "Accept-Encoding")
        #expect(response.body.count < Self.script.utf8.count / 4)
        #expect(try Self.gunzip(response.body) == Self.script)
    }

    @Test(arguments: [nil, "identity", "gzip;q=0", "br", "*;q=0"])
    func otherClientsGetThePlainFile(acceptEncoding: String?) throws {
        let headers = acceptEncoding.map { [("Accept-Encoding", $0)] } ?? []
        let response = StaticFilesTests.get(try Self.files(), "/static/app.js", headers: headers)
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.headers["Vary"] == "Accept-Encoding")
        #expect(response.body == Array(Self.script.utf8))
    }

    @Test func eachFormHasItsOwnETagAndRevalidates() throws {
        let files = try Self.files()
        let plain = try #require(StaticFilesTests.get(files, "/static/app.js").headers["ETag"])
        let compressed = try #require(StaticFilesTests.get(files, "/static/app.js", headers: [("Accept-Encoding", "gzip")]).headers["ETag"])
        #expect(plain != compressed)
        let again = StaticFilesTests.get(files, "/static/app.js", headers: [("Accept-Encoding", "gzip"), ("If-None-Match", compressed)])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
    }

    @Test func imagesAreNotCompressedAgain() throws {
        let response = StaticFilesTests.get(try Self.files(), "/static/dot.png", headers: [("Accept-Encoding", "gzip")])
        #expect(response.headers["Content-Encoding"] == nil)
        #expect(response.headers["Vary"] == nil)
    }
}
