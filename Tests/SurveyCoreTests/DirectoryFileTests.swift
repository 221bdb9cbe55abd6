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

/// English names in the directory file: written and read back, and files written before
/// they existed.
@Suite struct DirectoryFileEnglishNameTests {
    let entries = [
        DirectoryEntry(kind: .department, code: "SPK", name: "审批科", englishName: "Permits, \"one stop\""),
        DirectoryEntry(kind: .window, code: "W1", name: "1号窗口", englishName: "Window 1", department: "SPK"),
        DirectoryEntry(kind: .window, code: "W2", name: "2号窗口", department: "SPK"),
        DirectoryEntry(kind: .item, code: "I1", name: "营业执照", englishName: "Business licence", department: "SPK"),
        DirectoryEntry(kind: .staff, code: "S1", name: "张一", department: "SPK"),
    ]

    @Test(arguments: DirectoryFile.Format.allCases)
    func englishNamesAreWrittenAndReadBack(format: DirectoryFile.Format) throws {
        let text = DirectoryFile.encode(entries, as: format)
        let contents = try DirectoryFile.read(Array(text.utf8), as: format).get()
        #expect(contents.entries == entries)
        // Staff have no name_en member in JSON, and need none.
        #expect(contents.keepingEnglishName == (format == .json ? ["staff|s1"] : []))
    }

    @Test func aCSVWithoutTheColumnKeepsEveryEnglishName() throws {
        let csv = "kind,code,name,department\ndepartment,SPK,审批科,\nwindow,W1,1号窗口,SPK\n"
        let contents = try DirectoryFile.read(Array(csv.utf8), as: .csv).get()
        #expect(contents.entries.allSatisfy { $0.englishName == nil })
        #expect(contents.keepingEnglishName == ["department|spk", "window|w1"])
    }

    @Test func aJSONRecordWithoutTheMemberKeepsItsEnglishNameAndNullClearsIt() throws {
        let json = #"{"departments": [{"code": "SPK", "name": "审批科"}], "windows": [{"code": "W1", "name": "1号窗口", "department": "SPK", "name_en": null}, {"code": "w2", "name": "2号窗口", "department": "SPK", "name_en": " Window 2 "}]}"#
        let contents = try DirectoryFile.read(Array(json.utf8), as: .json).get()
        #expect(contents.keepingEnglishName == ["department|spk"])
        #expect(contents.entries.map(\.englishName) == [nil, nil, "Window 2"])
    }

    @Test func aTooLongEnglishNameIsPlaced() {
        let csv = "kind,code,name,name_en\ndepartment,SPK,审批科,\(String(repeating: "x", count: 65))\n"
        guard case .failure(let problems) = DirectoryFile.read(Array(csv.utf8), as: .csv) else {
            Issue.record("a file with problems was accepted")
            return
        }
        #expect(problems.problems == [
            DirectoryFileProblem(place: "line 2", field: "name_en", error: .record(.englishNameTooLong(.department, limit: 64))),
        ])
    }

    @Test func thePlanKeepsEnglishNamesTheFileDoesNotGive() {
        let current = [DirectoryEntry(kind: .department, code: "SPK", name: "审批科", englishName: "Permits")]
        let wanted = [DirectoryEntry(kind: .department, code: "spk", name: "审批科")]
        #expect(DirectoryPlan.changes(from: current, to: wanted, keepingEnglishName: ["department|spk"]).isEmpty)
        let cleared = DirectoryPlan.changes(from: current, to: wanted)
        #expect(cleared.map(\.effects) == [["translated"]])
    }
}
