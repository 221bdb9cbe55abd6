import MicroHTTP

/// A language the pages speak: one catalogue file, known by its code (`zh`, `en`, or any
/// `<code>.json` a center adds). Two values are equal when their codes are. Chinese is the
/// default, and `.zh` and `.en` are always there; what other languages exist is decided at
/// start by the catalogues that were loaded (see `Catalogues`).
public struct Language: Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// The loaded catalogue: the words of every phrase, already completed from the fallback,
    /// so a phrase is one dictionary lookup.
    let catalogue: LanguageCatalogue

    init(_ catalogue: LanguageCatalogue) { self.catalogue = catalogue }

    /// The language of `code` among the loaded ones.
    public init?(rawValue code: String) {
        guard let language = Catalogues.current.language(code) else { return nil }
        self = language
    }

    /// The code: the catalogue's file name, used in `?lang=`, in forms and in cache keys.
    public var rawValue: String { catalogue.code }
    public var description: String { catalogue.code }

    /// Chinese, the center's language and the default; its catalogue is complete.
    public static var zh: Language { Catalogues.current.chinese }
    /// English, shipped with the product.
    public static var en: Language { Catalogues.current.english }

    /// Every loaded language: Chinese, English, then the others by code.
    public static var allCases: [Language] { Catalogues.current.languages }

    /// `?lang=` (or the form's `lang`) wins when it names a loaded language; then the first
    /// tag of `Accept-Language` that names one, exactly or by its first part (`ja-JP` finds
    /// `ja`); then Chinese. q-values are ignored on purpose: browsers list languages in
    /// preference order.
    public static func negotiate(_ request: Request, formValue: String? = nil) -> Language {
        let catalogues = Catalogues.current
        if let explicit = formValue ?? request.query("lang"), let language = catalogues.language(explicit.lowercased()) {
            return language
        }
        if let header = request.headers["Accept-Language"] {
            for part in header.split(separator: ",") {
                let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                if let language = catalogues.language(matching: tag) { return language }
            }
        }
        return catalogues.chinese
    }

    /// The BCP 47 tag for the `lang` attribute (`zh-CN`).
    var htmlTag: String { catalogue.tag }

    /// The language's name in itself, as the language switch shows it (`中文`, `English`).
    var name: String { catalogue.name }

    /// `rtl` for a language written right to left; `nil` for left to right, the default.
    var htmlDirection: String? { catalogue.rightToLeft ? "rtl" : nil }

    /// Of Chinese and English, the one this language reads texts that exist only in those
    /// two (reason lists and grade labels from the settings, domain messages): itself, or
    /// the first of them its fallback chain reaches.
    var chineseOrEnglish: Language {
        catalogue.code == "en" || catalogue.bilingualCode == "en" ? .en : .zh
    }

    /// Whether the center's data that comes in Chinese and English (reasons, grade labels,
    /// names) is shown in English on this language's pages.
    var readsEnglish: Bool { chineseOrEnglish == .en }

    /// The phrase in this language, with `{name}` replaced by `arguments[name]`.
    subscript(_ phrase: Phrase, _ arguments: [String: String] = [:]) -> String {
        var text = catalogue.phrases[phrase] ?? phrase.rawValue
        for (name, value) in arguments {
            text = text.replacingOccurrences(of: "{\(name)}", with: value)
        }
        return text
    }

    /// The languages a page offers as other choices, in the order of `allCases`.
    var others: [Language] { Language.allCases.filter { $0 != self } }

    public static func == (left: Language, right: Language) -> Bool { left.catalogue.code == right.catalogue.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(catalogue.code) }
}
