import Foundation
import SurveyCore
import SurveyStore

/// What a report asks for: a period, optionally one department, a breakdown within it and
/// a trend of preceding periods.
public struct IndicatorQuery: Sendable {
    public enum Breakdown: String, Sendable, CaseIterable {
        case window
        case staff
        case item
    }

    public var period: Period
    public var departmentCode: String?
    public var breakdown: Breakdown?
    public var trend: Int?

    public init(period: Period, departmentCode: String? = nil, breakdown: Breakdown? = nil, trend: Int? = nil) {
        self.period = period
        self.departmentCode = departmentCode
        self.breakdown = breakdown
        self.trend = trend
    }
}

/// A query the center's data cannot answer, said for the person who sent it.
public struct IndicatorQueryError: Error, Sendable, CustomStringConvertible {
    public var code: String
    let phrase: Phrase
    var arguments: [String: String] = [:]

    func message(in language: Language) -> String { language[phrase, arguments] }

    /// The message in the center's language, for the command line.
    public var message: String { message(in: .zh) }
    public var description: String { message }
}

/// Builds indicator reports from the store's tallies: the one place the API, the CSV
/// export, the CLI and publication get their numbers from.
public struct IndicatorReports: Sendable {
    let store: SurveyStore
    let directory: Directory
    let policy: IndicatorPolicy
    let timeZone: TimeZone
    /// Called between two reads of one report; tests commit responses there to show that
    /// the report does not see them.
    var betweenReads: @Sendable () -> Void = {}

    public init(store: SurveyStore, directory: Directory, policy: IndicatorPolicy, timeZone: TimeZone) {
        self.store = store
        self.directory = directory
        self.policy = policy
        self.timeZone = timeZone
    }

    /// The computed parts of a report, before they are written as JSON or CSV.
    struct Computed {
        var query: IndicatorQuery
        var center: IndicatorPresentation.Entry
        var departments: [IndicatorPresentation.Entry]
        var breakdown: [IndicatorPresentation.Entry]?
        var trend: [(period: Period, entry: IndicatorPresentation.Entry)]?
        /// The 差评 case figures of the period, always live, by department code and for the
        /// center (`CaseFigures.centerKey`).
        var cases: [String: CaseIndicators] = [:]
        /// The visit facts of the period, live, by `VisitFigures` key.
        var visits: [String: VisitFacts] = [:]
    }

    func department(for query: IndicatorQuery) throws -> Department? {
        guard let code = query.departmentCode else {
            if query.breakdown == .staff || query.breakdown == .item {
                throw IndicatorQueryError(code: "department_required", phrase: .departmentRequired, arguments: ["by": query.breakdown!.rawValue])
            }
            return nil
        }
        guard let department = directory.departments.first(where: { $0.code == code }) else {
            throw IndicatorQueryError(code: "unknown_department", phrase: .unknownDepartment, arguments: ["code": code])
        }
        return department
    }

    /// The report of `query`, every part of it read at the same moment.
    func compute(_ query: IndicatorQuery) throws -> Computed {
        let department = try self.department(for: query)
        var computed = try store.snapshot { reads in try compute(query, department: department, from: reads) }
        computed.cases = try CaseFigures.compute(store: store, period: query.period)
        computed.visits = try VisitFigures.compute(store: store, directory: directory, query: query, department: department)
        return computed
    }

    private func compute(_ query: IndicatorQuery, department: Department?, from reads: TallySnapshot) throws -> Computed {
        let byDepartment = try reads.provenanceTallies(query.period, by: .department)
        // The center is its departments pooled, from the same read: the two always agree.
        let centerTally = byDepartment.values.reduce(ProvenanceTally.zero, +)
        let center = entry(code: "center", name: "全中心", centerTally)

        // A deactivated department is reported for the periods it has responses in.
        let reported = directory.departments.filter { $0.active || byDepartment[.department(id: $0.id)] != nil }
        var departments = Self.ranked(reported.map { item in
            entry(code: item.code, name: item.name, byDepartment[.department(id: item.id)] ?? .zero)
        })
        if let department { departments = departments.filter { $0.code == department.code } }

        betweenReads()
        var breakdown: [IndicatorPresentation.Entry]?
        if let by = query.breakdown {
            breakdown = try self.breakdown(by, period: query.period, department: department, from: reads)
        }

        betweenReads()
        var trend: [(Period, IndicatorPresentation.Entry)]?
        if let count = query.trend {
            let periods = query.period.trend(count: count)
            let grouping: TallyGrouping = department == nil ? .center : .department
            let series = try reads.trendProvenanceTallies(periods, by: grouping)
            trend = zip(periods, series).map { period, tallies in
                let tally = department.map { tallies[.department(id: $0.id)] ?? .zero } ?? (tallies[.center] ?? .zero)
                return (period, entry(code: department?.code ?? "center", name: department?.name ?? "全中心", tally))
            }
        }
        return Computed(query: query, center: center, departments: departments, breakdown: breakdown, trend: trend)
    }

