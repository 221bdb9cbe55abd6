@testable import SurveyCore
import Testing

/// The directory file: what export writes, import reads back, with every problem placed.
@Suite struct DirectoryFileTests {
    let entries = [
        DirectoryEntry(kind: .department, code: "SPK", name: "审批科, \"一站式\""),
        DirectoryEntry(kind: .department, code: "OLD", name: "旧科室", active: false),
        DirectoryEntry(kind: .window, code: "W1", name: "1号\n窗口", department: "SPK"),
        DirectoryEntry(kind: .item, code: "I-1.a", name: "营业执照", department: "SPK"),
        DirectoryEntry(kind: .staff, code: "S1", name: "张一", department: "SPK", window: "W1"),
        DirectoryEntry(kind: .staff, code: "S2", name: "李二", department: "SPK", active: false),
    ]

    @Test(arguments: DirectoryFile.Format.allCases)
    func whatIsWrittenIsReadBack(format: DirectoryFile.Format) throws {
        let text = DirectoryFile.encode(entries, as: format)
        let read = try DirectoryFile.decode(Array(text.utf8), as: format).get()
        var expected = entries
        expected[2].name = "1号 窗口"  // names are kept on one line
        #expect(read == expected)
    }

    @Test func csvFieldsMayBeQuotedAndSpanLines() {
        let rows = DirectoryFile.csvRows("a,\"b,c\",\"d\"\"e\"\r\n\"f\ng\",h\n\nlast")
        #expect(rows.map(\.fields) == [["a", "b,c", "d\"e"], ["f\ng", "h"], [""], ["last"]])
        #expect(rows.map(\.line) == [1, 2, 4, 5])
    }

    @Test func everyProblemIsPlaced() {
        let csv = "kind,code,name,department\nwindow,W1,x,NOPE\nwindow,W1,y,NOPE\n"
        guard case .failure(let problems) = DirectoryFile.decode(Array(csv.utf8), as: .csv) else {
            Issue.record("a file with problems was accepted")
            return
        }
        #expect(problems.problems == [
            DirectoryFileProblem(place: "line 3", field: "code", error: .record(.duplicateCode(.window, "W1"))),
            DirectoryFileProblem(place: "line 2", field: "department", error: .record(.unknownDepartment("NOPE"))),
        ])
        guard case .failure(let missing) = DirectoryFile.decode(Array("code,name\n".utf8), as: .csv) else {
            Issue.record("a file without kinds was accepted")
            return
        }
        #expect(missing.problems.map(\.error) == [.missingColumn("kind")])
    }

    @Test func aPlanAddsDepartmentsFirstAndDeactivatesThemLast() {
        let current = [
            DirectoryEntry(kind: .department, code: "A", name: "甲"),
            DirectoryEntry(kind: .window, code: "W1", name: "1", department: "A"),
        ]
        let wanted = [
            DirectoryEntry(kind: .window, code: "w1", name: "1", department: "B"),
            DirectoryEntry(kind: .department, code: "B", name: "乙"),
        ]
        #expect(DirectoryPlan.changes(from: current, to: wanted).map(\.summary) == [
            "department B: added (乙)",
            "window W1: moved (A → B)",
            "department A: deactivated",
        ])
    }
}
