import SurveyCore
import Testing
@testable import SurveyWeb

/// Reading the body of `POST /api/v1/responses` into a submission.
@Suite struct SubmissionPayloadTests {
    static func submission(_ text: String) throws -> Submission {
        try SubmissionPayload(json: Array(text.utf8)).submission()
    }

    @Test func aFullBodyIsRead() throws {
        let body = #"{"window":"W01","attitude":5,"efficiency":4.0,"result":1,"comment":"很好","reasons":["等候时间长"],"channel":"kiosk","client_id":"abc-12345","service_item":"SCJG-01","staff":"S0101","extra":{"ignored":[1,2]}}"#
        #expect(try Self.submission(body) == Submission(
            windowCode: "W01", attitude: .number(5), efficiency: .number(4), result: .number(1), comment: "很好",
            reasons: ["等候时间长"], channel: "kiosk", clientID: "abc-12345", serviceItemCode: "SCJG-01", staffCode: "S0101"
        ))
    }

    @Test func nullIsTheSameAsAbsent() throws {
        let body = #"{"window":"W01","attitude":null,"comment":null,"reasons":null,"client_id":null}"#
        #expect(try Self.submission(body) == Submission(windowCode: "W01", attitude: .absent, efficiency: .absent, result: .absent))
    }

    @Test(arguments: [
        ("5", ScoreInput.number(5)),
        ("0", .number(0)),
        ("1", .number(1)),
        ("-3", .number(-3)),
        ("5.0", .number(5)),
        ("5e0", .number(5)),
        ("4.5", .notANumber),
        ("1e20", .notANumber),
        ("9223372036854775807", .number(Int.max)),
        ("true", .notANumber),
        ("false", .notANumber),
        (#""5""#, .notANumber),
        ("[5]", .notANumber),
        ("{}", .notANumber),
    ])
    func scoresAreWholeNumbersOnly(json: String, expected: ScoreInput) throws {
        #expect(try Self.submission(#"{"window":"W01","attitude":\#(json)}"#).attitude == expected)
    }

    @Test(arguments: [
        (#"{"window":5}"#, SubmissionPayload.Problem.wrongType(field: "window", expected: .string)),
        (#"{"window":true}"#, .wrongType(field: "window", expected: .string)),
        (#"{"window":"W01","comment":1}"#, .wrongType(field: "comment", expected: .string)),
        (#"{"window":"W01","channel":["kiosk"]}"#, .wrongType(field: "channel", expected: .string)),
        (#"{"window":"W01","client_id":12345678}"#, .wrongType(field: "client_id", expected: .string)),
        (#"{"window":"W01","service_item":{}}"#, .wrongType(field: "service_item", expected: .string)),
        (#"{"window":"W01","staff":0}"#, .wrongType(field: "staff", expected: .string)),
        (#"{"window":"W01","reasons":"等候时间长"}"#, .wrongType(field: "reasons", expected: .listOfStrings)),
        (#"{"window":"W01","reasons":["等候时间长",1]}"#, .wrongType(field: "reasons", expected: .listOfStrings)),
        (#"{"window":"W01","reasons":[null]}"#, .wrongType(field: "reasons", expected: .listOfStrings)),
        (#"{"reasons":1}"#, .wrongType(field: "reasons", expected: .listOfStrings)),
        (#"{}"#, .missingWindow),
        (#"{"window":""}"#, .missingWindow),
        (#"{"window":null}"#, .missingWindow),
    ])
    func aFieldOfTheWrongTypeIsNamed(json: String, problem: SubmissionPayload.Problem) {
        #expect(throws: problem) { try Self.submission(json) }
    }

    @Test(arguments: [#"[1,2,3]"#, #""W01""#, "null", "5", #"{"window":"W01",}"#, #"{"window":"W01","window":"W02"}"#])
    func aBodyThatIsNotAJSONObjectIsNotASubmission(json: String) {
        #expect(throws: (any Error).self) { try SubmissionPayload(json: Array(json.utf8)) }
    }
}
