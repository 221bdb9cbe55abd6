import Foundation
import Synchronization

/// One language's words, as loaded and completed at start. Immutable, so shared freely.
final class LanguageCatalogue: Sendable {
    /// The file name without `.json`: `zh`, `en`, `ja`, `zh-hk`.
    let code: String
    /// The BCP 47 tag for `lang` attributes.
    let tag: String
    /// The language's name in itself.
    let name: String
    let rightToLeft: Bool
    /// `zh` or `en`: which of the two this language reads texts that exist in only those.
    let bilingualCode: String
    /// Every phrase: the file's own words, and the fallback's for the phrases it lacks.
    let phrases: [Phrase: String]

    init(code: String, tag: String, name: String, rightToLeft: Bool, bilingualCode: String, phrases: [Phrase: String]) {
        self.code = code
        self.tag = tag
        self.name = name
        self.rightToLeft = rightToLeft
        self.bilingualCode = bilingualCode
        self.phrases = phrases
    }
}

/// The languages the server speaks: the catalogues shipped in the binary
/// (`Resources/catalogues/*.json`), and those of the directory the operator configured
/// (`languages.catalogue_directory`), each `<code>.json`. A file in the directory adds a
/// language, or rewords the phrases it has of the shipped language of the same code (the
/// others keep their shipped words, so an upgrade that adds phrases still starts).
///
/// Checked at start, so a mistake stops the server instead of showing a key to a citizen:
/// Chinese must have every phrase; a `{placeholder}` must be the same in every language as in
/// Chinese; a key that is no phrase (a typo) is an error naming the file and the key. A
/// language that lacks phrases shows its fallback's words for them (Chinese unless its
/// header names another language), and start logs a warning with the count.
///
/// The catalogues in force are process-wide (`current`): `Language` values, negotiation and
/// `Language.allCases` read them. `WebApplication` installs the ones its configuration names.
public final class Catalogues: Sendable {
    /// Chinese, English, then the other languages by code.
    let languages: [Language]
    private let byCode: [String: Language]
    let chinese: Language
    let english: Language
    /// Said at start: which languages lack how many phrases.
    public let warnings: [String]

    private init(languages: [Language], warnings: [String]) {
        self.languages = languages
        self.byCode = Dictionary(uniqueKeysWithValues: languages.map { ($0.rawValue, $0) })
        self.chinese = byCode["zh"]!
        self.english = byCode["en"]!
        self.warnings = warnings
    }

    /// The language of exactly `code`.
    func language(_ code: String) -> Language? { byCode[code] }

    /// The language of a lower-cased `Accept-Language` tag: its own code, or the code of
    /// the tag without its last parts (`zh-hant-tw`, then `zh-hant`, then `zh`).
    func language(matching tag: String) -> Language? {
        var tag = Substring(tag)
        while !tag.isEmpty {
            if let language = byCode[String(tag)] { return language }
            guard let dash = tag.lastIndex(of: "-") else { return nil }
            tag = tag[..<dash]
        }
        return nil
    }

    // MARK: In force

    private static let installed = Mutex<Catalogues>(shipped)

    /// The catalogues in force: the shipped ones until `install(_:)`.
    static var current: Catalogues { installed.withLock { $0 } }

    /// Puts `catalogues` in force for the whole process.
    public static func install(_ catalogues: Catalogues) {
        installed.withLock { $0 = catalogues }
    }

    /// The catalogues shipped in the binary. They are checked by the tests, so failing here
    /// is a defect of the build, not of a deployment.
    static let shipped: Catalogues = {
        do {
            return try load(files: shippedFiles)
        } catch {
            fatalError("The shipped language catalogues are invalid: \(error)")
        }
    }()

    /// Every catalogue in `Resources/catalogues`, embedded in the binary so a deployed
    /// server needs no resource bundle beside it. A language shipped with the product is
    /// one line here; a center adds one with a file in its catalogue directory instead.
    static let shippedFiles: [CatalogueFile] = [
        CatalogueFile(code: "zh", source: "zh.json (shipped)", bytes: PackageResources.zh_json),
        CatalogueFile(code: "en", source: "en.json (shipped)", bytes: PackageResources.en_json),
    ]

