import Foundation

extension Period: LosslessStringConvertible {
    /// The period written as `text`: `2026-11`, `2026-Q4`, `2026-H2`, `2026`,
    /// `2026-10-01..2026-10-15` (both dates included) or a single date `2026-10-01`.
    ///
    /// Years have four digits and months two, so every accepted text has one meaning.
    /// Surrounding spaces, lower-case `q`/`h` and full-width characters (as a Chinese input
    /// method may type them) are accepted; `description` gives the canonical form.
    public init(parsing text: String) throws(PeriodError) {
        // NFKC folds full-width digits, letters and hyphens to ASCII.
        let given = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !given.isEmpty else { throw .empty }
        let upper = given.uppercased()

        if upper.contains("..") {
            let ends = upper.components(separatedBy: "..")
            guard ends.count == 2 else { throw .unrecognized(given) }
            let first = try Self.day(ends[0].trimmingCharacters(in: .whitespaces), in: given)
            let last = try Self.day(ends[1].trimmingCharacters(in: .whitespaces), in: given)
            guard first <= last else { throw .reversedRange(given) }
            self = try .days(from: first, through: last)
            return
        }

        let fields = upper.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let yearText = fields.first, let year = Self.number(yearText, digits: 4) else {
            throw .unrecognized(given)
        }
        guard LocalDay.supportedYears.contains(year) else { throw .yearOutOfRange(given) }
        switch fields.count {
        case 1:
            self = try .year(year)
        case 2:
            let field = fields[1]
            if field.hasPrefix("Q"), let quarter = Self.number(field.dropFirst(), digits: nil) {
                guard (1...4).contains(quarter) else { throw .quarterOutOfRange(given) }
                self = try .quarter(year: year, quarter: quarter)
            } else if field.hasPrefix("H"), let half = Self.number(field.dropFirst(), digits: nil) {
                guard (1...2).contains(half) else { throw .halfOutOfRange(given) }
                self = try .half(year: year, half: half)
            } else if let month = Self.number(field, digits: 2) {
                guard (1...12).contains(month) else { throw .monthOutOfRange(given) }
                self = try .month(year: year, month: month)
            } else {
                throw .unrecognized(given)
            }
        case 3:
            let day = try Self.day(upper, in: given)
            self = try .days(from: day, through: day)
        default:
            throw .unrecognized(given)
        }
    }

    /// The period written as `description`, or nil when it is not one; use
    /// `init(parsing:)` to learn why.
    public init?(_ description: String) {
        guard let period = try? Period(parsing: description) else { return nil }
        self = period
    }

    /// A `YYYY-MM-DD` date; `whole` is the full text, for error messages.
    private static func day(_ text: String, in whole: String) throws(PeriodError) -> LocalDay {
        let fields = text.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count == 3,
              let year = number(fields[0], digits: 4),
              let month = number(fields[1], digits: 2),
              let day = number(fields[2], digits: 2) else {
            throw .unrecognized(whole)
        }
        guard LocalDay.supportedYears.contains(year) else { throw .yearOutOfRange(whole) }
        guard let date = LocalDay(year: year, month: month, day: day) else { throw .invalidDate(text) }
        return date
    }

    /// The value of `text` when it is all ASCII digits, exactly `digits` of them if given.
    private static func number(_ text: some StringProtocol, digits: Int?) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        if let digits, text.utf8.count != digits { return nil }
        return Int(text)
    }
}
