import MicroHTTP
import SurveyCore
import SurveyStore

/// The query string of `GET /api/v1/feedback`, read strictly: a value that is not one of
/// those documented is 400 naming the parameter, never silently ignored (an ignored
/// filter would show a reviewer rows they did not ask for).
struct FeedbackListQuery {
    var filter = FeedbackFilter()
    var cursor: FeedbackCursor?
    var limit = 50
}

extension WebApplication {
    static func feedbackQuery(_ request: Request) throws -> FeedbackListQuery {
        let strict = StrictQuery(request)
        let language = strict.language
        let invalid = strict.invalid, value = strict.value, flag = strict.flag
        var query = FeedbackListQuery()
        if value("period") != nil { query.filter.period = try period(request) }
        query.filter.departmentCode = value("department")
        query.filter.windowCode = value("window")
        query.filter.staffCode = value("staff")
        query.filter.serviceItemCode = value("service_item")
        if let text = value("channel") {
            guard let channel = Channel(rawValue: text) else { throw invalid("channel", "kiosk, qr, web") }
            query.filter.channel = channel
        }
        if let text = value("level") {
            guard let level = levelFilter(text) else {
                throw invalid("level", "1–5, or attitude:N, efficiency:N, result:N")
            }
            query.filter.level = level
        }
        query.filter.negativeOnly = try flag("negative") ?? false
        query.filter.hasComment = try flag("has_comment")
        if let text = value("status") {
            var statuses: Set<ResponseStatus> = []
            for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                guard let status = ResponseStatus(rawValue: String(part)) else {
                    throw invalid("status", "valid, misuse, invalid, test")
                }
                statuses.insert(status)
            }
            query.filter.statuses = statuses
        }
        if let text = value("q") {
            guard text.count <= 100 else { throw invalid("q", "1–100") }
            query.filter.search = text
        }
        if let text = value("cursor") {
            guard let cursor = FeedbackCursor(token: text) else {
                throw HTTPError(status: 400, code: "invalid_cursor", .feedbackInvalidCursor, in: language)
            }
            query.cursor = cursor
        }
        if let limit = try strict.limit(maximum: SurveyStore.maxFeedbackPage) { query.limit = limit }
        if let format = value("format"), !["csv", "json"].contains(format.lowercased()) {
            throw HTTPError(status: 400, code: "invalid_format", .invalidFormat, in: language)
        }
        return query
    }

    /// `2`: any dimension at 2; `attitude:2`: that dimension at 2.
    static func levelFilter(_ text: String) -> FeedbackFilter.LevelFilter? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return Int(parts[0]).flatMap(Level.init(rawValue:)).map { FeedbackFilter.LevelFilter(level: $0) }
        case 2:
            guard let dimension = RatingDimension(rawValue: String(parts[0])),
                  let level = Int(parts[1]).flatMap(Level.init(rawValue:)) else { return nil }
            return FeedbackFilter.LevelFilter(level: level, dimension: dimension)
        default:
            return nil
        }
    }
}
