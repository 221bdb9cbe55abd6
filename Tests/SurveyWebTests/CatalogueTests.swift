import Foundation
import Testing
@testable import SurveyWeb

/// The language catalogues: the shipped ones are complete and agree on placeholders, a
/// third language is one file, and a mistake in any file stops start with the file named.
@Suite struct CatalogueTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/SurveyWeb/Resources/catalogues")

    static func file(_ code: String, _ text: String) -> CatalogueFile {
        CatalogueFile(code: code, source: "\(code).json (test)", bytes: Array(text.utf8))
    }

    /// The shipped files with `more` added, or in place of the shipped ones of their code.
    static func shipped(and more: [CatalogueFile]) -> [CatalogueFile] {
        var files = Catalogues.shippedFiles
        for file in more {
            files.removeAll { $0.code == file.code }
            files.append(file)
        }
        return files
    }

    static func load(_ more: CatalogueFile...) throws -> Catalogues {
        try Catalogues.load(files: shipped(and: more))
    }

    /// Why loading the shipped files and `more` fails.
    static func refusal(_ more: CatalogueFile...) -> String {
        do {
            _ = try Catalogues.load(files: shipped(and: more))
            return "loaded"
        } catch {
            return "\(error)"
        }
    }

    static let japanese = """
    {
      "_language": {"tag": "ja", "name": "日本語"},
      "survey.title": "サービス評価",
      "survey.submit": "送信"
    }
    """

    @Test func theShippedCataloguesHaveEveryPhraseWithTheSamePlaceholders() throws {
        let shipped = try Catalogues.load(files: Catalogues.shippedFiles)
        #expect(shipped.warnings.isEmpty, "\(shipped.warnings)")
        let chinese = try ParsedCatalogue(Catalogues.shippedFiles[0])
        for file in Catalogues.shippedFiles {
            let catalogue = try ParsedCatalogue(file)
            let missing = Phrase.allCases.filter { catalogue.phrases[$0] == nil }
            #expect(missing.isEmpty, "\(file.code) lacks \(missing.map(\.rawValue))")
            for (phrase, text) in catalogue.phrases {
                #expect(Catalogues.placeholders(text) == Catalogues.placeholders(chinese.phrases[phrase] ?? ""),
                        "\(file.code): \(phrase.rawValue)")
            }
        }
        #expect(shipped.languages.map(\.rawValue) == ["zh", "en"])
        #expect(shipped.chinese[.surveyTitle] == "服务评价" && shipped.english[.surveyTitle] == "Rate our service")
    }

    @Test func everyFileOfTheCatalogueFolderIsShippedAsItIs() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(names) == Set(Catalogues.shippedFiles.map { "\($0.code).json" }))
        for file in Catalogues.shippedFiles {
            let onDisk = try Data(contentsOf: Self.folder.appendingPathComponent("\(file.code).json"))
            #expect([UInt8](onDisk) == file.bytes, "\(file.code).json is not the one compiled in")
        }
    }

    @Test func aThirdLanguageHasItsOwnWordsAndChineseForTheRest() throws {
        let catalogues = try Self.load(Self.file("ja", Self.japanese))
        #expect(catalogues.languages.map(\.rawValue) == ["zh", "en", "ja"])
        let japanese = try #require(catalogues.language("ja"))
        #expect(japanese[.surveyTitle] == "サービス評価")
        #expect(japanese[.submit] == "送信")
        #expect(japanese[.thanksTitle] == catalogues.chinese[.thanksTitle])
        #expect(japanese.name == "日本語" && japanese.htmlTag == "ja" && japanese.htmlDirection == nil)
        #expect(japanese.chineseOrEnglish == catalogues.chinese)
        #expect(catalogues.warnings.count == 1)
        #expect(catalogues.warnings.first?.contains("lacks \(Phrase.allCases.count - 2) of \(Phrase.allCases.count) phrases") == true)
        #expect(catalogues.language(matching: "ja-jp") == japanese)
        #expect(catalogues.language(matching: "zh-hant-tw") == catalogues.chinese)
        #expect(catalogues.language(matching: "en-gb") == catalogues.english)
        #expect(catalogues.language(matching: "fr-fr") == nil)
    }

    @Test func aLanguageMayFallBackToEnglishAndBeWrittenRightToLeft() throws {
        let catalogues = try Self.load(Self.file("ug", """
        {"_language": {"tag": "ug-CN", "name": "ئۇيغۇرچە", "direction": "rtl", "fallback": "en"}, "survey.title": "مۇلازىمەت باھالاش"}
        """))
        let uyghur = try #require(catalogues.language("ug"))
        #expect(uyghur[.thanksTitle] == catalogues.english[.thanksTitle])
        #expect(uyghur.htmlDirection == "rtl" && uyghur.chineseOrEnglish == catalogues.english)
        #expect(catalogues.warnings.first?.contains("those are shown in en, its fallback") == true)
    }

    @Test func aDirectoryAddsLanguagesAndRewordsShippedOnes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catalogues-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.japanese.write(to: directory.appendingPathComponent("ja.json"), atomically: true, encoding: .utf8)
        try "not a catalogue".write(to: directory.appendingPathComponent("README.txt"), atomically: true, encoding: .utf8)
        try #"{"_language": {"tag": "en-GB", "name": "English (UK)"}, "survey.title": "Rate our service, please"}"#
            .write(to: directory.appendingPathComponent("en.json"), atomically: true, encoding: .utf8)
        let catalogues = try Catalogues.load(directory: directory.path)
        #expect(catalogues.languages.map(\.rawValue) == ["zh", "en", "ja"])
        #expect(catalogues.english[.surveyTitle] == "Rate our service, please" && catalogues.english.htmlTag == "en-GB")
        // What the file leaves out keeps its shipped English words, without a warning.
        #expect(catalogues.english[.thanksTitle] == Catalogues.shipped.english[.thanksTitle])
        #expect(catalogues.warnings.count == 1 && catalogues.warnings.first?.contains("The ja catalogue") == true)
        #expect(catalogues.language("ja")?[.surveyTitle] == "サービス評価")
        #expect(throws: WebSetupError.self) { try Catalogues.load(directory: directory.appendingPathComponent("absent").path) }
    }

    @Test func anUnknownKeyStopsStartNamingTheFileAndTheKey() {
        let refusal = Self.refusal(Self.file("ja", #"{"_language": {"tag": "ja", "name": "日本語"}, "survey.titel": "サービス評価"}"#))
        #expect(refusal.contains("ja.json (test)") && refusal.contains("\"survey.titel\" is not a phrase key"), "\(refusal)")
        let two = Self.refusal(Self.file("ja", #"{"_language": {"tag": "ja", "name": "日本語"}, "survey.titel": "a", "survey.submitt": "b"}"#))
        #expect(two.contains("\"survey.submitt\", \"survey.titel\" are not phrase keys"), "\(two)")
    }

    @Test func aPlaceholderThatDiffersFromChineseStopsStart() {
        let refusal = Self.refusal(Self.file("ja", #"{"_language": {"tag": "ja", "name": "日本語"}, "indicators.not_published": "{periode} は未公表です。"}"#))
        #expect(refusal.contains("ja.json (test)") && refusal.contains("\"indicators.not_published\" has the placeholders {periode} where Chinese has {period}"), "\(refusal)")
        let shippedEnglish = String(decoding: Catalogues.shippedFiles[1].bytes, as: UTF8.self)
            .replacingOccurrences(of: "{period}", with: "{periode}")
        #expect(Self.refusal(Self.file("en", shippedEnglish)).contains("where Chinese has {period}"))
    }

    @Test func aRewordedPhraseMustKeepItsPlaceholders() throws {
        let overlay = Self.file("zh", #"{"_language": {"tag": "zh-CN", "name": "中文"}, "indicators.not_published": "{periode} 尚未公示。"}"#)
        let error = #expect(throws: WebSetupError.self) { try Catalogues.load(files: Catalogues.shippedFiles + [overlay]) }
        let refusal = error?.description ?? ""
        #expect(refusal.contains("zh.json (test): \"indicators.not_published\" has the placeholders {periode} where zh.json (shipped) has {period}"), "\(refusal)")
    }

    @Test func chineseMustHaveEveryPhrase() {
        let chinese = String(decoding: Catalogues.shippedFiles[0].bytes, as: UTF8.self)
            .replacingOccurrences(of: #"  "survey.title": "服务评价",\#n"#, with: "")
        let refusal = Self.refusal(Self.file("zh", chinese))
        #expect(refusal.contains("must have every phrase; it lacks survey.title"), "\(refusal)")
    }

    @Test(arguments: [
        ("JA", #"{"_language": {"tag": "ja", "name": "日本語"}}"#, "the file name must be a language code"),
        ("ja", #"["survey.title"]"#, "must hold a JSON object"),
        ("ja", #"{"survey.title": "x"}"#, "needs a \"_language\" object"),
        ("ja", #"{"_language": {"tag": "ja"}}"#, "needs both \"tag\" and \"name\""),
        ("ja", #"{"_language": {"tag": "ja", "name": "日本語", "dir": "rtl"}}"#, "has no member \"dir\""),
        ("ja", #"{"_language": {"tag": "ja", "name": "日本語", "direction": "up"}}"#, "must be \"ltr\" or \"rtl\""),
        ("ja", #"{"_language": {"tag": "ja", "name": "日本語", "fallback": "fr"}}"#, "the fallback \"fr\" is not another loaded language"),
        ("ja", #"{"_language": {"tag": "ja", "name": "日本語"}, "survey.title": 5}"#, "\"survey.title\" must be a non-empty string"),
        ("ja", #"{"_language": {"tag": "ja", "name": "日本語"}, "survey.title": "a", "survey.title": "b"}"#, "not valid JSON"),
    ])
    func aMalformedFileStopsStartWithTheReason(code: String, text: String, reason: String) {
        let refusal = Self.refusal(Self.file(code, text))
        #expect(refusal.contains("\(code).json (test)") && refusal.contains(reason), "\(refusal)")
    }

    @Test func fallbacksThatGoRoundInACircleStopStart() {
        let refusal = Self.refusal(
            Self.file("ja", #"{"_language": {"tag": "ja", "name": "日本語", "fallback": "ko"}}"#),
            Self.file("ko", #"{"_language": {"tag": "ko", "name": "한국어", "fallback": "ja"}}"#)
        )
        #expect(refusal.contains("go round in a circle"), "\(refusal)")
    }
}
