import Testing
@testable import SurveyWeb

/// The strict JSON parser against RFC 8259: what it must refuse, what it must accept,
/// and the types it must keep apart.
@Suite struct StrictJSONTests {
    typealias Reason = JSONSyntaxError.Reason

    static func parse(_ text: String) throws(JSONSyntaxError) -> JSONInput {
        try JSONInput.parsing(Array(text.utf8))
    }

    @Test(arguments: [
        // Trailing commas.
        (#"{"a":1,}"#, Reason.trailingComma),
        (#"[1,2,]"#, .trailingComma),
        (#"{"a":[1,],"b":2}"#, .trailingComma),
        (#"[,]"#, .unexpectedByte(UInt8(ascii: ","))),
        (#"{,}"#, .unexpectedByte(UInt8(ascii: ","))),
        // Duplicate keys, at any depth; equal after unescaping counts as the same key.
        (#"{"a":1,"a":2}"#, .duplicateKey("a")),
        (#"{"x":{"window":"W01","window":"W02"}}"#, .duplicateKey("window")),
        (#"{"a":1,"\u0061":2}"#, .duplicateKey("a")),
        // Numbers RFC 8259 does not allow.
        ("05", .invalidNumber),
        ("-05", .invalidNumber),
        ("00", .invalidNumber),
        ("5.", .invalidNumber),
        (".5", .unexpectedByte(UInt8(ascii: "."))),
        ("+5", .unexpectedByte(UInt8(ascii: "+"))),
        ("-", .invalidNumber),
        ("1e", .invalidNumber),
        ("1e+", .invalidNumber),
        ("1.e5", .invalidNumber),
        ("0x10", .trailingData),
        ("1e400", .invalidNumber),
        ("-1e400", .invalidNumber),
        ("NaN", .unexpectedByte(UInt8(ascii: "N"))),
        ("Infinity", .unexpectedByte(UInt8(ascii: "I"))),
        // Raw control characters inside a string.
        ("\"a\u{0A}b\"", .controlCharacterInString),
        ("\"a\u{09}b\"", .controlCharacterInString),
        ("\"\u{00}\"", .controlCharacterInString),
        ("\"\\n\u{1F}\"", .controlCharacterInString),
        // Escapes.
        (#""\x41""#, .invalidEscape),
        (#""\u12""#, .invalidEscape),
        (#""\u12G4""#, .invalidEscape),
        (#""\'""#, .invalidEscape),
        // Half a surrogate pair.
        (#""\uD834""#, .loneSurrogate),
        (#""\uD834x""#, .loneSurrogate),
        (#""\uD834\n""#, .loneSurrogate),
        (#""\uD834\u0041""#, .loneSurrogate),
        (#""\uDD1E""#, .loneSurrogate),
        (#""\uDD1E\uD834""#, .loneSurrogate),
        // Literals, structure, and what comes after the value.
        ("", .unexpectedEnd),
        ("   ", .unexpectedEnd),
        ("tru", .unexpectedEnd),
        ("True", .unexpectedByte(UInt8(ascii: "T"))),
        ("nul", .unexpectedEnd),
        ("nulls", .trailingData),
        (#"{"a" 1}"#, .unexpectedByte(UInt8(ascii: "1"))),
        (#"{"a":1 "b":2}"#, .unexpectedByte(UInt8(ascii: "\""))),
        (#"{a:1}"#, .unexpectedByte(UInt8(ascii: "a"))),
        (#"{'a':1}"#, .unexpectedByte(UInt8(ascii: "'"))),
        (#"[1 2]"#, .unexpectedByte(UInt8(ascii: "2"))),
        (#"{"a":1}}"#, .trailingData),
        (#"{"a":1} x"#, .trailingData),
        (#"{"a":1}/* comment */"#, .trailingData),
        ("[1]\u{00}", .trailingData),
        (#"{"a":1"#, .unexpectedEnd),
        (#"["abc"#, .unexpectedEnd),
        ("\u{FEFF}{}", .byteOrderMark),
        (" \u{FEFF}{}", .unexpectedByte(0xEF)),
        ("{}\u{0B}", .trailingData),
        ("\u{A0}1", .unexpectedByte(0xC2)),
    ])
    func malformedDocumentsAreRefused(text: String, reason: Reason) {
        #expect(throws: JSONSyntaxError.self) { try Self.parse(text) }
        do {
            _ = try Self.parse(text)
        } catch {
            #expect(error.reason == reason, "\(text): \(error)")
        }
    }

    @Test(arguments: [
        [0x22, 0xFF, 0x22],             // a byte that never occurs in UTF-8
        [0x22, 0xC3, 0x22],             // a sequence cut short
        [0x22, 0xC0, 0xAF, 0x22],       // an overlong "/"
        [0x22, 0xED, 0xA0, 0x80, 0x22], // a surrogate encoded directly
        [0x22, 0xE4, 0xB8, 0x5C, 0x6E, 0xAD, 0x22], // a character split by an escape
    ] as [[UInt8]])
    func stringsThatAreNotUTF8AreRefused(bytes: [UInt8]) {
        #expect(throws: JSONSyntaxError(.invalidUTF8, at: 1)) { try JSONInput.parsing(bytes) }
    }

    @Test(arguments: [
        // RFC 8259, section 13: the two examples.
        (#"""
        {
          "Image": {
            "Width":  800,
            "Height": 600,
            "Title":  "View from 15th Floor",
            "Thumbnail": {
              "Url":    "http://www.example.com/image/481989943",
              "Height": 125,
              "Width":  100
            },
            "Animated" : false,
            "IDs": [116, 943, 234, 38793]
          }
        }
        """#, JSONInput.object(["Image": .object([
            "Width": .integer(800), "Height": .integer(600), "Title": .string("View from 15th Floor"),
            "Thumbnail": .object(["Url": .string("http://www.example.com/image/481989943"), "Height": .integer(125), "Width": .integer(100)]),
            "Animated": .bool(false), "IDs": .array([.integer(116), .integer(943), .integer(234), .integer(38793)]),
        ])])),
        (#"""
        [
          {
             "precision": "zip",
             "Latitude":  37.7668,
             "Longitude": -122.3959,
             "Address":   "",
             "City":      "SAN FRANCISCO",
             "State":     "CA",
             "Zip":       "94107",
             "Country":   "US"
          }
        ]
        """#, .array([.object([
            "precision": .string("zip"), "Latitude": .number(37.7668), "Longitude": .number(-122.3959),
            "Address": .string(""), "City": .string("SAN FRANCISCO"), "State": .string("CA"), "Zip": .string("94107"), "Country": .string("US"),
        ])])),
        // Section 13: scalars are documents too.
        (#""Hello world!""#, .string("Hello world!")),
        ("42", .integer(42)),
        ("true", .bool(true)),
        (" \t\r\n null \n", .null),
        // Section 7: escapes, including the G clef as a surrogate pair.
        (#""\"\\\/\b\f\n\r\t""#, .string("\"\\/\u{08}\u{0C}\n\r\t")),
        (#""\u00e9\u00E9\u4E2D\uD834\uDD1E""#, .string("éé中𝄞")),
        (#""\u0000""#, .string("\u{00}")),
        (#""a\u200Db""#, .string("a\u{200D}b")),
        ("\"中文 😀\"", .string("中文 😀")),
        // Numbers: whole numbers, decimals and exponents are kept apart.
        ("0", .integer(0)),
        ("1", .integer(1)),
        ("-0", .integer(0)),
        ("-1", .integer(-1)),
        ("9223372036854775807", .integer(.max)),
        ("-9223372036854775808", .integer(.min)),
        ("9223372036854775808", .number(9223372036854775808)),
        ("1.0", .number(1)),
        ("0.5", .number(0.5)),
        ("-0.0", .number(-0.0)),
        ("1e2", .number(100)),
        ("1E+2", .number(100)),
        ("25e-1", .number(2.5)),
        ("1e-400", .number(0)),
        // Empty and nested containers.
        ("{}", .object([:])),
        ("[]", .array([])),
        (" [ [ ] , { } ] ", .array([.array([]), .object([:])])),
        (#"{"":0,"a":{"a":[null]}}"#, .object(["": .integer(0), "a": .object(["a": .array([.null])])])),
    ])
    func wellFormedDocumentsAreRead(text: String, expected: JSONInput) throws {
        #expect(try Self.parse(text) == expected)
    }

    @Test func zeroAndOneAreNumbersAndTrueIsABoolean() throws {
        let document = try Self.parse(#"{"zero":0,"one":1,"yes":true,"no":false,"whole":1.0}"#)
        #expect(document == .object(["zero": .integer(0), "one": .integer(1), "yes": .bool(true), "no": .bool(false), "whole": .number(1)]))
    }

    @Test func nestingIsLimited() throws {
        let deepest = String(repeating: "[", count: JSONInput.maximumDepth) + String(repeating: "]", count: JSONInput.maximumDepth)
        #expect(throws: Never.self) { try Self.parse(deepest) }
        let tooDeep = String(repeating: "[", count: JSONInput.maximumDepth + 1) + String(repeating: "]", count: JSONInput.maximumDepth + 1)
        #expect(throws: JSONSyntaxError(.tooDeep, at: JSONInput.maximumDepth)) { try Self.parse(tooDeep) }
        let hostile = String(repeating: #"{"a":"#, count: 100_000)
        #expect(throws: JSONSyntaxError(.tooDeep, at: 5 * JSONInput.maximumDepth)) { try Self.parse(hostile) }
    }

    @Test func errorsSayWhereAndWhat() {
        #expect(throws: JSONSyntaxError(.duplicateKey("port"), at: 23)) {
            try Self.parse(#"{"server":{"port":1,   "port":2}}"#)
        }
        #expect(JSONSyntaxError(.duplicateKey("port"), at: 23).description == #"the key "port" appears twice at byte 23"#)
        #expect(JSONSyntaxError(.unexpectedByte(UInt8(ascii: "}")), at: 3).description == "unexpected character '}' at byte 3")
    }
}