    /// An unranked entry: the indicator of the provenances the policy counts, and the
    /// count of every provenance.
    private func entry(code: String, name: String, _ tally: ProvenanceTally) -> IndicatorPresentation.Entry {
        IndicatorPresentation.Entry(
            code: code, name: name, indicator: Indicator.compute(tally.counted(policy.countedProvenances), policy: policy),
            rank: nil, provenance: tally.counts
        )
    }

    private func breakdown(
        _ by: IndicatorQuery.Breakdown, period: Period, department: Department?, from reads: TallySnapshot
    ) throws -> [IndicatorPresentation.Entry] {
        switch by {
        case .window:
            let tallies = try reads.provenanceTallies(period, by: .window(departmentID: department?.id))
            // A window moved away keeps its responses here under this department, so it is
            // listed wherever it has them, and where it is now.
            let windows = directory.windows.filter { window in
                department.map { window.departmentID == $0.id } ?? true ? window.active || tallies[.window(id: window.id)] != nil
                    : tallies[.window(id: window.id)] != nil
            }
            return entries(windows.map { ($0.code, $0.name, TallyGroup.window(id: $0.id)) }, tallies: tallies, unnamed: nil)
        case .staff:
            let department = department!
            let tallies = try reads.provenanceTallies(period, by: .staff(departmentID: department.id))
            let staff = directory.staff.filter { member in
                tallies[.staff(id: member.id)] != nil || (member.departmentID == department.id && member.active)
            }.map { ($0.code, $0.name, TallyGroup.staff(id: $0.id)) }
            return entries(staff, tallies: tallies, unnamed: (.staff(id: nil), "未指定人员"))
        case .item:
            let department = department!
            let tallies = try reads.provenanceTallies(period, by: .item(departmentID: department.id))
            let items = directory.items.filter { item in
                tallies[.item(id: item.id)] != nil || (item.departmentID == department.id && item.active)
            }.map { ($0.code, $0.name, TallyGroup.item(id: $0.id)) }
            return entries(items, tallies: tallies, unnamed: (.item(id: nil), "未指定事项"))
        }
    }

    /// Ranked entries for the named groups, then, if any response named none of them, an
    /// unranked entry for those.
    private func entries(
        _ groups: [(code: String, name: String, group: TallyGroup)],
        tallies: [TallyGroup: ProvenanceTally],
        unnamed: (group: TallyGroup, name: String)?
    ) -> [IndicatorPresentation.Entry] {
        var entries = Self.ranked(groups.map { code, name, group in entry(code: code, name: name, tallies[group] ?? .zero) })
        if let unnamed, let tally = tallies[unnamed.group] {
            entries.append(entry(code: "", name: unnamed.name, tally))
        }
        return entries
    }

    /// Orders entries by published indicator, highest first, and numbers them with
    /// competition ranking (1, 2, 2, 4). Entries without an indicator come last, unranked.
    static func ranked(_ entries: [IndicatorPresentation.Entry]) -> [IndicatorPresentation.Entry] {
        let scored = entries.filter { $0.indicator.composite != nil }
            .sorted { ($0.indicator.composite!.publishedHundredths, $1.code) > ($1.indicator.composite!.publishedHundredths, $0.code) }
        var ranked: [IndicatorPresentation.Entry] = []
        for (index, var entry) in scored.enumerated() {
            if let previous = ranked.last, previous.indicator.composite!.publishedHundredths == entry.indicator.composite!.publishedHundredths {
                entry.rank = previous.rank
            } else {
                entry.rank = index + 1
            }
            ranked.append(entry)
        }
        return ranked + entries.filter { $0.indicator.composite == nil }
    }

    // MARK: Writing

    func periodJSON(_ period: Period) -> JSON {
        .object([
            ("code", .string(period.description)),
            ("kind", .string(Self.kindName(period))),
            ("first_day", .string(period.firstDay.description)),
            ("last_day", .string(period.lastDay.description)),
            ("start", .string(UTCTimestamp.string(millis: period.startMillis(in: timeZone)))),
            ("end", .string(UTCTimestamp.string(millis: period.endMillis(in: timeZone)))),
            ("time_zone", .string(timeZone.identifier)),
        ])
    }

