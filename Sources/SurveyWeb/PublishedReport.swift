import Foundation
import SurveyCore
import SurveyStore

/// A publication (公示) read back: the tallies and the policy it was computed with.
///
/// A published document carries every count and the exact policy (weight parts, bands,
/// minimum sample), so the figures it shows are recomputed from it, never from the
/// current data or the current configuration; and each recomputed figure is checked
/// against the one printed in the document. The check compares values, to the hundredth
/// that was published, and not bytes: the period's instants in the document follow the
/// zone it was published in, and another writer may print the same number otherwise.
struct PublishedReport {
    var period: Period
    var policy: IndicatorPolicy
    var center: IndicatorPresentation.Entry
    var departments: [IndicatorPresentation.Entry]

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    init(_ content: Data, period: Period) throws {
        guard case .object(let root)? = JSONInput.parse([UInt8](content)),
              case .object(let periodFields)? = root["period"],
              case .string(period.description)? = periodFields["code"],
              case .object(let method)? = root["method"],
              case .object(let parts)? = method["weight_parts"],
              case .array(let bands)? = method["bands"],
              case .integer(let minimum)? = method["minimum_sample"],
              case .array(let departments)? = root["departments"],
              let center = root["center"] else {
            throw Unreadable(description: "the publication of \(period) is not a report document")
        }
        func int(_ value: JSONInput?) throws -> Int64 {
            guard case .integer(let number)? = value else { throw Unreadable(description: "a count is missing in the publication of \(period)") }
            return number
        }
        func text(_ value: JSONInput?) -> String {
            if case .string(let string)? = value { return string }
            return ""
        }
        let weights = try IndicatorWeights(
            attitudeParts: int(parts["attitude"]), efficiencyParts: int(parts["efficiency"]), resultParts: int(parts["result"])
        )
        let gradeBands = try GradeBands(bands.map { band in
            guard case .object(let fields) = band else { throw Unreadable(description: "a band is malformed") }
            let threshold: Decimal
            switch fields["min"] {
            case .integer(let value)?: threshold = Decimal(value)
            case .number(let value)?: threshold = Decimal(string: String(value)) ?? Decimal(value)
            default: throw Unreadable(description: "a band has no minimum")
            }
            return GradeBand(code: text(fields["code"]), chineseLabel: text(fields["label"]), englishLabel: text(fields["label_en"]), threshold: threshold)
        })
        // Documents published before provenance was recorded count every response: all of
        // them were `legacy` then, which the default counts.
        var counted = Provenance.countedByDefault
        if case .array(let names)? = method["counted_provenances"] {
            counted = Set(try names.map { name in
                guard case .string(let text) = name, let provenance = Provenance(rawValue: text) else {
                    throw Unreadable(description: "an unknown provenance is counted in the publication of \(period)")
                }
                return provenance
            })
        }
        let policy = try IndicatorPolicy(weights: weights, bands: gradeBands, minimumSample: minimum, countedProvenances: counted)

        func entry(_ value: JSONInput) throws -> IndicatorPresentation.Entry {
            guard case .object(let fields) = value else { throw Unreadable(description: "an entry is malformed") }
            func counts(_ dimension: RatingDimension) throws -> LevelCounts {
                guard case .object(let summary)? = fields[dimension.rawValue], case .array(let levels)? = summary["counts"], levels.count == 5 else {
                    throw Unreadable(description: "counts are missing in the publication of \(period)")
                }
                let values = try levels.map { try int($0) }
                return LevelCounts(verySatisfied: values[4], satisfied: values[3], neutral: values[2], dissatisfied: values[1], veryDissatisfied: values[0])
            }
            let tally = try ResponseTally(
                attitude: counts(.attitude), efficiency: counts(.efficiency), result: counts(.result),
                responses: int(fields["n"]), negative: int(fields["negative_count"])
            )
            var rank: Int?
            if case .integer(let value)? = fields["rank"] { rank = Int(value) }
            let indicator = Indicator.compute(tally, policy: policy)
            let code = text(fields["code"])
            var agrees = Self.hundredths(fields["indicator"]) == indicator.composite?.publishedHundredths
                && text(fields["status"]) == indicator.status.code
                && Self.gradeCode(fields["grade"]) == indicator.grade?.code
            for summary in indicator.dimensions {
                guard case .object(let printed)? = fields[summary.dimension.rawValue] else { agrees = false; continue }
                agrees = agrees && Self.hundredths(printed["mean"]) == summary.mean?.publishedHundredths
                    && Self.hundredths(printed["score"]) == summary.score?.publishedHundredths
            }
            guard agrees else {
                throw Unreadable(description: "the figures of “\(code)” in the publication of \(period) do not follow from its counts")
            }
            // Before provenance was recorded every response was `legacy` and counted.
            var provenance: [Provenance: Int64] = [.legacy: tally.responses]
            if case .object(let counts)? = fields["provenance"] {
                provenance = [:]
                for item in Provenance.allCases { provenance[item] = try int(counts[item.rawValue] ?? .integer(0)) }
            }
            return IndicatorPresentation.Entry(code: code, name: text(fields["name"]), indicator: indicator, rank: rank, provenance: provenance)
        }
        self.period = period
        self.policy = policy
        self.center = try entry(center)
        self.departments = try departments.map(entry)
    }

    /// A published figure in hundredths, however the number was printed; nil for `null`.
    private static func hundredths(_ value: JSONInput?) -> Int64? {
        switch value {
        case .integer(let number)?: number * 100
        case .number(let number)?: Int64((number * 100).rounded())
        default: nil
        }
    }

    private static func gradeCode(_ value: JSONInput?) -> String? {
        guard case .object(let fields)? = value, case .string(let code)? = fields["code"] else { return nil }
        return code
    }
}

extension IndicatorReports {
    /// The document a publication stores: the period, the method and every department's
    /// figures with their counts. Its bytes are what the content hash covers.
    func publicationDocument(_ period: Period, center: IndicatorPresentation.Entry, departments: [IndicatorPresentation.Entry]) -> JSON {
        .object([
            ("period", periodJSON(period)),
            ("method", IndicatorPresentation.method(policy)),
            ("center", IndicatorPresentation.json(center)),
            ("departments", .array(departments.map(IndicatorPresentation.json))),
        ])
    }

    /// Freezes the period's current figures into an immutable publication.
    ///
    /// Only a period that has ended can be published: a publication never changes, and
    /// one made too early would freeze half a period as its result. A minute's margin lets
    /// group commits stamped before the end land first.
    public func publish(_ period: Period, nowMillis: Int64 = UTCTimestamp.nowMillis()) throws -> Publication {
        let end = period.endMillis(in: timeZone)
        guard nowMillis >= end + 60_000 else {
            throw IndicatorQueryError(
                code: "period_not_ended", phrase: .periodNotEnded,
                arguments: ["period": period.description, "end": UTCTimestamp.string(millis: end)]
            )
        }
        let computed = try compute(IndicatorQuery(period: period))
        let document = publicationDocument(period, center: computed.center, departments: computed.departments)
        return try store.publish(period: period, content: Data(document.serialized()))
    }

    /// The publication of a period read back, after checking that its hash matches and
    /// that recomputing it from its own counts and method gives back its published figures.
    func published(_ period: Period) throws -> (Publication, PublishedReport)? {
        guard let publication = try store.publication(period: period) else { return nil }
        // The hash first: a document that does not match it is not read at all.
        guard publication.isIntact else {
            throw PublishedReport.Unreadable(description: "the publication of \(period) does not match its content hash")
        }
        return (publication, try PublishedReport(publication.content, period: period))
    }
}
