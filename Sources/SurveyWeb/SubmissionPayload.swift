import SurveyCore

/// The body of `POST /api/v1/responses` as it arrived, field by field.
///
/// The body is parsed strictly (`JSONInput.parsing`), so a body that is not JSON is told
/// apart from well-formed JSON whose fields have the wrong type. Each field is read as the
/// type it should have, and a field of another type is kept as `wrongType` rather than
/// failing the whole document, so the error can name it. Members the API does not know are
/// ignored, so older servers accept bodies from newer clients.
struct SubmissionPayload {
    enum Field<Value: Sendable>: Sendable {
        case absent
        case value(Value)
        case wrongType
    }

    /// Why a well-formed body is not a submission.
    enum Problem: Error, Equatable {
        /// A field holds a value of another type than the API expects.
        case wrongType(field: String, expected: Expected)
        /// `window` is missing, null or empty.
        case missingWindow
    }

    /// The types a field can be expected to hold, for `Problem.wrongType`.
    enum Expected: Equatable {
        case string
        case listOfStrings
        /// An object of lists of strings keyed by `attitude`, `efficiency` and `result`.
        case reasonsByDimension
    }

    var window: Field<String>
    var attitude: ScoreInput
    var efficiency: ScoreInput
    var result: ScoreInput
    var comment: Field<String>
    var reasons: Field<[String]>
    var channel: Field<String>
    var clientID: Field<String>
    var serviceItem: Field<String>
    var staff: Field<String>
    /// `rated_at`: RFC 3339 text, or a whole number of milliseconds since 1970.
    var ratedAt: TimeInput
    /// `reasons_by_dimension`: `{"attitude": ["…"], …}`, the reasons of each question.
    var reasonsByDimension: Field<[RatingDimension: [String]]>
    var visitToken: Field<String>

    /// Reads a body; throws `JSONSyntaxError` when it is not JSON, and `NotAnObject` when
    /// it is JSON but not an object.
    init(json body: [UInt8]) throws {
        guard case .object(let members) = try JSONInput.parsing(body) else { throw NotAnObject() }
        self.init(members)
    }

    /// A JSON document other than an object where an object is required.
    struct NotAnObject: Error {}

    init(_ members: [String: JSONInput]) {
        func text(_ name: String) -> Field<String> {
            switch members[name] {
            case nil, .null?: .absent
            case .string(let value)?: .value(value)
            default: .wrongType
            }
        }
        func score(_ name: String) -> ScoreInput {
            switch members[name] {
            case nil, .null?:
                return .absent
            case .integer(let value)?:
                // Out-of-range scores are the validation's to refuse; only keep them apart from
                // numbers that are not whole.
                return Int(exactly: value).map(ScoreInput.number) ?? .notANumber
            // 4.0 is a whole number written as a decimal; 4.5, "4" and true are not scores.
            case .number(let value)? where value == value.rounded() && abs(value) < 1e6:
                return .number(Int(value))
            default:
                return .notANumber
            }
        }
        window = text("window")
        attitude = score("attitude")
        efficiency = score("efficiency")
        result = score("result")
        comment = text("comment")
        channel = text("channel")
        clientID = text("client_id")
        serviceItem = text("service_item")
        staff = text("staff")
        visitToken = text("visit_token")
        func strings(_ value: JSONInput?) -> Field<[String]> {
            switch value {
            case nil, .null?:
                return .absent
            case .array(let items)?:
                var strings: [String] = []
                strings.reserveCapacity(items.count)
                for item in items {
                    guard case .string(let reason) = item else { break }
                    strings.append(reason)
                }
                return strings.count == items.count ? .value(strings) : .wrongType
            default:
                return .wrongType
            }
        }
        reasons = strings(members["reasons"])
        switch members["rated_at"] {
        case nil, .null?: ratedAt = .absent
        case .string(let text)?: ratedAt = UTCTimestamp.millis(parsing: text).map(TimeInput.millis) ?? .unreadable
        case .integer(let value)?: ratedAt = Int64(exactly: value).map(TimeInput.millis) ?? .unreadable
        default: ratedAt = .unreadable
        }
        switch members["reasons_by_dimension"] {
        case nil, .null?:
            reasonsByDimension = .absent
        case .object(let byName)?:
            var lists: [RatingDimension: [String]] = [:]
            var wrong = false
            for (name, value) in byName {
                guard let dimension = RatingDimension(rawValue: name), case .value(let list) = strings(value) else { wrong = true; break }
                lists[dimension] = list
            }
            reasonsByDimension = wrong ? .wrongType : .value(lists)
        default:
            reasonsByDimension = .wrongType
        }
    }

    /// The submission the body describes; `clientID` stays nil when the body has none.
    func submission() throws(Problem) -> Submission {
        func text(_ field: Field<String>, _ name: String) throws(Problem) -> String? {
            switch field {
            case .absent: return nil
            case .value(let value): return value
            case .wrongType: throw .wrongType(field: name, expected: .string)
            }
        }
        var reasonList: [String] = []
        switch reasons {
        case .absent: break
        case .value(let values): reasonList = values
        case .wrongType: throw .wrongType(field: "reasons", expected: .listOfStrings)
        }
        var byDimension: [RatingDimension: [String]] = [:]
        switch reasonsByDimension {
        case .absent: break
        case .value(let lists): byDimension = lists
        case .wrongType: throw .wrongType(field: "reasons_by_dimension", expected: .reasonsByDimension)
        }
        let visitToken = try text(self.visitToken, "visit_token")
        // A rating of a visit may leave the window out: the visit names it.
        let windowCode = try text(window, "window") ?? ""
        guard !windowCode.isEmpty || visitToken != nil else { throw .missingWindow }
        var submission = Submission(
            windowCode: windowCode,
            attitude: attitude,
            efficiency: efficiency,
            result: result,
            comment: try text(comment, "comment"),
            reasons: reasonList,
            channel: try text(channel, "channel"),
            clientID: try text(clientID, "client_id"),
            serviceItemCode: try text(serviceItem, "service_item"),
            staffCode: try text(staff, "staff")
        )
        submission.reasonsByDimension = byDimension
        submission.ratedAt = ratedAt
        submission.visitToken = visitToken
        return submission
    }
}
