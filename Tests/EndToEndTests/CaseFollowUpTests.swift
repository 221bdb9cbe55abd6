import Foundation
import PingjiaTesting
import SurveyCore
import SurveyStore
import Testing

/// 差评 cases end to end: their figures in the assessment API (JSON and CSV) on a
/// hand-built October, and `pingjia case` driving a case from the command line.
@Suite struct CaseFollowUpTests {
    static let admin = Principal(kind: .staff(username: "admin1", role: .admin), departments: .all)

    /// Beijing wall clocks as UTC milliseconds.
    static let mondayOctober12 = Int64(1_791_770_400_000)   // 2026-10-12 10:00
    static let tuesdayOctober13 = Int64(1_791_853_200_000)  // 2026-10-13 09:00
    static let wednesdayOctober14 = Int64(1_791_961_200_000) // 2026-10-14 15:00
    static let tuesdayOctober20 = Int64(1_792_465_200_000)  // 2026-10-20 11:00
    static let mondaySeptember14 = Int64(1_789_351_200_000) // 2026-09-14 10:00
    static let wednesdaySeptember30 = Int64(1_790_755_200_000) // 2026-09-30 16:00

    /// SCJG: a (10-12, rectified 10-14 and closed), b (10-12, appeal upheld), c (10-13, new),
    /// d (09-14, due 10-05 on weekends only, rectified 09-30); BDC: e (10-20, started).
    static func center() throws -> (TestCenter, key: String) {
        let center = try TestCenter()
        let store = center.store
        let directory = try store.directory()
        let w01 = directory.window(code: "W01")!, w02 = directory.window(code: "W02")!
        func negative(_ id: String, _ window: ServiceWindow) -> ValidatedSubmission {
            ValidatedSubmission(
                window: window, department: directory.department(id: window.departmentID)!,
                ratings: Ratings(attitude: .dissatisfied, efficiency: .neutral, result: .satisfied), comment: nil,
                reasons: ["等候时间长"], channel: .kiosk, clientID: id, serviceItem: nil, staff: nil
            )
        }
        try store.importResponses([
            (negative("a", w01), mondayOctober12), (negative("b", w01), mondayOctober12 + 300_000),
            (negative("c", w01), tuesdayOctober13), (negative("d", w01), mondaySeptember14), (negative("e", w02), tuesdayOctober20),
        ])
        func caseID(_ client: String) throws -> Int64 {
            let response = try #require(try store.response(clientID: client))
            return try #require(try store.case(responseID: response.id, scope: .all)).file.id
        }
        let a = try caseID("a"), b = try caseID("b"), d = try caseID("d"), e = try caseID("e")
        try store.perform(.start(note: nil), on: a, by: admin, atMillis: mondayOctober12 + 1000)
        try store.perform(.rectify(callback: .satisfied, note: "已回访"), on: a, by: admin, atMillis: wednesdayOctober14)
        try store.perform(.close(note: nil), on: a, by: admin, atMillis: wednesdayOctober14 + 1000)
        try store.perform(.appeal(ruling: .malicious, reason: "恶意差评"), on: b, by: admin, atMillis: tuesdayOctober13)
        try store.perform(.approveAppeal(note: nil), on: b, by: admin, atMillis: tuesdayOctober13 + 1000)
        try store.perform(.start(note: nil), on: d, by: admin, atMillis: mondaySeptember14 + 1000)
        try store.perform(.rectify(callback: .basicallySatisfied, note: "已回访"), on: d, by: admin, atMillis: wednesdaySeptember30)
        try store.perform(.start(note: nil), on: e, by: admin, atMillis: tuesdayOctober20 + 1000)
        let key = try store.createAPIKey(name: "assessment", scopes: ["indicators:read"]).plaintextKey
        return (center, key)
    }

    static func cases(_ entry: Any?) -> [String: Any] { (entry as? [String: Any])?["cases"] as? [String: Any] ?? [:] }

