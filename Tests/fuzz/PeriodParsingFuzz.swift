import Foundation
import SurveyCore

// libFuzzer target: period text as the API and the command line accept it.
//
// Checked on every input that parses, beyond "does not crash": the period's canonical text
// parses back to the same period, its days are in order, and its instants tile.

/// The center's zone; the instants must tile in it (and in any other).
private let shanghai = TimeZone(identifier: "Asia/Shanghai")!

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeriodParsing(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let period = try? Period(parsing: text) else { return 0 }
    precondition((try? Period(parsing: period.description)) == period, "\(period) does not read back")
    precondition(period.firstDay <= period.lastDay && period.dayCount >= 1)
    precondition(period.startMillis(in: shanghai) < period.endMillis(in: shanghai))
    return 0
}
