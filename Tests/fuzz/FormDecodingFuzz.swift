// libFuzzer target: application/x-www-form-urlencoded bodies, as the survey form posts them.
//
// Checked on every input, beyond "does not crash": decoded fields, percent-encoded again
// and decoded a second time, are the same fields.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let fields = FormDecoding.fields(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let encoded = fields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    let again = FormDecoding.fields(Array(encoded.utf8))
    precondition(again?.map(\.name) == fields.map(\.name) && again?.map(\.value) == fields.map(\.value), "re-encoding changed \(fields)")
    return 0
}

private func encode(_ text: String) -> String {
    var output = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            output.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            output += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }
    }
    return output
}
