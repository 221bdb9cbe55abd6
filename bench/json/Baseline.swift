import Foundation
import SurveyCore

/// The submission decoder Pingjia used before the strict parser, kept here as the figure
/// to compare against: Foundation's `JSONDecoder` with a field-by-field `Decodable`.
struct FoundationSubmissionPayload: Decodable {
    typealias Field = SubmissionPayload.Field
    var payload = SubmissionPayload([:])

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
            if let value = try? container.decode(Double.self, forKey: key), value == value.rounded(), abs(value) < 1e6 {
                return .number(Int(value))
            }
            return .notANumber
        }
        payload.window = text("window")
        payload.attitude = score("attitude")
        payload.efficiency = score("efficiency")
        payload.result = score("result")
        payload.comment = text("comment")
        payload.channel = text("channel")
        payload.clientID = text("client_id")
        payload.serviceItem = text("service_item")
        payload.staff = text("staff")
        let reasonsKey = Key("reasons")
        if isAbsent(reasonsKey) {
            payload.reasons = .absent
        } else {
            payload.reasons = (try? container.decode([String].self, forKey: reasonsKey)).map(Field.value) ?? .wrongType
        }
    }

    static func decode(_ body: [UInt8]) -> Submission? {
        try? JSONDecoder().decode(FoundationSubmissionPayload.self, from: Data(body)).payload.submission()
    }
}