    static func kindName(_ period: Period) -> String {
        switch period.kind {
        case .month: "month"
        case .quarter: "quarter"
        case .half: "half"
        case .year: "year"
        case .days: "range"
        }
    }

    /// - Parameter method: the policy the figures were computed with; a publication's
    ///   own, for a published period.
    func json(_ computed: Computed, source: JSON, method: IndicatorPolicy? = nil) -> JSON {
        var members: [(String, JSON)] = [
            ("period", periodJSON(computed.query.period)),
            ("source", source),
            ("method", IndicatorPresentation.method(method ?? policy)),
            ("center", VisitFigures.adding(computed.visits[VisitFigures.centerKey],
                to: CaseFigures.adding(computed.cases[CaseFigures.centerKey], to: IndicatorPresentation.json(computed.center)))),
            ("departments", .array(computed.departments.map { entry in
                VisitFigures.adding(computed.visits[VisitFigures.departmentKey(entry.code)],
                    to: CaseFigures.adding(computed.cases[entry.code] ?? .zero, to: IndicatorPresentation.json(entry)))
            })),
        ]
        if let breakdown = computed.breakdown, let by = computed.query.breakdown {
            members.append(("breakdown", .object([
                ("by", .string(by.rawValue)),
                ("department", .optional(computed.query.departmentCode)),
                ("entries", .array(breakdown.map { entry in
                    VisitFigures.adding(computed.visits[VisitFigures.breakdownKey(by, entry.code)], to: IndicatorPresentation.json(entry))
                })),
            ])))
        }
        if let trend = computed.trend {
            members.append(("trend", .array(trend.map { period, entry in
                .object([("period", periodJSON(period)), ("entry", IndicatorPresentation.json(entry))])
            })))
        }
        return .object(members)
    }

    func csv(_ computed: Computed, published: String) -> [UInt8] {
        let period = computed.query.period
        let start = UTCTimestamp.string(millis: period.startMillis(in: timeZone))
        let end = UTCTimestamp.string(millis: period.endMillis(in: timeZone))
        // Only the center and department rows come from a publication; breakdowns and
        // trends are always live, so their `published` column stays empty.
        func context(_ period: Period, _ level: String, _ department: String) -> [String] {
            [period.description, UTCTimestamp.string(millis: period.startMillis(in: timeZone)),
             UTCTimestamp.string(millis: period.endMillis(in: timeZone)), level == "department" ? published : "", level, department]
        }
        // The case columns come last and are filled for the center and department rows.
        // The visit columns follow the case columns, filled where the row has visits.
        var rows = [IndicatorPresentation.csvHeader + CaseFigures.csvHeader + VisitFigures.csvHeader]
        rows.append(IndicatorPresentation.csvRow(computed.center, context: [period.description, start, end, published, "center", ""])
            + CaseFigures.csvColumns(computed.cases[CaseFigures.centerKey]) + VisitFigures.csvColumns(computed.visits[VisitFigures.centerKey]))
        for entry in computed.departments {
            rows.append(IndicatorPresentation.csvRow(entry, context: context(period, "department", entry.code))
                + CaseFigures.csvColumns(computed.cases[entry.code] ?? .zero)
                + VisitFigures.csvColumns(computed.visits[VisitFigures.departmentKey(entry.code)]))
        }
        if let breakdown = computed.breakdown, let by = computed.query.breakdown {
            for entry in breakdown {
                rows.append(IndicatorPresentation.csvRow(entry, context: context(period, by.rawValue, computed.query.departmentCode ?? ""))
                    + CaseFigures.csvColumns(nil) + VisitFigures.csvColumns(computed.visits[VisitFigures.breakdownKey(by, entry.code)]))
            }
        }
        if let trend = computed.trend {
            for (trendPeriod, entry) in trend {
                rows.append(IndicatorPresentation.csvRow(entry, context: context(trendPeriod, "trend", computed.query.departmentCode ?? ""))
                    + CaseFigures.csvColumns(nil) + VisitFigures.csvColumns(nil))
            }
        }
        return IndicatorPresentation.csv(rows)
    }
}

extension IndicatorReports {
    /// 复核: recomputes a published period from the raw responses that existed when it was
    /// published, with their statuses as they are now, and says whether it still matches.
    public func recheck(_ period: Period) throws -> JSON? {
        try store.snapshot { reads in try recheck(period, from: reads) }
    }

