import Foundation
import SurveyCore

/// How indicators are written for the assessment module: JSON members and CSV columns.
///
/// Every figure that is published (mean, score, indicator) is the value rounded once to
/// two decimals, half up, as docs/indicator.md defines; shares and interval bounds are
/// given unrounded. The counts are always included, so a consumer can recompute all of it.
enum IndicatorPresentation {
    /// One row of a report: the center, a department, a window, a staff member or an item.
    struct Entry: Sendable {
        var code: String
        var name: String
        var indicator: Indicator
        var rank: Int?
        /// Every stored valid response by provenance, counted or not (`n` is the counted ones).
        var provenance: [Provenance: Int64] = [:]
    }

    static func json(_ entry: Entry) -> JSON {
        let indicator = entry.indicator
        var members: [(String, JSON)] = [
            ("code", .string(entry.code)),
            ("name", .string(entry.name)),
        ]
        if let rank = entry.rank { members.append(("rank", .int(rank))) }
        members.append(("n", .int(indicator.tally.responses)))
        for summary in indicator.dimensions {
            members.append((summary.dimension.rawValue, json(summary)))
        }
        members += [
            ("indicator", figure(indicator.composite)),
            ("grade", indicator.grade.map { .object([("code", .string($0.code)), ("label", .string($0.chineseLabel)), ("label_en", .string($0.englishLabel))]) } ?? .null),
            ("status", .string(indicator.status.code)),
            ("status_label", .string("\(indicator.status.chineseLabel) / \(indicator.status.englishLabel)")),
            ("negative_count", .int(indicator.negativeRate.count)),
            ("negative_rate", share(indicator.negativeRate)),
            ("provenance", provenanceJSON(entry.provenance)),
        ]
        return .object(members)
    }

    // MARK: Provenance

    /// `{"visit": 0, "device": 0, "window_qr": 12, "api": 0, "unverified": 3, "legacy": 0}`:
    /// every provenance, always, so a consumer never has to guess a missing key.
    static func provenanceJSON(_ counts: [Provenance: Int64]) -> JSON {
        .object(Provenance.allCases.map { ($0.rawValue, .int(counts[$0] ?? 0)) })
    }

    /// The provenances a policy counts, in the order of `Provenance.allCases`.
    static func countedJSON(_ policy: IndicatorPolicy) -> JSON {
        .array(Provenance.allCases.filter(policy.countedProvenances.contains).map { .string($0.rawValue) })
    }

    static let provenanceCSVHeader = Provenance.allCases.map { "provenance_\($0.rawValue)" }

    static func provenanceCSVColumns(_ counts: [Provenance: Int64]) -> [String] {
        Provenance.allCases.map { String(counts[$0] ?? 0) }
    }

    static func json(_ summary: DimensionSummary) -> JSON {
        let counts = Level.allCases.map { JSON.int(summary.counts[$0]) }
        return .object([
            ("counts", .array(counts)),
            ("n", .int(summary.n)),
            ("mean", figure(summary.mean)),
            ("score", figure(summary.score)),
            ("satisfied_share", share(summary.satisfied)),
            ("dissatisfied_share", share(summary.dissatisfied)),
            ("satisfied_ci", summary.satisfiedInterval.map { .array([.double($0.lower), .double($0.upper)]) } ?? .null),
        ])
    }

    static func method(_ policy: IndicatorPolicy) -> JSON {
        .object([
            ("weights", .object(RatingDimension.allCases.map { ($0.rawValue, .double(Double(policy.weights.parts(of: $0)) / Double(policy.weights.totalParts))) })),
            ("weight_parts", .object(RatingDimension.allCases.map { ($0.rawValue, .int(policy.weights.parts(of: $0))) })),
            ("bands", .array(policy.bands.bands.map { band in
                .object([
                    ("code", .string(band.code)), ("label", .string(band.chineseLabel)), ("label_en", .string(band.englishLabel)),
                    ("min", .double(NSDecimalNumber(decimal: band.threshold).doubleValue)),
                ])
            })),
            ("minimum_sample", .int(policy.minimumSample)),
            ("counted_provenances", countedJSON(policy)),
            ("score", .string("(mean - 1) / 4 * 100 per dimension; indicator = sum of weight * score")),
            ("rounding", .string("published figures are rounded once to 2 decimals, half up; the grade is read from the published indicator")),
            ("confidence", .string("Wilson score interval, 95%, for the satisfied (top-2) share")),
        ])
    }

    private static func figure(_ figure: Figure?) -> JSON {
        figure.map { .double($0.publishedDouble) } ?? .null
    }

    private static func share(_ proportion: Proportion) -> JSON {
        proportion.value.map(JSON.double) ?? .null
    }

    // MARK: CSV

    static let csvHeader: [String] = {
        var columns = ["period", "start", "end", "published", "level", "department", "code", "name", "rank", "n"]
        for dimension in RatingDimension.allCases {
            let prefix = dimension.rawValue
            columns += (1...5).map { "\(prefix)_count_\($0)" }
            columns += ["\(prefix)_mean", "\(prefix)_score", "\(prefix)_satisfied_share", "\(prefix)_dissatisfied_share", "\(prefix)_ci_low", "\(prefix)_ci_high"]
        }
        columns += ["indicator", "grade", "status", "negative_count", "negative_rate"]
        return columns + provenanceCSVHeader
    }()

    /// One CSV row; `context` holds the leading columns (period … department).
    static func csvRow(_ entry: Entry, context: [String]) -> [String] {
        let indicator = entry.indicator
        var row = context + [entry.code, entry.name, entry.rank.map(String.init) ?? "", String(indicator.tally.responses)]
        for summary in indicator.dimensions {
            row += Level.allCases.map { String(summary.counts[$0]) }
            row += [
                summary.mean?.description ?? "", summary.score?.description ?? "",
                summary.satisfied.value.map { String($0) } ?? "", summary.dissatisfied.value.map { String($0) } ?? "",
                summary.satisfiedInterval.map { String($0.lower) } ?? "", summary.satisfiedInterval.map { String($0.upper) } ?? "",
            ]
        }
        row += [
            indicator.composite?.description ?? "", indicator.grade?.chineseLabel ?? "", indicator.status.code,
            String(indicator.negativeRate.count), indicator.negativeRate.value.map { String($0) } ?? "",
        ]
        return row + provenanceCSVColumns(entry.provenance)
    }

    /// RFC 4180 text with a UTF-8 byte order mark, which Excel needs to read Chinese correctly.
    static func csv(_ rows: [[String]]) -> [UInt8] {
        Array(("\u{FEFF}" + csvLines(rows)).utf8)
    }

    /// Rows as CSV lines (CRLF after each), without the byte order mark.
    static func csvLines(_ rows: [[String]]) -> String {
        var text = ""
        for row in rows {
            text += row.map(csvField).joined(separator: ",") + "\r\n"
        }
        return text
    }

    static func csvField(_ value: String) -> String {
        var value = value
        // A leading =, +, - or @ would make a spreadsheet evaluate the cell as a formula.
        if let first = value.first, "=+-@\t\r".contains(first), Double(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