    @Test func theIndicatorsCarryTheHandComputedCaseFigures() throws {
        let (center, key) = try Self.center()
        let auth = [("Authorization", "Bearer \(key)")]
        let json = try center.client.get("/api/v1/indicators?period=2026-10", headers: auth).json
        let departments = try #require(json["departments"] as? [[String: Any]])
        let scjg = Self.cases(departments.first { $0["code"] as? String == "SCJG" })
        #expect(scjg["opened"] as? Int == 3 && scjg["rectified_or_closed"] as? Int == 2)
        #expect(abs((scjg["rectification_rate"] as? Double ?? 0) - 2.0 / 3.0) < 1e-12)
        #expect(scjg["due"] as? Int == 1 && scjg["rectified_on_time"] as? Int == 1 && scjg["on_time_rate"] as? Double == 1)
        #expect(scjg["needing_callback"] as? Int == 2 && scjg["callbacks_made"] as? Int == 1 && scjg["callback_rate"] as? Double == 0.5)
        #expect(scjg["rectified"] as? Int == 1 && scjg["mean_working_days_to_rectify"] as? Double == 2)
        let bdc = Self.cases(departments.first { $0["code"] as? String == "BDC" })
        #expect(bdc["opened"] as? Int == 1 && bdc["rectification_rate"] as? Double == 0)
        #expect(bdc["on_time_rate"] is NSNull && bdc["mean_working_days_to_rectify"] is NSNull)
        let whole = Self.cases(json["center"])
        #expect(whole["opened"] as? Int == 4 && whole["rectification_rate"] as? Double == 0.5)
        #expect(whole["callbacks_made"] as? Int == 1 && whole["needing_callback"] as? Int == 3)

        // The CSV says the same in its last columns, for the center and department rows.
        let csv = try center.client.get("/api/v1/indicators?period=2026-10&format=csv", headers: auth)
        let lines = String(decoding: csv.body.dropFirst(3), as: UTF8.self).split(separator: "\r\n")
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0]
        let column = { (name: String) in header.firstIndex(of: name)! }
        let rows = Dictionary(uniqueKeysWithValues: lines.dropFirst().map { ($0[column("code")], $0) })
        #expect(rows["SCJG"]?[column("case_opened")] == "3")
        #expect(rows["SCJG"]?[column("case_callback_rate")] == "0.5")
        #expect(rows["SCJG"]?[column("case_mean_working_days_to_rectify")] == "2.0")
        #expect(rows["BDC"]?[column("case_on_time_rate")] == "")
        #expect(rows["center"]?[column("case_rectification_rate")] == "0.5")
    }

    @Test func anOperatorTakesACaseThroughFromTheCommandLine() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let store = try SurveyStore(path: database, timeZone: TestCenter.shanghai)
        let directory = try store.directory()
        let window = directory.window(code: "W01")!
        let response = try store.record(ValidatedSubmission(
            window: window, department: directory.department(id: window.departmentID)!,
            ratings: Ratings(attitude: .veryDissatisfied, efficiency: .neutral, result: .neutral), comment: "态度差",
            reasons: ["态度不好"], channel: .qr, clientID: "cli-case", serviceItem: nil, staff: nil
        )).response
        let id = try #require(try store.case(responseID: response.id, scope: .all)).file.id
        try store.close()
        func pingjia(_ arguments: [String]) throws -> CommandLineTests.Run {
            try CommandLineTests.pingjia(["case"] + arguments + ["--db", database])
        }
        let listed = try pingjia(["list"])
        #expect(listed.status == 0)
        #expect(listed.output.contains("\(id)\t") && listed.output.contains("待核实"))

        // An illegal step is refused with what is allowed instead, and changes nothing.
        let refused = try pingjia(["act", String(id), "close"])
        #expect(refused.status != 0)
        #expect(refused.errors.contains("start") && refused.errors.contains("appeal"))
        let missing = try pingjia(["act", String(id), "rectify", "--note", "x"])
        #expect(missing.status != 0 && missing.errors.contains("--callback-result"))

        #expect(try pingjia(["act", String(id), "start", "--as", "ops1"]).status == 0)
        let early = try pingjia(["act", String(id), "rectify", "--callback-result", "unreachable", "--note", "无人接听"])
        #expect(early.status != 0, "unreachable needs a recorded attempt first")
        #expect(try pingjia(["act", String(id), "note", "--note", "拨打未接通", "--callback-attempt"]).status == 0)
        #expect(try pingjia(["act", String(id), "rectify", "--callback-result", "unreachable", "--note", "无人接听"]).status == 0)

        let shown = try pingjia(["show", String(id), "--format", "json"])
        #expect(shown.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(shown.output.utf8)) as? [String: Any])
        #expect(json["state"] as? String == "rectified")
        #expect((json["callback"] as? [String: Any])?["result"] as? String == "unreachable")
        #expect(json["allowed_actions"] as? [String] == ["close", "note"])
        let history = try #require(json["history"] as? [[String: Any]])
        #expect(history.map { $0["action"] as? String } == ["start", "note", "rectify"])
        let firstActor = history.first?["actor"] as? String
        #expect(firstActor == "ops1")
        #expect(try pingjia(["list", "--state", "rectified"]).output.contains("\(id)\t"))
        #expect(try pingjia(["list", "--state", "new"]).output.isEmpty)
    }
}