    private func recheck(_ period: Period, from reads: TallySnapshot) throws -> JSON? {
        guard let publication = try reads.publication(period: period) else { return nil }
        guard publication.isIntact else {
            // A publication whose bytes no longer match their hash is reported, not read.
            return .object([
                ("period", periodJSON(period)),
                ("published_at", .string(UTCTimestamp.string(millis: publication.publishedAtMillis))),
                ("content_hash", .string(publication.contentHash)),
                ("intact", .bool(false)),
                ("matches", .bool(false)),
                ("differences", .array([])),
            ])
        }
        let report = try PublishedReport(publication.content, period: period)
        let cutoff = publication.publishedAtMillis
        // Counted as the publication counted, whatever the configuration says today.
        let counted = report.policy.countedProvenances
        let byDepartment = try reads.recomputedTallies(period, by: .department, storedAtOrBefore: cutoff, counting: counted)
        betweenReads()
        let center = try reads.recomputedTallies(period, by: .center, storedAtOrBefore: cutoff, counting: counted)[.center] ?? .zero
        var differences: [JSON] = []
        func compare(_ code: String, _ published: IndicatorPresentation.Entry?, _ tally: ResponseTally) {
            let publishedTally = published?.indicator.tally ?? .zero
            guard publishedTally != tally else { return }
            let recomputed = Indicator.compute(tally, policy: report.policy)
            differences.append(.object([
                ("code", .string(code)),
                ("published_n", .int(publishedTally.responses)),
                ("recomputed_n", .int(tally.responses)),
                ("published_indicator", published?.indicator.composite.map { .double($0.publishedDouble) } ?? .null),
                ("recomputed_indicator", recomputed.composite.map { .double($0.publishedDouble) } ?? .null),
            ]))
        }
        compare("center", report.center, center)
        for department in directory.departments {
            compare(department.code, report.departments.first { $0.code == department.code }, byDepartment[.department(id: department.id)] ?? .zero)
        }
        return .object([
            ("period", periodJSON(period)),
            ("published_at", .string(UTCTimestamp.string(millis: publication.publishedAtMillis))),
            ("content_hash", .string(publication.contentHash)),
            ("intact", .bool(publication.isIntact)),
            ("matches", .bool(publication.isIntact && differences.isEmpty)),
            ("differences", .array(differences)),
        ])
    }
}

extension IndicatorReports {
    /// The report as the API's JSON document, for the command line.
    public func jsonText(_ query: IndicatorQuery) throws -> String {
        let computed = try compute(query)
        return json(computed, source: .object([("kind", .string("live"))])).text
    }

    /// The report as the API's CSV, for the command line.
    public func csvText(_ query: IndicatorQuery) throws -> String {
        String(decoding: csv(try compute(query), published: ""), as: UTF8.self)
    }

    /// A table for people at a terminal: one line per entry.
    public func table(_ query: IndicatorQuery) throws -> String {
        let computed = try compute(query)
        func line(_ entry: IndicatorPresentation.Entry, cases: CaseIndicators?) -> String {
            let indicator = entry.indicator
            let scores = indicator.dimensions.map { $0.score?.description ?? "-" }
            let grade = indicator.grade?.chineseLabel ?? indicator.status.chineseLabel
            let rank = entry.rank.map { "#\($0)" } ?? ""
            return [rank, entry.code, entry.name, String(indicator.tally.responses), scores.joined(separator: " / "),
                    indicator.composite?.description ?? "-", grade,
                    indicator.negativeRate.percent.map { "\($0)%" } ?? "-"].joined(separator: "\t")
                + (cases.map { "\t" + CaseFigures.tableColumns($0) } ?? "")
        }
        var lines = [
            "\(computed.query.period) (\(timeZone.identifier))",
            "rank\tcode\tname\tn\t态度 / 效率 / 结果\tindicator\tgrade\t差评率\t" + CaseFigures.tableHeader,
            line(computed.center, cases: computed.cases[CaseFigures.centerKey] ?? .zero),
        ]
        lines += computed.departments.map { line($0, cases: computed.cases[$0.code] ?? .zero) }
        if let breakdown = computed.breakdown {
            lines.append("— by \(computed.query.breakdown!.rawValue)")
            lines += breakdown.map { line($0, cases: nil) }
        }
        if let trend = computed.trend {
            lines.append("— trend")
            lines += trend.map { "\($0.period)\t" + line($0.entry, cases: nil) }
        }
        return lines.joined(separator: "\n")
    }
}
