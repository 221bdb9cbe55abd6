import Foundation
import Logging
import PingjiaTesting
import SurveyApp
import SurveyCore
import SurveyStore

/// A real Pingjia on loopback over a fresh SQLite file, with a small center set up:
/// two departments, three windows (one inactive), service items and staff.
final class TestCenter: Sendable {
    let application: Application
    let client: HTTPTestClient
    let databasePath: String

    /// The zone the center is configured in unless a test says otherwise.
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func temporaryDatabasePath() -> String {
        NSTemporaryDirectory() + "pingjia-e2e-\(UUID().uuidString).sqlite"
    }

    /// Creates the center's directory in a database file.
    static func seed(_ path: String) throws {
        let store = try SurveyStore(path: path, timeZone: TestCenter.shanghai)
        let market = try store.addDepartment(code: "SCJG", name: "市场监管科")
        let estate = try store.addDepartment(code: "BDC", name: "不动产登记科")
        try store.addWindow(code: "W01", name: "1号窗口", departmentID: market.id)
        try store.addWindow(code: "W02", name: "2号窗口", departmentID: estate.id)
        try store.addWindow(code: "W09", name: "停用窗口", departmentID: estate.id, active: false)
        try store.addServiceItem(code: "SCJG-01", name: "营业执照设立登记", departmentID: market.id)
        try store.addStaff(code: "S0101", name: "王芳", departmentID: market.id)
        try store.close()
    }

    /// - Parameter logger: where the application logs; nowhere unless a test reads the lines.
    init(logger: Logger? = nil, configure: (inout PingjiaConfiguration) -> Void = { _ in }) throws {
        databasePath = Self.temporaryDatabasePath()
        try Self.seed(databasePath)
        var configuration = PingjiaConfiguration()
        configuration.databasePath = databasePath
        // A secret of its own: tests that rotate keys must not touch another center's.
        configuration.secretPath = databasePath + ".secret"
        configuration.server.port = 0
        configuration.server.threads = 2
        configuration.web.staticRoot = Self.repositoryRoot.appendingPathComponent("Public").path
        configure(&configuration)
        application = try buildApplication(configuration, logger: logger ?? Logger(label: "pingjia-test", factory: { _ in SwiftLogNoOpLogHandler() }))
        client = HTTPTestClient(port: application.port)
    }

    deinit {
        application.shutdown()
    }

    var store: SurveyStore { application.store }
}

/// The `pingjia` executable built next to the tests, run as a separate process.
final class PingjiaProcess: @unchecked Sendable {
    let process = Process()
    let port: UInt16
    private let output = Pipe()

    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["PINGJIA_BIN"] { return URL(fileURLWithPath: path) }
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("pingjia")
        if FileManager.default.isExecutableFile(atPath: besideTests.path) { return besideTests }
        return TestCenter.repositoryRoot.appendingPathComponent(".build/debug/pingjia")
    }

    /// Starts `pingjia serve` on a free port and waits for its "serving" line.
    init(database: String) throws {
        process.executableURL = Self.executable
        process.arguments = ["serve", "--db", database, "--port", "0"]
        process.currentDirectoryURL = TestCenter.repositoryRoot
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        let handle = output.fileHandleForReading
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let range = text.range(of: #"127\.0\.0\.1:(\d+)"#, options: .regularExpression),
              let port = UInt16(text[range].split(separator: ":")[1]) else {
            process.terminate()
            throw RawHTTPConnection.Failure(description: "pingjia did not start: \(text)")
        }
        self.port = port
    }

    func kill(_ signal: Int32) -> Int32 {
        Foundation.kill(process.processIdentifier, signal)
        process.waitUntilExit()
        return process.terminationStatus
    }
}

extension TestCenter {
    /// Stores `perDay` responses on every day of `year` (Shanghai time), spread over W01 and
    /// W02 with a mix of ratings: a database big enough that reading it raw takes a while.
    func importYear(_ year: Int, perDay: Int) throws {
        let directory = try store.directory()
        let windows = [directory.window(code: "W01")!, directory.window(code: "W02")!]
        let first = try Period(parsing: "\(year)").startMillis(in: store.timeZone)
        let levels: [Level] = [.verySatisfied, .satisfied, .neutral, .verySatisfied, .dissatisfied]
        var batch: [(submission: ValidatedSubmission, atMillis: Int64)] = []
        for day in 0..<365 {
            for index in 0..<perDay {
                let window = windows[index % 2]
                let ratings = Ratings(attitude: levels[index % 5], efficiency: levels[(index / 2) % 5], result: levels[(index / 3) % 5])
                let submission = ValidatedSubmission(
                    window: window, department: directory.department(id: window.departmentID)!, ratings: ratings, comment: nil,
                    reasons: ratings.isNegative ? ["等候时间长"] : [], channel: .kiosk, clientID: "year-\(day)-\(index)",
                    serviceItem: nil, staff: nil, provenance: .device
                )
                // Office hours: from 09:00 local time, one response every few seconds.
                batch.append((submission, first + Int64(day) * 86_400_000 + 9 * 3_600_000 + Int64(index) * 3_000))
            }
            if batch.count >= 20_000 {
                _ = try store.importResponses(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        _ = try store.importResponses(batch)
    }
}
