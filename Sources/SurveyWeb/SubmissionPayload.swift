import SurveyCore

/// The body of `POST /api/v1/responses` as it arrived, field by field.
///
/// Each field is read as the type it should have, and a field of another type is kept
/// as `wrongType` rather than failing the whole document, so the error can name it. The
/// usual, well-formed body decodes without a single thrown error, which matters on the
/// path every rating takes.
struct SubmissionPayload: Decodable {
    enum Field<Value: Sendable>: Sendable {
        case absent
        case value(Value)
        case wrongType
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

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func isAbsent(_ key: Key) -> Bool {
            !container.contains(key) || (try? container.decodeNil(forKey: key)) == true
        }
        func text(_ name: String) -> Field<String> {
            let key = Key(name)
            if isAbsent(key) { return .absent }
            return (try? container.decode(String.self, forKey: key)).map(Field.value) ?? .wrongType
        }
        func score(_ name: String) -> ScoreInput {
            let key = Key(name)
            if isAbsent(key) { return .absent }
            if let value = try? container.decode(Int.self, forKey: key) { return .number(value) }
            // 4.0 is a whole number written as a decimal; 4.5, "4" and true are not scores.
            if let value = try? container.decode(Double.self, forKey: key), value == value.rounded(), abs(value) < 1e6 {
                return .number(Int(value))
            }
            return .notANumber
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
        let reasonsKey = Key("reasons")
        if isAbsent(reasonsKey) {
            reasons = .absent
        } else {
            reasons = (try? container.decode([String].self, forKey: reasonsKey)).map(Field.value) ?? .wrongType
        }
    }
}
