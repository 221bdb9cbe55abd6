import SurveyCore
import Testing

/// Every problem of a submission in one answer, reasons per question, and the bounds of
/// the time a rating was given.
@Suite struct SubmissionProblemsTests {
    static let directory = SubmissionValidationTests.directory
    static let policy = SurveyPolicy()
    static let now: Int64 = 1_790_000_000_000

    static func submission(_ a: ScoreInput, _ e: ScoreInput, _ r: ScoreInput) -> Submission {
        Submission(windowCode: "W01", attitude: a, efficiency: e, result: r, channel: "kiosk", clientID: "client-0001")
    }

    @Test func everyProblemIsReportedInTheOrderOfTheForm() {
        var input = Self.submission(.absent, .number(1), .number(9))
        input.comment = String(repeating: "长", count: 501)
        input.channel = "fax"
        input.clientID = "x"
        #expect(throws: SubmissionProblems([
            .missingScore(.attitude), .invalidScore(.result), .reasonRequired(.efficiency, .veryDissatisfied),
            .commentTooLong(limit: 500), .unknownChannel("fax"), .invalidClientID,
        ])) {
            try input.validatedReportingAll(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
        }
        // The single-error form still names the first.
        #expect(throws: SubmissionError.missingScore(.attitude)) {
            try input.validated(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
        }
    }

    @Test func eachNegativeQuestionNeedsItsOwnReasonAndPositiveOnesLoseTheirs() throws {
        var input = Self.submission(.number(2), .number(1), .number(5))
        input.reasonsByDimension = [.attitude: ["态度不好"], .result: ["一次没办成"]]
        #expect(throws: SubmissionProblems([.reasonRequired(.efficiency, .veryDissatisfied)])) {
            try input.validatedReportingAll(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
        }
        input.reasonsByDimension[.efficiency] = ["  ", "等候时间长"]
        let valid = try input.validatedReportingAll(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
        // The result was answered positively: the reason left ticked there is not kept.
        #expect(valid.reasons == ["态度不好", "等候时间长"])
    }

    static let bounds: [(Int64, Bool)] = [
        (0, true), (-7 * 86_400_000, true), (-7 * 86_400_000 - 1, false), (300_000, true), (300_001, false),
    ]

    @Test(arguments: bounds)
    func ratedAtMustLieWithinTheBounds(offset: Int64, accepted: Bool) throws {
        var input = Self.submission(.number(5), .number(5), .number(5))
        input.ratedAt = .millis(Self.now + offset)
        if accepted {
            let valid = try input.validated(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
            #expect(valid.ratedAtMillis == Self.now + offset)
        } else {
            #expect(throws: SubmissionError.ratedAtOutOfRange(maxAgeDays: 7)) {
                try input.validated(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
            }
        }
    }

    @Test func anUnreadableOrAbsentRatedAt() throws {
        var input = Self.submission(.number(5), .number(5), .number(5))
        #expect(try input.validated(in: Self.directory, policy: Self.policy, nowMillis: Self.now).ratedAtMillis == nil)
        input.ratedAt = .unreadable
        #expect(throws: SubmissionError.invalidRatedAt) {
            try input.validated(in: Self.directory, policy: Self.policy, nowMillis: Self.now)
        }
    }

    static let times: [(String, Int64?)] = [
        ("2026-11-25T07:38:46.123Z", 1_795_592_326_123), ("2026-11-25T15:38:46+08:00", 1_795_592_326_000),
        ("2026-11-25 07:38:46", nil), ("yesterday", nil),
    ]

    @Test(arguments: times)
    func rfc3339TimesAreRead(text: String, millis: Int64?) {
        #expect(UTCTimestamp.millis(parsing: text) == millis)
    }
}
