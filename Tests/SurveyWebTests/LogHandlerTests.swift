import Foundation
import Logging
import PingjiaTesting
import SurveyApp
import Testing

/// One event is one line, as text or as JSON, whatever the message holds.
@Suite struct LogHandlerTests {
    static let tricky = "first line\nsecond \"quoted\" line\twith a tab and 中文 \u{1}"

    @Test func aJSONLineParsesWithItsFields() throws {
        let line = PingjiaLogHandler.line(
            time: "2026-11-27T08:00:00.000Z", level: .error, label: "pingjia", message: Self.tricky,
            metadata: [
                "cause": "disk I/O error\nat commit", "refused": "12", "message": "not a second message",
                "migrations": ["v1", "v2"],
            ], format: .json
        )
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["time"] as? String == "2026-11-27T08:00:00.000Z")
        #expect(object["level"] as? String == "error")
        #expect(object["logger"] as? String == "pingjia")
        #expect(object["message"] as? String == Self.tricky)
        #expect(object["cause"] as? String == "disk I/O error\nat commit")
        #expect(object["refused"] as? String == "12")
        #expect(object["migrations"] as? [String] == ["v1", "v2"])
    }

    @Test func aTextLineIsOneLineWithQuotedValues() {
        let line = PingjiaLogHandler.line(
            time: "2026-11-27T08:00:00.000Z", level: .warning, label: "pingjia", message: Self.tricky,
            metadata: ["client": "0a1b2c3d4e5f6071", "cause": "no such table: x"], format: .text
        )
        #expect(line.hasSuffix("\n"))
        #expect(line.dropLast().contains("\n") == false)
        #expect(line.hasPrefix("2026-11-27T08:00:00.000Z WARNING pingjia: first line\\nsecond"))
        #expect(line.hasSuffix(#" cause="no such table: x" client=0a1b2c3d4e5f6071"# + "\n"))
    }

    @Test func eventsBelowTheLevelAreNotWritten() {
        let lines = LinesBox()
        let logger = Logger(label: "pingjia") { label in
            PingjiaLogHandler(label: label, format: .json, level: .warning, sink: { lines.append($0) })
        }
        logger.info("not written")
        logger.warning("written", metadata: ["key": "value"])
        #expect(lines.all.count == 1)
        #expect(lines.all.first?.contains("\"key\":\"value\"") == true)
    }
}
