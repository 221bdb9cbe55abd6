import Foundation
import SurveyCore

// Decodes the bodies of `POST /api/v1/responses` in a loop, with the strict parser the
// server uses and with the Foundation decoder it replaced, and prints the time per body.

let bodies: [(String, String)] = [
    ("kiosk rating (the benchmark's body)",
     #"{"window":"W07","attitude":5,"efficiency":4,"result":5,"channel":"kiosk","client_id":"bench-r0-1732700000-1-123456"}"#),
    ("full body, Chinese comment and reasons",
     #"{"window":"W01","attitude":2,"efficiency":1,"result":3,"channel":"kiosk","client_id":"8d3c1e2a-0b7f-4c55-9a11-2f3e4d5c6b7a","service_item":"SCJG-01","staff":"S0101","reasons":["等候时间长","态度不好"],"comment":"窗口人员中途离开，等了四十分钟。\n希望增加窗口。"}"#),
    ("comment with escapes",
     #"{"window":"W01","attitude":5,"efficiency":5,"result":5,"comment":"\"很好\"\n\u8c22\u8c22 \uD83D\uDE00"}"#),
]

func nanoseconds(_ body: () -> Void) -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return DispatchTime.now().uptimeNanoseconds - start
}

/// The best of `rounds` rounds of `iterations` calls, in nanoseconds per call.
func measure(rounds: Int = 7, iterations: Int, _ work: () -> Bool) -> Double {
    var best = UInt64.max
    var sink = 0
    for _ in 0..<rounds {
        best = min(best, nanoseconds {
            for _ in 0..<iterations where work() { sink &+= 1 }
        })
    }
    precondition(sink > 0, "nothing decoded")
    return Double(best) / Double(iterations)
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 200_000
print("| body | bytes | strict parser | Foundation JSONDecoder | ratio |")
print("|---|---|---|---|---|")
for (name, text) in bodies {
    let bytes = Array(text.utf8)
    let strict = measure(iterations: iterations) {
        (try? SubmissionPayload(json: bytes).submission()) != nil
    }
    let foundation = measure(iterations: iterations) {
        FoundationSubmissionPayload.decode(bytes) != nil
    }
    print("| \(name) | \(bytes.count) | \(String(format: "%.2f", strict / 1000)) µs | \(String(format: "%.2f", foundation / 1000)) µs | \(String(format: "%.1f", foundation / strict))× faster |")
}
