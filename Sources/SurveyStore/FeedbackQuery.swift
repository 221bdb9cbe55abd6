import Foundation
import SurveyCore

/// What the staff's feedback review asks for: every filter is optional and they combine
/// with AND. Codes are the directory's codes (department `SPK`, window `W01`, ...).
public struct FeedbackFilter: Sendable, Equatable {
    /// Which levels to look for, and on which dimension.
    public struct LevelFilter: Sendable, Equatable {
        public var level: Level
        /// One dimension, or nil for "any of the three dimensions at this level".
        public var dimension: RatingDimension?

        public init(level: Level, dimension: RatingDimension? = nil) {
            self.level = level
            self.dimension = dimension
        }
    }

    /// Responses whose local day (in the center's zone) lies in the period.
    public var period: Period?
    public var departmentCode: String?
    public var windowCode: String?
    public var staffCode: String?
    public var serviceItemCode: String?
    public var channel: Channel?
    public var level: LevelFilter?
    /// Only 差评: a response with any dimension at 1 or 2.
    public var negativeOnly = false
    /// true: only responses with a comment; false: only those without; nil: both.
    public var hasComment: Bool?
    /// The statuses to list; empty for every status.
    public var statuses: Set<ResponseStatus> = []
    /// Text the comment must contain. Three characters or more use the trigram index; one
    /// or two characters (a Chinese word such as 态度) are looked for in the comments of the
    /// otherwise filtered rows, because a trigram index cannot answer them.
    public var search: String?

    public init() {}
}

/// Where a page of the review ends: the newest-first position of its last row. Opaque to
/// clients (`v1.<created_at>.<id>` in base64url); new responses arriving between pages sort
/// before it, so paging on neither repeats nor skips a row.
public struct FeedbackCursor: Sendable, Equatable {
    public var createdAtMillis: Int64
    public var id: Int64

    public init(createdAtMillis: Int64, id: Int64) {
        self.createdAtMillis = createdAtMillis
        self.id = id
    }

    /// The cursor as clients see it.
    public var token: String {
        Data("v1.\(createdAtMillis).\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The cursor a token stands for, or nil for anything this server did not make.
    public init?(token: String) {
        guard token.count <= 64 else { return nil }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let created = Int64(parts[1]), let id = Int64(parts[2]), id > 0 else {
            return nil
        }
        self.init(createdAtMillis: created, id: id)
    }
}

/// One response as the review lists it.
public struct FeedbackEntry: Sendable, Equatable {
    public var response: StoredResponse
    public var status: ResponseStatus
    /// The response's day in the center's zone.
    public var localDay: LocalDay

    public var cursor: FeedbackCursor { FeedbackCursor(createdAtMillis: response.createdAtMillis, id: response.id) }
}

/// Everything stored about one response: the entry, the names of where it was given, and
/// every status change with its reason.
public struct FeedbackDetail: Sendable, Equatable {
    public var entry: FeedbackEntry
    public var windowName: String
    public var departmentName: String
    public var serviceItemName: String?
    public var staffName: String?
    public var statusChanges: [StatusChange]
}

/// A page of the review: at most `limit` entries, newest first, and the cursor of the next
/// page, nil when this is the last.
public struct FeedbackPage: Sendable, Equatable {
    public var entries: [FeedbackEntry]
    public var next: FeedbackCursor?
}

/// How a search text is matched.
enum FeedbackSearch: Equatable {
    /// An FTS5 query (the text as one phrase, quoted so that none of it is query syntax), and
    /// the text itself for the rows the index does not cover yet.
    case index(phrase: String, text: String)
    /// A substring of one or two characters, matched without the index.
    case substring(String)

    /// The trigram tokenizer needs three characters to match anything.
    init?(_ text: String?) {
        guard let text = text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else { return nil }
        if text.unicodeScalars.count >= 3 {
            self = .index(phrase: "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"", text: text)
        } else {
            self = .substring(text)
        }
    }
}
