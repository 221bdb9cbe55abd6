import Foundation

/// Cleaning of free text typed by citizens (comments and reasons), before it is measured
/// against the length limits and stored.
///
/// The rule is to remove only what is invisible *and* does harm, and to keep whatever a
/// script or an emoji needs to be written correctly:
///
/// - **Kept:** ZERO WIDTH JOINER (U+200D), which joins emoji such as 👨‍👩‍👧 and shapes
///   Indic scripts; ZERO WIDTH NON-JOINER (U+200C), which Persian spelling needs
///   (`می‌خواهم`); the direction marks LRM, RLM and ALM (U+200E, U+200F, U+061C), which
///   only settle the direction of the punctuation next to them and cannot reorder a run of
///   text; variation selectors (text or emoji presentation, ideographic variants); the
///   combining grapheme joiner; Mongolian variation selectors and vowel separator; tag
///   characters inside an emoji tag sequence (the flags of Scotland or Wales, 🏴 + tags +
///   CANCEL TAG); the visible format characters of Arabic, Syriac and Egyptian.
/// - **Removed:**
///   - the bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069),
///     which reorder how everything after them is displayed and so can make a comment
///     read differently from what is stored;
///   - the other invisible characters that no script needs here and that make two texts
///     that look the same compare different, so "等候时间长" and "等候\u{200B}时间长" would
///     count as two reasons: ZERO WIDTH SPACE (U+200B), the byte order mark / zero width
///     no-break space (U+FEFF), WORD JOINER and the invisible operators (U+2060–2064), the
///     deprecated format characters (U+206A–206F), the soft hyphen (U+00AD), the Hangul
///     fillers used as blank "letters" (U+3164, U+FFA0), the shorthand and musical format
///     controls — every Default_Ignorable_Code_Point not kept above;
///   - interlinear annotation (U+FFF9–FFFB), which hides text in an annotation;
///   - tag characters outside an emoji tag sequence, which can carry hidden ASCII text;
///   - control characters other than line breaks; a tab becomes a space;
///   - private-use and unassigned code points, which no font shows dependably.
///
/// Line breaks (`\r\n`, `\r`, U+0085, U+2028, U+2029) become `\n`; the text is put in NFC;
/// white space is trimmed from both ends; a text with nothing visible left is empty.
public enum TextNormalization {
    /// `text` cleaned as described above.
    public static func normalized(_ text: String) -> String {
        // Most comments are plain ASCII without controls: nothing to remove, nothing for NFC.
        if text.utf8.allSatisfy({ (0x20...0x7E).contains($0) || $0 == 0x0A }) {
            return trimmed(text)
        }
        let scalars = Array(text.unicodeScalars)
        var kept = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            switch scalar.value {
            case 0x0D:
                kept.append("\n")
                if index < scalars.count, scalars[index] == "\n" { index += 1 }
            case 0x0A, 0x85, 0x2028, 0x2029:
                kept.append("\n")
            case 0x09:
                kept.append(" ")
            case 0xE0020...0xE007E:
                // A tag run is kept whole when it follows an emoji and ends in CANCEL TAG.
                var end = index
                while end < scalars.count, (0xE0020...0xE007E).contains(scalars[end].value) { end += 1 }
                if end < scalars.count, scalars[end].value == 0xE007F, let base = kept.last, isTagBase(base) {
                    kept.append(contentsOf: scalars[(index - 1)...end])
                    index = end + 1
                } else {
                    index = end
                }
            default:
                if isKept(scalar) { kept.append(scalar) }
            }
        }
        let cleaned = String(kept).precomposedStringWithCanonicalMapping
        return trimmed(cleaned)
    }

    /// Whether a scalar other than a line break, tab or tag character stays.
    static func isKept(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .control, .surrogate, .privateUse, .unassigned:
            return false
        default:
            break
        }
        switch scalar.value {
        case 0xFFF9...0xFFFB:
            return false
        case 0x034F, 0x061C, 0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F, 0x200C...0x200F,
             0xFE00...0xFE0F, 0xE0100...0xE01EF:
            return true
        default:
            return !properties.isDefaultIgnorableCodePoint
        }
    }

    /// An emoji (or its presentation selector) that a tag sequence may follow: 🏴 in the
    /// flags of Scotland, England and Wales. Digits and `#`, also emoji, are not.
    private static func isTagBase(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0xFE0F || (scalar.value > 0x7F && scalar.properties.isEmoji)
    }

    /// Without white space at either end; empty when nothing visible is left.
    private static func trimmed(_ text: String) -> String {
        let invisible = text.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.isDefaultIgnorableCodePoint }
        if invisible { return "" }
        let view = text.unicodeScalars
        guard let first = view.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = view.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(view[first...last])
    }
}
