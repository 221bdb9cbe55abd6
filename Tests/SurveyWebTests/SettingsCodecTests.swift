import Foundation
import SurveyCore
import Testing
@testable import SurveyWeb

/// The settings' JSON documents: both shapes of the reason lists, partial methods over the
/// one in force, and refusals that say what to fix in both languages.
@Suite struct SettingsCodecTests {
    static func json(_ text: String) throws -> JSONInput {
        try JSONInput.parsing(Array(text.utf8))
    }

    @Test func aPlainListIsOneListForEveryDimension() throws {
        let lists = try SettingsCodec.reasons(from: Self.json(#"["等候时间长", {"zh": "态度不好", "en": "Rude"}]"#))
        #expect(lists.isSameForAll)
        #expect(lists[.result] == [Reason(chinese: "等候时间长"), Reason(chinese: "态度不好", english: "Rude")])
    }

    @Test func anObjectHasOneListPerDimensionAndReadsBackWhatItWrites() throws {
        let text = #"{"attitude": ["态度不好"], "efficiency": [{"zh": "等候时间长", "en": "Long wait"}], "result": ["一次没办成"]}"#
        let lists = try SettingsCodec.reasons(from: Self.json(text))
        #expect(lists[.attitude] == [Reason(chinese: "态度不好")])
        #expect(lists[.efficiency] == [Reason(chinese: "等候时间长", english: "Long wait")])
        let written = SettingsCodec.json(lists).text
        #expect(written == #"{"attitude":[{"zh":"态度不好"}],"efficiency":[{"zh":"等候时间长","en":"Long wait"}],"result":[{"zh":"一次没办成"}]}"#)
        #expect(try SettingsCodec.reasons(from: Self.json(written)) == lists)
    }

    @Test(arguments: [
        (#"{"attitude": ["a"], "efficiency": ["b"]}"#, "missing_setting_member"),
        (#"{"attitude": ["a"], "efficiency": ["b"], "result": ["c"], "speed": ["d"]}"#, "unknown_setting_member"),
        (#"{"attitude": [], "efficiency": ["b"], "result": ["c"]}"#, "reason_list_empty"),
        (#"["a", 3]"#, "invalid_setting"),
        (#""a""#, "invalid_setting"),
        (#"[{"zh": "a", "fr": "b"}]"#, "unknown_setting_member"),
        (#"["a", "a"]"#, "duplicate_reason"),
    ])
    func badReasonDocumentsAreRefused(text: String, code: String) throws {
        let document = try Self.json(text)
        do throws(SettingsError) {
            _ = try SettingsCodec.reasons(from: document)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code)
            #expect(error.message(in: .zh) != error.message(in: .en))
        }
    }

    @Test func aMethodChangesOnlyWhatItGivesAndThirdsStayExact() throws {
        let current = IndicatorPolicy.default
        let method = try SettingsCodec.method(from: Self.json(#"{"minimum_sample": 10}"#), over: current)
        #expect(method.minimumSample == 10)
        #expect(method.weights == .equal)
        #expect(method.bands == current.bands)
        let written = SettingsCodec.json(method)
        #expect(written.text.contains(#""attitude":0.333333"#))
        #expect(try SettingsCodec.method(from: Self.json(written.text), over: .default) == method)

        let weighted = try SettingsCodec.method(from: Self.json(#"{"weights": {"attitude": 0.4, "efficiency": 0.3, "result": 0.3}}"#), over: method)
        #expect(weighted.weights == (try IndicatorWeights(attitude: Decimal(string: "0.4")!, efficiency: Decimal(string: "0.3")!, result: Decimal(string: "0.3")!)))
        #expect(weighted.minimumSample == 10)
    }

    @Test(arguments: [
        (#"{"weights": {"attitude": 0.5, "efficiency": 0.3, "result": 0.3}}"#, "weights_do_not_sum_to_one"),
        (#"{"weights": {"attitude": -0.2, "efficiency": 0.6, "result": 0.6}}"#, "negative_weight"),
        (#"{"weights": {"attitude": 0.5, "efficiency": 0.5}}"#, "invalid_weight"),
        (#"{"minimum_sample": 0}"#, "minimum_sample_too_small"),
        (#"{"minimum_sample": 2.5}"#, "minimum_sample_too_small"),
        (#"{"bands": [{"code": "good", "label": "良", "min": 80}, {"code": "bad", "label": "差", "min": 90}]}"#, "grade_thresholds_not_descending"),
        (#"{"bands": [{"code": "good", "label": "良", "min": 120}, {"code": "bad", "label": "差", "min": 0}]}"#, "grade_threshold_out_of_range"),
        (#"{"bands": [{"code": "good", "label": "良", "min": 80}]}"#, "lowest_grade_threshold_not_zero"),
        (#"{"bands": [{"code": "good", "label": "良"}]}"#, "invalid_grade_band"),
        (#"{"weight": {}}"#, "unknown_setting_member"),
    ])
    func badMethodsAreRefused(text: String, code: String) throws {
        let document = try Self.json(text)
        do throws(SettingsError) {
            _ = try SettingsCodec.method(from: document, over: .default)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.code == code)
        }
    }

    @Test func namesZonesAndDatesAreChecked() throws {
        #expect(try SettingsCodec.centerName("  东区政务服务中心 ") == "东区政务服务中心")
        #expect(throws: SettingsError.self) { try SettingsCodec.centerName("   ") }
        #expect(try SettingsCodec.timeZone("Asia/Urumqi").identifier == "Asia/Urumqi")
        for bad in ["Mars/Olympus", "GMT+8", ""] {
            #expect(throws: SettingsError.self) { try SettingsCodec.timeZone(bad) }
        }
        #expect(try SettingsCodec.day("2026-10-01").description == "2026-10-01")
        for bad in ["2026-02-30", "2026-10", "tomorrow", "2026-1-01"] {
            #expect(throws: SettingsError.self) { try SettingsCodec.day(bad) }
        }
    }

    @Test func aReasonBoxReadsOneReasonALineWithItsTranslation() {
        let reasons = SettingsPages.reasons(fromText: "等候时间长 | Long wait\n\n  态度不好  \r\n一次没办成|")
        #expect(reasons == [Reason(chinese: "等候时间长", english: "Long wait"), Reason(chinese: "态度不好"), Reason(chinese: "一次没办成")])
        #expect(SettingsPages.reasonText(reasons) == "等候时间长 | Long wait\n态度不好\n一次没办成")
    }
}
