import Foundation
import GRDB
import Hashing
import SurveyCore

/// A published (公示) snapshot of a period's results: the document exactly as it was
/// published, with its SHA-256 and time. Immutable once stored: the table's triggers
/// refuse any UPDATE or DELETE, and a second publication of the period.
public struct Publication: Sendable, Equatable {
    /// The period published.
    public var period: Period
    /// When it was published, in milliseconds since 1970-01-01T00:00:00Z.
    public var publishedAtMillis: Int64
    /// SHA-256 of `content`, 64 lower-case hexadecimal digits.
    public var contentHash: String
    /// The canonical JSON document, byte for byte as the caller supplied it.
    public var content: Data

    /// Whether `content` still hashes to `contentHash`.
    public var isIntact: Bool { SHA256.hexHash(content) == contentHash }
}

/// Why a publication was refused, with a stable `code` and messages for people.
public enum PublicationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The period was published already, at the given time; a publication is never replaced.
    case alreadyPublished(period: String, publishedAtMillis: Int64)
    /// The content is not a JSON document.
    case contentNotJSON
    /// A stored period that no longer parses (the row was written by something else).
    case unreadablePeriod(String)

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .alreadyPublished: "publication_already_published"
        case .contentNotJSON: "publication_content_not_json"
        case .unreadablePeriod: "publication_unreadable_period"
        }
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .alreadyPublished(let period, let millis):
            "\(period) 已于 \(UTCTimestamp.string(millis: millis)) 公示，公示结果不能更改或重复公示。"
        case .contentNotJSON: "公示内容必须是 JSON 文档。"
        case .unreadablePeriod(let text): "数据库中的公示期间“\(text)”无法识别。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .alreadyPublished(let period, let millis):
            "\(period) was published at \(UTCTimestamp.string(millis: millis)); a publication cannot be changed or repeated."
        case .contentNotJSON: "The publication content must be a JSON document."
        case .unreadablePeriod(let text): "The stored publication period “\(text)” cannot be read."
        }
    }

    public var description: String { englishMessage }
}

extension SurveyStore {
    /// Stores `content`, the canonical JSON document the web layer built for `period`, with
    /// its SHA-256 and the time. Throws `PublicationError.alreadyPublished` if the period
    /// was published before (the stored one stays), `.contentNotJSON` for anything that
    /// does not parse as JSON.
    @discardableResult
    public func publish(period: Period, content: Data, atMillis millis: Int64 = UTCTimestamp.nowMillis()) throws -> Publication {
        guard (try? JSONSerialization.jsonObject(with: content, options: [.fragmentsAllowed])) != nil else {
            throw PublicationError.contentNotJSON
        }
        let publication = Publication(period: period, publishedAtMillis: millis, contentHash: SHA256.hexHash(content), content: content)
        return try pool.write { db in
            if let existing = try Int64.fetchOne(
                db, sql: "SELECT published_at FROM publication WHERE period = ?", arguments: [period.description]
            ) {
                throw PublicationError.alreadyPublished(period: period.description, publishedAtMillis: existing)
            }
            try db.execute(
                sql: "INSERT INTO publication (period, published_at, content_hash, content) VALUES (?, ?, ?, ?)",
                arguments: [period.description, millis, publication.contentHash, content]
            )
            return publication
        }
    }

    /// The publication of `period`, or nil if it was not published.
    public func publication(period: Period) throws -> Publication? {
        try pool.read { db in try Self.publication(period: period, in: db) }
    }

    static func publication(period: Period, in db: Database) throws -> Publication? {
        try Row.fetchOne(db, sql: publicationSQL + " WHERE period = ?", arguments: [period.description]).map(decodePublication)
    }

    /// Every publication, oldest first.
    public func publications() throws -> [Publication] {
        try pool.read { db in
            try Row.fetchAll(db, sql: Self.publicationSQL + " ORDER BY published_at, period").map(Self.decodePublication)
        }
    }

    private static let publicationSQL = "SELECT period, published_at, content_hash, content FROM publication"

    private static func decodePublication(_ row: Row) throws -> Publication {
        let text: String = row["period"]
        guard let period = try? Period(parsing: text) else { throw PublicationError.unreadablePeriod(text) }
        return Publication(period: period, publishedAtMillis: row["published_at"], contentHash: row["content_hash"], content: row["content"])
    }
}