    /// The shipped catalogues, with the `*.json` files of `directory` (when given): a new
    /// code adds a language; a shipped code rewords that language's phrases it has.
    public static func load(directory: String?) throws -> Catalogues {
        guard let directory else { return shipped }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw WebSetupError("Cannot read the language catalogue directory \(directory): \(error.localizedDescription)")
        }
        var files = shippedFiles
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WebSetupError("Cannot read the language catalogue \(path).")
            }
            files.append(CatalogueFile(code: String(name.dropLast(5)), source: path, bytes: [UInt8](data)))
        }
        return try load(files: files)
    }

    /// Reads, checks and completes `files`; the problems of every file in one error. A file
    /// of a code seen before rewords that catalogue (`ParsedCatalogue.overlaid(with:)`).
    static func load(files: [CatalogueFile]) throws -> Catalogues {
        var problems: [String] = []
        var parsed: [ParsedCatalogue] = []
        for file in files {
            do throws(WebSetupError) {
                let catalogue = try ParsedCatalogue(file)
                if let index = parsed.firstIndex(where: { $0.code == catalogue.code }) {
                    parsed[index] = try parsed[index].overlaid(with: catalogue)
                } else {
                    parsed.append(catalogue)
                }
            } catch {
                problems.append(error.description)
            }
        }
        let byCode = Dictionary(parsed.map { ($0.code, $0) }, uniquingKeysWith: { (first: ParsedCatalogue, _: ParsedCatalogue) in first })
        guard let chinese = byCode["zh"], byCode["en"] != nil else {
            throw WebSetupError(problems.isEmpty ? "The language catalogues must include zh.json and en.json." : problems.joined(separator: "\n"))
        }
        let missingChinese = Phrase.allCases.filter { chinese.phrases[$0] == nil }
        if !missingChinese.isEmpty {
            problems.append("\(chinese.source): Chinese is the default language and must have every phrase; it lacks \(missingChinese.map(\.rawValue).joined(separator: ", ")).")
        }
        for catalogue in parsed where catalogue.code != "zh" {
            for (phrase, text) in catalogue.phrases.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let expected = placeholders(chinese.phrases[phrase] ?? "")
                let found = placeholders(text)
                if found != expected {
                    problems.append("\(catalogue.source): \"\(phrase.rawValue)\" has the placeholders \(Self.list(found)) where Chinese has \(Self.list(expected)).")
                }
            }
            if let fallback = catalogue.fallback, byCode[fallback] == nil || fallback == catalogue.code {
                problems.append("\(catalogue.source): the fallback \"\(fallback)\" is not another loaded language.")
            }
        }
        guard problems.isEmpty else { throw WebSetupError(problems.joined(separator: "\n")) }
        var completed: [String: LanguageCatalogue] = [:]
        var warnings: [String] = []
        for catalogue in parsed {
            // The chain of fallbacks, ending at Chinese; a loop is refused.
            var chain = [catalogue]
            while chain.last!.code != "zh" {
                let next = byCode[chain.last!.fallback ?? "zh"]!
                if chain.contains(where: { $0.code == next.code }) {
                    throw WebSetupError("\(catalogue.source): its fallbacks go round in a circle (\((chain + [next]).map(\.code).joined(separator: " → "))).")
                }
                chain.append(next)
            }
            var phrases: [Phrase: String] = [:]
            for link in chain.reversed() { phrases.merge(link.phrases) { _, mine in mine } }
            let missing = Phrase.allCases.count - catalogue.phrases.count
            if missing > 0 {
                warnings.append("The \(catalogue.code) catalogue (\(catalogue.source)) lacks \(missing) of \(Phrase.allCases.count) phrases; those are shown in \(chain[1].code), its fallback.")
            }
            let bilingual = chain.first { $0.code == "zh" || $0.code == "en" }!.code
            completed[catalogue.code] = LanguageCatalogue(
                code: catalogue.code, tag: catalogue.tag, name: catalogue.name, rightToLeft: catalogue.rightToLeft,
                bilingualCode: bilingual, phrases: phrases
            )
        }
        let order = ["zh", "en"] + completed.keys.filter { $0 != "zh" && $0 != "en" }.sorted()
        return Catalogues(languages: order.map { Language(completed[$0]!) }, warnings: warnings)
    }

    /// The `{names}` a phrase is filled in with.
    static func placeholders(_ text: String) -> Set<String> {
        var names: Set<String> = []
        var rest = text[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.insert(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    static func list(_ names: Set<String>) -> String {
        names.isEmpty ? "none" : names.sorted().map { "{\($0)}" }.joined(separator: " ")
    }
}

/// A catalogue file before it is read: its code (the file name), where it came from (for
/// messages) and its bytes.
struct CatalogueFile: Sendable {
    var code: String
    var source: String
    var bytes: [UInt8]
}
