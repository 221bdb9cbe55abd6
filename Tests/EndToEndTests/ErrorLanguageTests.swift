import Foundation
import MicroHTTP
import PingjiaTesting
import SurveyCore
@testable import SurveyWeb
import Testing

/// Every error is said in the language the client asked for, and only in that one.
@Suite struct ErrorLanguageTests {
    static func hasCJK(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) }
    }

    /// Two English words in a row: an English phrase inside a Chinese message.
    static func hasEnglishPhrase(_ text: String) -> Bool {
        text.range(of: #"[A-Za-z]{2,}[ ,.]+[A-Za-z]{2,}"#, options: .regularExpression) != nil
    }

    static func expectSaidIn(_ language: String, _ message: String?, _ context: String) {
        guard let message, !message.isEmpty else {
            Issue.record("no message for \(context)")
            return
        }
        if language == "en" {
            #expect(!hasCJK(message), "\(context): \(message)")
        } else {
            #expect(hasCJK(message), "\(context): \(message)")
            #expect(!hasEnglishPhrase(message), "\(context): \(message)")
        }
    }

    static func message(_ response: TestResponse) -> String? {
        (response.json["error"] as? [String: Any])?["message"] as? String
    }

    static let serverCodes: [(status: Int, code: String)] = [
        (413, "body_too_large"), (503, "shutting_down"), (404, "not_found"), (405, "method_not_allowed"),
        (400, "bad_request"), (500, "internal_error"), (501, "not_implemented"), (414, "uri_too_long"),
        (431, "headers_too_large"), (400, "ambiguous_length"), (400, "malformed_header"), (400, "bad_host"),
        (400, "nul_in_target"), (400, "malformed_target"),
    ]

    @Test func theCatalogueIsCheckedForMissingPhrasesAndPlaceholders() throws {
        try Catalogue.check()
        let missing = #expect(throws: WebSetupError.self) {
            try Catalogue.check { language in
                var table = Catalogue.table(language)
                if language == .en { table[.notPublished] = nil }
                return table
            }
        }
        #expect(missing?.description.contains("en: indicators.not_published is missing") == true)
        let misnamed = #expect(throws: WebSetupError.self) {
            try Catalogue.check { language in
                var table = Catalogue.table(language)
                if language == .en { table[.notPublished] = "{periode} has not been published." }
                return table
            }
        }
        #expect(misnamed?.description.contains("indicators.not_published") == true)
    }

    @Test(arguments: ["zh", "en"])
    func theServersOwnRefusalsAreReworded(language: String) throws {
        let center = try TestCenter()
        let render = center.application.web.renderError
        for (status, code) in Self.serverCodes {
            // What the server says on its own, in English, whatever the client asked for.
            let error = HTTPError(status: status, code: code, message: "The server's own words for \(code).")
            var headers = Headers()
            headers.add("Accept-Language", language)
            let api = render(error, Request(method: "POST", path: "/api/v1/responses", headers: headers))
            #expect(api.status == status)
            let body = (try? JSONSerialization.jsonObject(with: Data(api.body))) as? [String: Any]
            let said = (body?["error"] as? [String: Any])?["message"] as? String
            Self.expectSaidIn(language, said, "\(code) on the API")
            #expect(said?.contains("own words") == false, "\(code) is in the catalogue")
            let page = render(error, Request(method: "GET", path: "/kiosk/W01", headers: headers))
            #expect(page.status == status)
            let html = String(decoding: page.body, as: UTF8.self)
            #expect(!html.contains("own words"), "\(code) on a page")
            if language == "en" { #expect(!Self.hasCJK(html.replacingOccurrences(of: "区行政服务中心", with: "")), "\(code) on a page") }
        }
    }

    @Test(arguments: ["zh", "en"])
    func aBodyTooLargeIsRefusedInTheClientsLanguage(language: String) throws {
        let center = try TestCenter()
        let connection = try RawHTTPConnection(port: center.application.port)
        try connection.write(
            "POST /api/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Accept-Language: \(language)\r\nContent-Length: 99999999\r\n\r\n"
        )
        let response = try connection.readResponse()
        #expect(response.status == 413)
        Self.expectSaidIn(language, Self.message(response), "413")
    }

    @Test(arguments: ["zh", "en"])
    func indicatorErrorsAreSaidInOneLanguage(language: String) throws {
        let fixture = try IndicatorsAPITests.fixture()
        let queries = [
            "period=2026-Q5", "period=2026-13", "", "period=2026-Q3&by=desk", "period=2026-Q3&trend=0",
            "period=2026-Q3&department=NOPE", "period=2026-Q3&by=staff", "period=2026-Q3&format=xml",
        ]
        let languageHeader = ("Accept-Language", language)
        for query in queries {
            let response = try fixture.center.client.get(
                "/api/v1/indicators?\(query)", headers: [("Authorization", "Bearer \(fixture.key)"), languageHeader]
            )
            #expect(response.status == 400, "\(query)")
            Self.expectSaidIn(language, Self.message(response), query)
        }
        let recheck = try fixture.center.client.get(
            "/api/v1/indicators/recheck?period=2026-Q2", headers: [("Authorization", "Bearer \(fixture.key)"), languageHeader]
        )
        #expect(recheck.status == 404)
        Self.expectSaidIn(language, Self.message(recheck), "not published")
        for authorization in [nil, "Basic abc", "Bearer pj_notakeyatall", "Bearer \(fixture.wrongScopeKey)"] {
            var headers = [languageHeader]
            if let authorization { headers.append(("Authorization", authorization)) }
            let response = try fixture.center.client.get("/api/v1/indicators?period=2026-Q3", headers: headers)
            #expect([401, 403].contains(response.status))
            Self.expectSaidIn(language, Self.message(response), authorization ?? "no key")
        }
    }

    @Test(arguments: ["zh", "en"])
    func submissionErrorsAreSaidInOneLanguage(language: String) throws {
        let center = try TestCenter()
        let header = [("Accept-Language", language)]
        let cases: [(String, [(String, String)], String)] = [
            ("not json", header, "{"),
            ("wrong media type", header + [("Content-Type", "text/plain")], "{}"),
            ("no window", header, #"{"attitude":5,"efficiency":5,"result":5}"#),
            ("wrong type", header, #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"comment":7}"#),
            ("unknown window", header, #"{"window":"W77","attitude":5,"efficiency":5,"result":5}"#),
        ]
        for (name, headers, body) in cases {
            let response = name == "wrong media type"
                ? try center.client.request("POST", "/api/v1/responses", headers: headers, body: Array(body.utf8))
                : try center.client.postJSON("/api/v1/responses", body, headers: headers)
            #expect((400...499).contains(response.status), "\(name)")
            Self.expectSaidIn(language, Self.message(response), name)
        }
    }

    @Test(arguments: Language.allCases)
    func everyDomainErrorIsWordedInEachLanguageWithItsData(language: Language) {
        let submissionErrors: [(SubmissionError, String?)] = [
            (.unknownWindow("W77"), "W77"), (.missingScore(.result), nil), (.invalidScore(.attitude), nil),
            (.unknownChannel("fax"), "fax"), (.commentTooLong(limit: 500), "500"), (.reasonTooLong(limit: 50), "50"),
            (.tooManyReasons(limit: 5), "5"), (.reasonRequired(.result, .dissatisfied), language[.resultLabel]), (.invalidClientID, nil),
            (.invalidRatedAt, nil), (.ratedAtOutOfRange(maxAgeDays: 7), "7"),
            (.unknownServiceItem("I9"), "I9"), (.unknownStaff("S9"), "S9"),
        ]
        for (error, data) in submissionErrors {
            let message = error.message(in: language)
            Self.expectSaidIn(language.rawValue, message, error.code)
            if let data { #expect(message.contains(data), "\(error.code): \(message)") }
        }
        let periodErrors: [PeriodError] = [
            .empty, .unrecognized("Q7"), .yearOutOfRange("0000"), .monthOutOfRange("2026-13"), .quarterOutOfRange("2026-Q5"),
            .halfOutOfRange("2026-H3"), .invalidDate("2026-02-30"), .reversedRange("2026-10-15..2026-10-01"),
        ]
        for error in periodErrors {
            let message = error.message(in: language)
            Self.expectSaidIn(language.rawValue, message, error.code)
            if case .unrecognized(let text) = error { #expect(message.contains(text) && message.contains("2026-Q4")) }
        }
        #expect(SubmissionError.missingScore(.result).message(in: language).contains(language[.resultLabel]))
    }
}
