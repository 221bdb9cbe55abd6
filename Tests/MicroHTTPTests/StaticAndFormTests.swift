import Foundation
import MicroHTTP
import Testing

@Suite struct StaticFilesTests {
    static func makeRoot() throws -> String {
        let root = NSTemporaryDirectory() + "pingjia-static-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/css", withIntermediateDirectories: true)
        try Data("body{}".utf8).write(to: URL(fileURLWithPath: root + "/css/site.css"))
        try Data("console.log(1)".utf8).write(to: URL(fileURLWithPath: root + "/app.js"))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: root + "/.hidden"))
        return root
    }

    static func get(_ files: StaticFiles, _ path: String, headers: [(String, String)] = []) -> Response {
        guard case .now(let response) = files.reply(to: Request(method: "GET", path: path, headers: Headers(headers))) else {
            Issue.record("static files answered later")
            return Response(status: 0)
        }
        return response
    }

    @Test(arguments: [("/static/css/site.css", "text/css; charset=utf-8"), ("/static/app.js", "text/javascript; charset=utf-8")])
    func servesWithContentTypeETagAndCaching(path: String, type: String) throws {
        let files = try StaticFiles(root: Self.makeRoot(), prefix: "/static")
        let response = Self.get(files, path)
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == type)
        #expect(response.headers["ETag"]?.hasPrefix("\"") == true)
        #expect(response.headers["Cache-Control"]?.contains("max-age") == true)
    }

    @Test func matchingETagGives304WithoutBody() throws {
        let files = try StaticFiles(root: Self.makeRoot(), prefix: "/static")
        let etag = try #require(Self.get(files, "/static/app.js").headers["ETag"])
        let response = Self.get(files, "/static/app.js", headers: [("If-None-Match", etag)])
        #expect(response.status == 304)
        #expect(response.body.isEmpty)
        #expect(Self.get(files, "/static/app.js", headers: [("If-None-Match", "\"other\"")]).status == 200)
    }

    @Test(arguments: ["/static/../Package.swift", "/static/css/../../etc/passwd", "/static//etc/passwd", "/static/.hidden", "/static/", "/static"])
    func traversalAndHiddenFilesAreNotFound(path: String) throws {
        let files = try StaticFiles(root: Self.makeRoot(), prefix: "/static")
        #expect(Self.get(files, path).status == 404)
    }
}

@Suite struct FormDecodingTests {
    @Test func decodesPlusPercentAndRepeatedNames() throws {
        let fields = try #require(FormDecoding.fields(Array("a=1&reasons=%E6%80%81%E5%BA%A6&reasons=x+y&empty=&flag".utf8)))
        #expect(fields.map(\.name) == ["a", "reasons", "reasons", "empty", "flag"])
        #expect(fields.map(\.value) == ["1", "态度", "x y", "", ""])
    }

    @Test(arguments: ["a=%E6%80", "a=%zz", "a=%4", "%ff=1"])
    func rejectsBrokenEscapesAndInvalidUTF8(body: String) {
        #expect(FormDecoding.fields(Array(body.utf8)) == nil)
    }
}
