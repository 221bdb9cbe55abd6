import Foundation
import Hashing
import Logging
import MicroHTTP
import PingjiaTesting
@testable import SurveyApp
import SurveyCore
import SurveyStore
@testable import SurveyWeb
import Synchronization
import Testing

/// A page that cannot be rendered is a logged 500, never an empty 200.
@Suite struct TemplateFailureTests {
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    /// The web application over a fresh center, with `templates` instead of the real ones.
    static func withApplication(templates: [String: String], _ body: (any Responder, Lines) throws -> Void) throws {
        let path = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(path)
        let store = try SurveyStore(path: path, timeZone: TestCenter.shanghai)
        let writer = store.makeWriter()
        writer.start()
        defer {
            writer.stop()
            try? store.close()
        }
        var configuration = WebConfiguration()
        configuration.staticRoot = TestCenter.repositoryRoot.appendingPathComponent("Public").path
        let lines = Lines()
        let logger = Logger(label: "pingjia") { PingjiaLogHandler(label: $0, format: .text, level: .info, sink: { lines.append($0) }) }
        let web = try WebApplication(
            store: store, writer: writer, configuration: configuration, signingKeys: .fresh(),
            logger: logger, metrics: PingjiaMetrics(), templates: templates
        )
        try body(try web.makeResponder(), lines)
    }

    static func get(_ responder: any Responder, _ path: String) throws -> Response {
        guard case .now(let response) = responder.reply(to: Request(method: "GET", path: path)) else {
            throw TestFailure("\(path) was not answered at once")
        }
        return response
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    @Test(arguments: [("survey", "/kiosk/W01"), ("thanks", "/kiosk/W01/thanks"), ("index", "/")])
    func aTemplateThatCannotBeRenderedGives500AndALogLine(template: String, path: String) throws {
        var templates = Templates.all
        templates[template] = nil
        try Self.withApplication(templates: templates) { responder, lines in
            let response = try Self.get(responder, path)
            #expect(response.status == 500)
            #expect(!response.body.isEmpty)
            #expect(lines.all.contains { $0.contains(path) && $0.contains(template) })
        }
    }

    @Test func withoutTheErrorPageTemplateTheErrorIsStillSaidInPlainText() throws {
        var templates = Templates.all
        templates["survey"] = nil
        templates["message"] = nil
        try Self.withApplication(templates: templates) { responder, _ in
            let response = try Self.get(responder, "/kiosk/W01")
            #expect(response.status == 500)
            #expect(String(decoding: response.body, as: UTF8.self).contains("系统暂时出了问题"))
        }
    }

    @Test func theRealTemplatesRenderEveryPage() throws {
        try Self.withApplication(templates: Templates.all) { responder, lines in
            for path in ["/", "/kiosk/W01", "/r/W01", "/kiosk/W01/thanks", "/kiosk/NOPE"] {
                let response = try Self.get(responder, path)
                #expect(response.status == (path.hasSuffix("NOPE") ? 404 : 200), "\(path)")
                let html = String(decoding: response.body, as: UTF8.self)
                #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("</html>"), "\(path)")
                #expect(html.contains("<title>") && html.contains("区行政服务中心</title>"), "\(path)")
            }
            #expect(lines.all.isEmpty)
        }
    }
}
