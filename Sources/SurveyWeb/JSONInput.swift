/// Any JSON value as received, so that a field of the wrong type can be named in the
/// error instead of failing the whole document with a decoder message.
///
/// Read with `JSONInput.parse(_:)`, a strict RFC 8259 parser: it keeps `true` and `1`
/// apart and whole numbers apart from decimals, and refuses duplicate keys instead of
/// letting one of them silently win (Foundation's decoders on Linux do neither).
public enum JSONInput: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number: with a fraction or an exponent, or a whole number too large for
    /// `integer`. Always finite.
    case number(Double)
    case string(String)
    case array([JSONInput])
    case object([String: JSONInput])

    /// Parses a whole document; `nil` when it is not valid JSON. `parsing(_:)` says why.
    public static func parse(_ bytes: [UInt8]) -> JSONInput? {
        try? parsing(bytes)
    }
}

/// Why a document is not JSON, and the byte offset where that became clear.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// The document ended inside a value, or was empty.
        case unexpectedEnd
        /// A byte that no JSON value or separator starts with at that place.
        case unexpectedByte(UInt8)
        /// A comma right before `]` or `}`.
        case trailingComma
        /// The same member name twice in one object.
        case duplicateKey(String)
        /// A number that RFC 8259 does not allow: `05`, `5.`, `.5`, `+5`, `1e`, or one too
        /// large for a double.
        case invalidNumber
        /// A raw byte below U+0020 inside a string; it must be written as an escape.
        case controlCharacterInString
        /// A backslash followed by something other than `"\/bfnrtu`, or a bad `\u` escape.
        case invalidEscape
        /// A `\u` escape of half a surrogate pair.
        case loneSurrogate
        /// Bytes that are not UTF-8.
        case invalidUTF8
        /// Arrays and objects nested deeper than the parser allows.
        case tooDeep
        /// Something other than white space after the value.
        case trailingData
        /// A byte order mark before the value; RFC 8259 forbids sending one.
        case byteOrderMark
    }

    public var reason: Reason
    /// Where in the document, counted in bytes from 0.
    public var offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "the document ends too early"
        case .unexpectedByte(let byte):
            what = (0x21...0x7E).contains(byte)
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'"
                : "unexpected byte 0x\(String(byte, radix: 16, uppercase: true))"
        case .trailingComma: what = "a comma before a closing bracket"
        case .duplicateKey(let key): what = "the key \"\(key)\" appears twice"
        case .invalidNumber: what = "a malformed number"
        case .controlCharacterInString: what = "a control character inside text (write it as an escape)"
        case .invalidEscape: what = "an invalid escape"
        case .loneSurrogate: what = "half of a surrogate pair in a \\u escape"
        case .invalidUTF8: what = "bytes that are not UTF-8"
        case .tooDeep: what = "lists or objects nested too deeply"
        case .trailingData: what = "something after the end of the value"
        case .byteOrderMark: what = "a byte order mark (save the file as UTF-8 without BOM)"
        }
        return "\(what) at byte \(offset)"
    }
}
