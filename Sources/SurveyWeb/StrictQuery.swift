import MicroHTTP

/// A request's query string read strictly, for the staff lists: a value that is not one of
/// those documented is 400 `invalid_filter` naming the parameter, never silently ignored
/// (an ignored filter would show rows nobody asked for).
struct StrictQuery {
    let request: Request
    let language: Language

    init(_ request: Request) {
        self.request = request
        self.language = Language.negotiate(request)
    }

    func invalid(_ name: String, _ expected: String) -> HTTPError {
        HTTPError(status: 400, code: "invalid_filter", .feedbackInvalidFilter, ["name": name, "expected": expected], in: language)
    }

    /// The parameter's value; nil when it is absent or empty.
    func value(_ name: String) -> String? {
        guard let text = request.query(name), !text.isEmpty else { return nil }
        return text
    }

    /// `true`/`1` or `false`/`0`; nil when absent.
    func flag(_ name: String) throws -> Bool? {
        guard let text = value(name) else { return nil }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw invalid(name, "true, false")
        }
    }

    /// A whole number from 1 to `maximum`; nil when absent.
    func limit(_ name: String = "limit", maximum: Int) throws -> Int? {
        guard let text = value(name) else { return nil }
        guard let limit = Int(text), (1...maximum).contains(limit) else { throw invalid(name, "1–\(maximum)") }
        return limit
    }
}
