extension JSONInput {
    /// How deeply arrays and objects may nest. Nothing Pingjia reads goes past 5; the
    /// limit keeps a hostile body from exhausting the stack of the parser's recursion.
    public static let maximumDepth = 64

    /// Parses a whole document strictly by RFC 8259, or says why it is not JSON.
    ///
    /// Refused, where lenient parsers accept them: trailing commas, duplicate keys in an
    /// object, numbers such as `05`, `5.`, `.5`, `+5`, raw control characters inside a
    /// string, `\u` escapes of half a surrogate pair, bytes that are not UTF-8, a byte order
    /// mark, and anything but white space after the value. Any value may be the document.
    public static func parsing(_ bytes: [UInt8], maximumDepth: Int = JSONInput.maximumDepth) throws(JSONSyntaxError) -> JSONInput {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<JSONInput, JSONSyntaxError> in
            var parser = StrictJSONParser(bytes: buffer, maximumDepth: maximumDepth)
            do throws(JSONSyntaxError) {
                return .success(try parser.document())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// A recursive-descent parser over the bytes of one document, reading each byte once.
///
/// Strings without escapes, the usual case, are validated and copied in one step; only
/// numbers with a fraction or exponent go through `Double`'s text conversion.
private struct StrictJSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var index = 0
    var depth = 0

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func document() throws(JSONSyntaxError) -> JSONInput {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { throw failure(.byteOrderMark) }
        skipWhitespace()
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw failure(.trailingData) }
        return value
    }

    private func failure(_ reason: JSONSyntaxError.Reason) -> JSONSyntaxError {
        JSONSyntaxError(reason, at: index)
    }

    /// The byte at `index`, or the end-of-document error.
    private func current() throws(JSONSyntaxError) -> UInt8 {
        guard index < bytes.count else { throw failure(.unexpectedEnd) }
        return bytes[index]
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONInput {
        switch try current() {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        case let byte: throw failure(.unexpectedByte(byte))
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        for expected in UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount) {
            let byte = try current()
            guard byte == expected else { throw failure(.unexpectedByte(byte)) }
            index += 1
        }
    }

    /// Steps over the opening bracket; false when the container is empty and was closed.
    private mutating func open(closedBy bracket: UInt8) throws(JSONSyntaxError) -> Bool {
        depth += 1
        guard depth <= maximumDepth else { throw failure(.tooDeep) }
        index += 1
        skipWhitespace()
        guard try current() == bracket else { return true }
        index += 1
        depth -= 1
        return false
    }

    /// Steps over what follows a member or element: true after a comma, false after the
    /// closing bracket.
    private mutating func next(closedBy bracket: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        let byte = try current()
        if byte == UInt8(ascii: ",") {
            index += 1
            skipWhitespace()
            // The empty container was handled by `open`, so a bracket here follows a comma.
            if try current() == bracket { throw failure(.trailingComma) }
            return true
        }
        guard byte == bracket else { throw failure(.unexpectedByte(byte)) }
        index += 1
        depth -= 1
        return false
    }

    private mutating func object() throws(JSONSyntaxError) -> JSONInput {
        var members: [String: JSONInput] = [:]
        guard try open(closedBy: UInt8(ascii: "}")) else { return .object(members) }
        // A submission has about eight members; room for them avoids rehashing as it grows.
        members.reserveCapacity(8)
        repeat {
            let byte = try current()
            guard byte == UInt8(ascii: "\"") else { throw failure(.unexpectedByte(byte)) }
            let keyOffset = index
            let key = try string()
            skipWhitespace()
            let colon = try current()
            guard colon == UInt8(ascii: ":") else { throw failure(.unexpectedByte(colon)) }
            index += 1
            skipWhitespace()
            if members.updateValue(try value(), forKey: key) != nil {
                throw JSONSyntaxError(.duplicateKey(key), at: keyOffset)
            }
        } while try next(closedBy: UInt8(ascii: "}"))
        return .object(members)
    }

    private mutating func array() throws(JSONSyntaxError) -> JSONInput {
        var elements: [JSONInput] = []
        guard try open(closedBy: UInt8(ascii: "]")) else { return .array(elements) }
        repeat {
            elements.append(try value())
        } while try next(closedBy: UInt8(ascii: "]"))
        return .array(elements)
    }

    // MARK: Strings

    private mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = try makeString(UnsafeBufferPointer(rebasing: bytes[start..<index]), at: start)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw failure(.controlCharacterInString) }
            index += 1
        }
        throw failure(.unexpectedEnd)
    }

    private func makeString(_ utf8: some Collection<UInt8>, at offset: Int) throws(JSONSyntaxError) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else {
            throw JSONSyntaxError(.invalidUTF8, at: offset)
        }
        return text
    }

    /// The rest of a string that has an escape at `index`; `start` is its first byte.
    private mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(index - start + 16)
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while true {
            let byte = try current()
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return try makeString(output, at: start)
            case UInt8(ascii: "\\"):
                index += 1
                let escape = try current()
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(escape)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "u"): appendUTF8(try unicodeEscape(), to: &output)
                default:
                    index -= 1
                    throw failure(.invalidEscape)
                }
            case 0..<0x20:
                throw failure(.controlCharacterInString)
            default:
                output.append(byte)
                index += 1
            }
        }
    }

    /// The scalar of a `\u` escape whose `\u` was just read, joining a surrogate pair.
    private mutating func unicodeEscape() throws(JSONSyntaxError) -> UInt32 {
        let escapeOffset = index - 2
        let unit = try hexQuad()
        switch unit {
        case 0xD800...0xDBFF:
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw JSONSyntaxError(.loneSurrogate, at: escapeOffset)
            }
            index += 2
            let low = try hexQuad()
            guard (0xDC00...0xDFFF).contains(low) else { throw JSONSyntaxError(.loneSurrogate, at: escapeOffset) }
            return 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
        case 0xDC00...0xDFFF:
            throw JSONSyntaxError(.loneSurrogate, at: escapeOffset)
        default:
            return unit
        }
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try current()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.invalidEscape)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: Numbers

    private func isDigit(_ position: Int) -> Bool {
        position < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, as RFC 8259 writes it.
    private mutating func number() throws(JSONSyntaxError) -> JSONInput {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        guard isDigit(index) else { throw failure(.invalidNumber) }
        var magnitude: UInt64 = 0
        var fitsInteger = true
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if isDigit(index) { throw failure(.invalidNumber) }
        } else {
            while isDigit(index) {
                let (times10, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflowB) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
                if overflowA || overflowB { fitsInteger = false }
                magnitude = sum
                index += 1
            }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            fitsInteger = false
            index += 1
            guard isDigit(index) else { throw failure(.invalidNumber) }
            while isDigit(index) { index += 1 }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            fitsInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard isDigit(index) else { throw failure(.invalidNumber) }
            while isDigit(index) { index += 1 }
        }
        if fitsInteger {
            if !negative, magnitude <= UInt64(Int64.max) { return .integer(Int64(magnitude)) }
            if negative, magnitude <= Int64.min.magnitude { return .integer(Int64(truncatingIfNeeded: 0 &- magnitude)) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw JSONSyntaxError(.invalidNumber, at: start) }
        return .number(value)
    }
}
