import Foundation
import MicroHTTP
import SurveyCore
import SurveyStore

/// `GET /api/v1/indicators` and `GET /api/v1/indicators/recheck`: what the assessment
/// module pulls, in JSON or CSV, behind an API key with the `indicators:read` scope.
extension WebApplication {
    func installIndicatorsAPI(on router: Router) {
        router.on("GET", "/api/v1/indicators") { [self] request in
            try authorize(request, scope: Self.indicatorsScope)
            let query = try Self.indicatorQuery(request)
            return slowRead(request) { [self] in try indicators(query, request) }
        }

        router.on("GET", "/api/v1/indicators/recheck") { [self] request in
            try authorize(request, scope: Self.indicatorsScope)
            let period = try Self.period(request)
            return slowRead(request) { [self] in
                guard let result = try reports.recheck(period) else {
                    throw HTTPError(status: 404, code: "not_published", .notPublished, ["period": period.description], in: Language.negotiate(request))
                }
                return .json(result.serialized())
            }
        }
    }

    /// Computes `work` on the reader queue, off the server's threads; errors are answered
    /// as the router answers them.
    func slowRead(_ request: Request, _ work: @escaping @Sendable () throws -> Response) -> Reply {
        slowReads.reply(work) { [self] error in answer(error, to: request) }
    }

    /// The answer to an error thrown after the router let go of the request: an
    /// `HTTPError` as it says, anything else logged and answered with a bare 500.
    func answer(_ error: any Error, to request: Request) -> Response {
        if let error = error as? HTTPError { return Self.errorResponse(error, request, pages: pages) }
        logger.error("Answered 500 to \(request.method) \(request.path).", metadata: [
            "method": "\(request.method)", "path": "\(request.path)", "status": "500", "cause": "\(error)",
        ])
        return Self.errorResponse(Router.internalError, request, pages: pages)
    }

    /// The report of `query`, as JSON or CSV: published figures for a published period.
    private func indicators(_ query: IndicatorQuery, _ request: Request) throws -> Response {
        let reports = self.reports
        var computed: IndicatorReports.Computed
        do {
            computed = try reports.compute(query)
        } catch let error as IndicatorQueryError {
            throw HTTPError(status: 400, code: error.code, message: error.message(in: Language.negotiate(request)))
        }
        var source: JSON = .object([("kind", .string("live")), ("generated_at", .string(UTCTimestamp.string(millis: UTCTimestamp.nowMillis())))])
        var late: JSON?
        var publishedFlag = ""
        var method: IndicatorPolicy?
        if let (publication, published) = try reports.published(query.period) {
            // The published figures stand; what arrived since is reported beside them.
            late = Self.lateDelta(published: published, live: computed, language: Language.negotiate(request))
            computed.center = published.center
            computed.departments = published.departments.filter { entry in query.departmentCode.map { $0 == entry.code } ?? true }
            // The trend's last point is this period: show it as published, like the rest.
            if var trend = computed.trend, let last = trend.last, last.period == query.period {
                if var entry = query.departmentCode == nil ? published.center : computed.departments.first {
                    entry.rank = nil
                    trend[trend.count - 1] = (last.period, entry)
                }
                computed.trend = trend
            }
            source = .object([
                ("kind", .string("published")),
                ("published_at", .string(UTCTimestamp.string(millis: publication.publishedAtMillis))),
                ("content_hash", .string(publication.contentHash)),
            ])
            publishedFlag = UTCTimestamp.string(millis: publication.publishedAtMillis)
            method = published.policy
        }
        if Self.wantsCSV(request) {
            var response = Response(status: 200, body: reports.csv(computed, published: publishedFlag))
            response.headers.add("Content-Type", "text/csv; charset=utf-8")
            response.headers.add("Content-Disposition", "attachment; filename=\"pingjia-\(query.period.description).csv\"")
            return response
        }
        var document = reports.json(computed, source: source, method: method)
        if let late, case .object(var members) = document {
            members.append(("late", late))
            document = .object(members)
        }
        return .json(document.serialized())
    }

    /// How many slow reads (reports, 复核) are being computed right now.
    public var slowReadsInFlight: Int { slowReads.inFlight }

    /// Waits until every report and 复核 already accepted has been computed and handed to
    /// the server; shutdown calls it before stopping the server.
    public func finishSlowReads() {
        slowReads.waitUntilFinished()
    }

    /// Reports over the store with the method in force (see `LiveSettings`) and the current directory.
    public var reports: IndicatorReports {
        IndicatorReports(store: store, directory: directory, policy: settings.current.method, timeZone: store.timeZone)
    }

    static func wantsCSV(_ request: Request) -> Bool {
        if let format = request.query("format") { return format.lowercased() == "csv" }
        return request.headers["Accept"]?.lowercased().contains("text/csv") == true
    }

    static func period(_ request: Request) throws -> Period {
        let language = Language.negotiate(request)
        guard let text = request.query("period"), !text.isEmpty else {
            throw HTTPError(status: 400, code: "period_required", .periodRequired, in: language)
        }
        do {
            return try Period(parsing: text)
        } catch {
            throw HTTPError(status: 400, code: error.code, message: error.message(in: language))
        }
    }

    static func indicatorQuery(_ request: Request) throws -> IndicatorQuery {
        let language = Language.negotiate(request)
        var query = IndicatorQuery(period: try period(request))
        if let department = request.query("department"), !department.isEmpty {
            query.departmentCode = department
        }
        if let by = request.query("by"), !by.isEmpty {
            guard let breakdown = IndicatorQuery.Breakdown(rawValue: by) else {
                throw HTTPError(status: 400, code: "invalid_breakdown", .invalidBreakdown, in: language)
            }
            query.breakdown = breakdown
        }
        if let trend = request.query("trend"), !trend.isEmpty {
            guard let count = Int(trend), (1...60).contains(count) else {
                throw HTTPError(status: 400, code: "invalid_trend", .invalidTrend, in: language)
            }
            query.trend = count
        }
        if let format = request.query("format"), !["csv", "json"].contains(format.lowercased()) {
            throw HTTPError(status: 400, code: "invalid_format", .invalidFormat, in: language)
        }
        return query
    }

    /// Responses counted now but not in the publication: per department, how many more
    /// (or fewer, after a flag) there are, and what the indicator would be today.
    static func lateDelta(published: PublishedReport, live: IndicatorReports.Computed, language: Language) -> JSON {
        let publishedByCode = Dictionary(published.departments.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let changes: [JSON] = live.departments.compactMap { entry in
            let before = publishedByCode[entry.code]?.indicator.tally.responses ?? 0
            let now = entry.indicator.tally.responses
            guard before != now else { return nil }
            return .object([
                ("code", .string(entry.code)),
                ("published_n", .int(before)),
                ("live_n", .int(now)),
                ("difference", .int(now - before)),
                ("live_indicator", entry.indicator.composite.map { .double($0.publishedDouble) } ?? .null),
            ])
        }
        return .object([
            ("responses", .int(live.center.indicator.tally.responses - published.center.indicator.tally.responses)),
            ("note", .string(language[.lateNote])),
            ("departments", .array(changes)),
        ])
    }
}
