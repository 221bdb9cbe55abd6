import SurveyCore

// libFuzzer target: the body of POST /api/v1/responses, through the strict JSON parser,
// the submission payload and the domain's validation (which cleans the text).
//
// Checked on every input, beyond "does not crash" (ASan catches out-of-bounds reads):
// - an error's offset lies within the input;
// - a parsed value written back as JSON parses to the same value;
// - cleaning text twice gives what cleaning once gave;
// - a comment that validation accepts is within the limit in characters.

private let directory = Directory(
    departments: [Department(id: 1, code: "SCJG", name: "市场监管科")],
    windows: [ServiceWindow(id: 10, code: "W01", name: "1号窗口", departmentID: 1)],
    items: [ServiceItem(id: 5, code: "SCJG-01", name: "营业执照", departmentID: 1)],
    staff: [StaffMember(id: 7, code: "S0101", name: "王芳", departmentID: 1)]
)
private let policy = SurveyPolicy(commentMaxLength: 40, reasonMaxLength: 10, maxReasons: 3)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONSubmission(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let value: JSONInput
    do {
        value = try JSONInput.parsing(bytes)
    } catch {
        precondition(error.offset >= 0 && error.offset <= size, "offset \(error.offset) outside \(size) bytes")
        return 0
    }
    let written = write(value)
    precondition((try? JSONInput.parsing(written)) == value, "round trip changed \(value)")

    guard case .object(let members) = value else { return 0 }
    guard var submission = try? SubmissionPayload(members).submission() else { return 0 }
    for text in [submission.comment, submission.windowCode, submission.channel].compactMap({ $0 }) + submission.reasons {
        let once = TextNormalization.normalized(text)
        precondition(TextNormalization.normalized(once) == once, "cleaning is not idempotent for \(Array(text.unicodeScalars))")
    }
    submission.clientID = submission.clientID ?? "fuzz-client-0001"
    if let valid = try? submission.validated(in: directory, policy: policy) {
        precondition((valid.comment?.count ?? 0) <= policy.commentMaxLength)
        precondition(valid.reasons.count <= policy.maxReasons)
    }
    return 0
}

private let hexDigits = Array("0123456789abcdef".utf8)

/// `value` as JSON text, numbers in Swift's shortest round-trip form.
private func write(_ value: JSONInput) -> [UInt8] {
    var output: [UInt8] = []
    func string(_ text: String) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0xF)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
    func element(_ value: JSONInput) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): output.append(contentsOf: String(number).utf8)
        case .number(let number):
            // "5.0", "1e-05", "1.5e+300": always with a point or an exponent, so it stays a `number`.
            let text = "\(number)"
            output.append(contentsOf: (text.contains(".") || text.contains("e") ? text : text + ".0").utf8)
        case .string(let text): string(text)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element(item)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, (key, item)) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                string(key)
                output.append(UInt8(ascii: ":"))
                element(item)
            }
            output.append(UInt8(ascii: "}"))
        }
    }
    element(value)
    return output
}
