/// One HTTP request, complete with its body, as a handler sees it.
///
/// A `Request` is a plain value: it is built once the whole body has arrived and never
/// refers back to libmicrohttpd, so handlers may keep it or pass it to other threads.
public struct Request: Sendable {
    /// The method in upper case, such as `GET` or `POST`.
    public var method: String
    /// The decoded path, without the query string, always starting with `/`.
    public var path: String
    /// Query parameters in the order they appeared, already percent-decoded.
    public var queryItems: [(name: String, value: String)]
    public var headers: Headers
    public var body: [UInt8]
    /// The client's IP address as text, or an empty string when unknown.
    public var remoteAddress: String
    /// Values captured by `{name}` segments of the matched route.
    public var pathParameters: [String: String] = [:]

    public init(
        method: String,
        path: String,
        queryItems: [(name: String, value: String)] = [],
        headers: Headers = Headers(),
        body: [UInt8] = [],
        remoteAddress: String = ""
    ) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The first value of a query parameter.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// The media type of the body, lower-cased and without parameters such as `charset`.
    public var mediaType: String? {
        guard let value = headers["Content-Type"] else { return nil }
        let type = value.split(separator: ";", maxSplits: 1).first ?? ""
        return type.trimmedOfSpaces().lowercased()
    }
}

/// Header fields, looked up without regard to case as HTTP requires.
public struct Headers: Sendable, Sequence {
    private var fields: [(name: String, value: String)] = []

    public init() {}

    public init(_ fields: [(String, String)]) {
        self.fields = fields.map { (name: $0.0, value: $0.1) }
    }

    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces every field of that name with one field.
    public mutating func set(_ name: String, _ value: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
        fields.append((name: name, value: value))
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmedOfSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
