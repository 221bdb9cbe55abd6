/// One catalogue file as written: a JSON object whose `_language` member describes the
/// language and whose every other member is a phrase key with its words.
///
/// ```json
/// {
///   "_language": {"tag": "ja", "name": "日本語", "fallback": "en"},
///   "survey.title": "サービス評価"
/// }
/// ```
///
/// `_language` has `tag` (the BCP 47 tag for `lang` attributes) and `name` (the language's
/// name in itself, for the language switch), and optionally `direction` (`ltr`, the default,
/// or `rtl`) and `fallback` (the code of the language whose words fill the phrases this
/// file lacks; Chinese when absent).
struct ParsedCatalogue {
    let code: String
    private(set) var source: String
    private(set) var tag: String
    private(set) var name: String
    private(set) var rightToLeft: Bool
    private(set) var fallback: String?
    private(set) var phrases: [Phrase: String]

    /// The header's member name; no phrase key starts with `_`.
    static let headerKey = "_language"
    private static let headerMembers: Set<String> = ["tag", "name", "direction", "fallback"]
    private static let phrasesByKey = Dictionary(uniqueKeysWithValues: Phrase.allCases.map { ($0.rawValue, $0) })

    init(_ file: CatalogueFile) throws(WebSetupError) {
        code = file.code
        source = file.source
        func problem(_ text: String) -> WebSetupError { WebSetupError("\(file.source): \(text)") }
        // A code is what `?lang=` and Accept-Language tags are matched against, lower-cased.
        guard Self.isCode(file.code) else {
            throw problem("the file name must be a language code such as ja.json or zh-hk.json (lower-case letters, digits and -).")
        }
        let document: JSONInput
        do {
            document = try JSONInput.parsing(file.bytes)
        } catch {
            throw problem("not valid JSON: \(error).")
        }
        guard case .object(var members) = document else { throw problem("must hold a JSON object.") }
        guard case .object(let header)? = members.removeValue(forKey: Self.headerKey) else {
            throw problem("needs a \"_language\" object with at least \"tag\" and \"name\".")
        }
        if let unknown = header.keys.filter({ !Self.headerMembers.contains($0) }).sorted().first {
            throw problem("\"_language\" has no member \"\(unknown)\"; it may have \(Self.headerMembers.sorted().joined(separator: ", ")).")
        }
        func text(_ member: String) throws(WebSetupError) -> String? {
            switch header[member] {
            case nil: return nil
            case .string(let value)? where !value.isEmpty: return value
            default: throw problem("\"_language\".\"\(member)\" must be a non-empty string.")
            }
        }
        guard let tag = try text("tag"), let name = try text("name") else {
            throw problem("\"_language\" needs both \"tag\" and \"name\".")
        }
        self.tag = tag
        self.name = name
        switch try text("direction") {
        case nil, "ltr": rightToLeft = false
        case "rtl": rightToLeft = true
        case let other?: throw problem("\"_language\".\"direction\" must be \"ltr\" or \"rtl\", not \"\(other)\".")
        }
        fallback = try text("fallback")
        let unknown = members.keys.filter { Self.phrasesByKey[$0] == nil }.sorted()
        if !unknown.isEmpty {
            let keys = unknown.map { "\"\($0)\"" }.joined(separator: ", ")
            throw problem(unknown.count == 1 ? "\(keys) is not a phrase key (a misspelling?)." : "\(keys) are not phrase keys (misspellings?).")
        }
        var phrases: [Phrase: String] = [:]
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            guard let phrase = Self.phrasesByKey[key] else { continue }
            guard case .string(let words) = value, !words.isEmpty else {
                throw problem("\"\(key)\" must be a non-empty string.")
            }
            phrases[phrase] = words
        }
        self.phrases = phrases
    }

    /// This catalogue reworded by `overlay`, a file of the same code: its header and its
    /// phrases win, and the phrases it leaves out keep these words. A phrase must keep its
    /// placeholders, so a reworded phrase still fits every other language.
    func overlaid(with overlay: ParsedCatalogue) throws(WebSetupError) -> ParsedCatalogue {
        var merged = overlay
        merged.phrases = phrases
        for (phrase, text) in overlay.phrases.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            if let base = phrases[phrase], Catalogues.placeholders(base) != Catalogues.placeholders(text) {
                throw WebSetupError(
                    "\(overlay.source): \"\(phrase.rawValue)\" has the placeholders \(Catalogues.list(Catalogues.placeholders(text))) where \(source) has \(Catalogues.list(Catalogues.placeholders(base)))."
                )
            }
            merged.phrases[phrase] = text
        }
        return merged
    }

    static func isCode(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLowercase }) else {
            return false
        }
        return parts.dropFirst().allSatisfy { part in
            (1...8).contains(part.count) && part.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) }
        }
    }
}
