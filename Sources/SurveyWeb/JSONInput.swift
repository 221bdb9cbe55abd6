import Foundation

/// Any JSON value as received, so that a field of the wrong type can be named in the
/// error instead of failing the whole document with a decoder message. Decoded with
/// `JSONDecoder`, which keeps `true` and `1` apart (`JSONSerialization` on Linux does not).
public enum JSONInput: Decodable, Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONInput])
    case object([String: JSONInput])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONInput].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONInput].self))
        }
    }

    /// Parses a whole document; `nil` when it is not valid JSON.
    public static func parse(_ bytes: [UInt8]) -> JSONInput? {
        try? JSONDecoder().decode(JSONInput.self, from: Data(bytes))
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "text"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
