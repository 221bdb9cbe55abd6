import SurveyCore
import Testing

@Suite struct SubmissionValidationTests {
    static let department = Department(id: 1, code: "SCJG", name: "市场监管科")
    static let other = Department(id: 2, code: "BDC", name: "不动产登记科")
    static let directory = Directory(
        departments: [department, other],
        windows: [
            ServiceWindow(id: 10, code: "W01", name: "1号窗口", departmentID: 1),
            ServiceWindow(id: 11, code: "W99", name: "停用窗口", departmentID: 1, active: false),
        ],
        items: [ServiceItem(id: 5, code: "SCJG-01", name: "营业执照", departmentID: 1), ServiceItem(id: 6, code: "BDC-01", name: "转移登记", departmentID: 2)],
        staff: [StaffMember(id: 7, code: "S0101", name: "王芳", departmentID: 1)]
    )
    static let policy = SurveyPolicy()

    static func submission(_ a: ScoreInput = .number(5), _ e: ScoreInput = .number(4), _ r: ScoreInput = .number(5)) -> Submission {
        Submission(windowCode: "W01", attitude: a, efficiency: e, result: r, channel: "kiosk", clientID: "client-0001")
    }

    @Test func validSubmissionIsTiedToWindowAndDepartment() throws {
        var input = Self.submission()
        input.serviceItemCode = "SCJG-01"
        input.staffCode = "S0101"
        let valid = try input.validated(in: Self.directory, policy: Self.policy)
        #expect(valid.window.code == "W01")
        #expect(valid.department == Self.department)
        #expect(valid.ratings == Ratings(attitude: .verySatisfied, efficiency: .satisfied, result: .verySatisfied))
        #expect(valid.channel == .kiosk)
        #expect(valid.serviceItem?.code == "SCJG-01")
        #expect(valid.staff?.name == "王芳")
        #expect(!valid.ratings.isNegative)
    }

    @Test(arguments: [
        (Submission(windowCode: "W42", attitude: .number(5), efficiency: .number(5), result: .number(5), clientID: "client-0001"), SubmissionError.unknownWindow("W42")),
        (Submission(windowCode: "W99", attitude: .number(5), efficiency: .number(5), result: .number(5), clientID: "client-0001"), .unknownWindow("W99")),
        (submission(.absent), .missingScore(.attitude)),
        (submission(.number(5), .number(0)), .invalidScore(.efficiency)),
        (submission(.number(5), .number(5), .number(6)), .invalidScore(.result)),
        (submission(.notANumber), .invalidScore(.attitude)),
        (submission(.number(2)), .reasonRequired(.attitude, .dissatisfied)),
        (submission(.number(5), .number(5), .number(1)), .reasonRequired(.result, .veryDissatisfied)),
    ])
    func invalidSubmissionsAreRefusedWithTheRootCause(input: Submission, expected: SubmissionError) {
        #expect(throws: expected) { try input.validated(in: Self.directory, policy: Self.policy) }
    }

    @Test func negativeRatingWithAListedOrFreeTextReasonIsAccepted() throws {
        var listed = Self.submission(.number(1))
        listed.reasons = ["等候时间长"]
        #expect(try listed.validated(in: Self.directory, policy: Self.policy).ratings.isNegative)
        var free = Self.submission(.number(3), .number(2))
        free.reasons = ["  窗口人员中途离开 ", ""]
        #expect(try free.validated(in: Self.directory, policy: Self.policy).reasons == ["窗口人员中途离开"])
    }

    @Test func blankReasonsDoNotCountAsAReason() {
        var input = Self.submission(.number(2))
        input.reasons = ["", "   ", "\u{200B}"]
        #expect(throws: SubmissionError.reasonRequired(.attitude, .dissatisfied)) { try input.validated(in: Self.directory, policy: Self.policy) }
    }

    @Test func commentIsNormalisedAndLengthLimitedInCharacters() throws {
        var input = Self.submission()
        input.comment = "  e\u{0301}很好\r\n谢谢\u{0007} "
        let valid = try input.validated(in: Self.directory, policy: Self.policy)
        #expect(valid.comment == "\u{00E9}很好\n谢谢")

        input.comment = String(repeating: "好", count: 500)
        #expect(try input.validated(in: Self.directory, policy: Self.policy).comment?.count == 500)
        input.comment = String(repeating: "好", count: 501)
        #expect(throws: SubmissionError.commentTooLong(limit: 500)) { try input.validated(in: Self.directory, policy: Self.policy) }
    }

    @Test func itemAndStaffMustBelongToTheWindowsDepartment() {
        var input = Self.submission()
        input.serviceItemCode = "BDC-01"
        #expect(throws: SubmissionError.unknownServiceItem("BDC-01")) { try input.validated(in: Self.directory, policy: Self.policy) }
        input.serviceItemCode = nil
        input.staffCode = "S9999"
        #expect(throws: SubmissionError.unknownStaff("S9999")) { try input.validated(in: Self.directory, policy: Self.policy) }
    }

    @Test(arguments: ["", "short", String(repeating: "x", count: 65), "has space in it", "中文标识符号码"])
    func malformedClientIDsAreRefused(id: String) {
        var input = Self.submission()
        input.clientID = id
        #expect(throws: SubmissionError.invalidClientID) { try input.validated(in: Self.directory, policy: Self.policy) }
    }

    @Test func unknownChannelIsRefusedAndMissingChannelMeansWeb() throws {
        var input = Self.submission()
        input.channel = "fax"
        #expect(throws: SubmissionError.unknownChannel("fax")) { try input.validated(in: Self.directory, policy: Self.policy) }
        input.channel = nil
        #expect(try input.validated(in: Self.directory, policy: Self.policy).channel == .web)
    }

    @Test(arguments: Level.allCases)
    func gbtCodesRunTheOtherWayAndRoundTrip(level: Level) {
        #expect(level.gbtCode == 6 - level.rawValue)
        #expect(Level(gbtCode: level.gbtCode) == level)
        #expect(level.isNegative == (level.rawValue <= 2))
    }

    @Test func everyErrorHasItsOwnCode() {
        let errors: [SubmissionError] = [
            .unknownWindow("X"), .missingScore(.result), .invalidScore(.attitude), .unknownChannel("x"),
            .commentTooLong(limit: 1), .reasonTooLong(limit: 1), .tooManyReasons(limit: 1), .reasonRequired(.result, .dissatisfied),
            .invalidClientID, .unknownServiceItem("x"), .unknownStaff("x"), .invalidRatedAt, .ratedAtOutOfRange(maxAgeDays: 7),
        ]
        #expect(Set(errors.map(\.code)).count == errors.count)
    }

    @Test(arguments: [(0, "1970-01-01T00:00:00.000Z"), (1_790_000_000_123, "2026-09-21T14:13:20.123Z"), (-1, "1969-12-31T23:59:59.999Z")])
    func timestampsAreUTCWithMilliseconds(millis: Int64, text: String) {
        #expect(UTCTimestamp.string(millis: millis) == text)
    }
}
