import MicroHTTP

/// The languages the citizen pages speak. Chinese is the default.
public enum Language: String, Sendable, CaseIterable {
    case zh
    case en

    /// `?lang=` wins; then the first of `zh`/`en` in `Accept-Language`; then Chinese.
    /// q-values are ignored on purpose: browsers list languages in preference order.
    public static func negotiate(_ request: Request, formValue: String? = nil) -> Language {
        if let explicit = formValue ?? request.query("lang"), let language = Language(rawValue: explicit.lowercased()) {
            return language
        }
        if let header = request.headers["Accept-Language"] {
            for part in header.split(separator: ",") {
                let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
                if tag.hasPrefix("zh") { return .zh }
                if tag.hasPrefix("en") { return .en }
            }
        }
        return .zh
    }

    /// The BCP 47 tag for the `lang` attribute.
    var htmlTag: String {
        switch self {
        case .zh: "zh-CN"
        case .en: "en"
        }
    }
}

import Foundation
