import Foundation
import SurveyCore
import SurveyStore
import Testing

/// The staff's feedback review in the store: filters, scope, Chinese search, keyset paging
/// under inserts, and query plans that use an index.
@Suite struct FeedbackTests {
    /// Stores a response with a comment and a channel at a Beijing wall-clock time.
    @discardableResult
    static func record(
        _ f: StoreFixture, _ window: ServiceWindow, _ levels: (Int, Int, Int), at beijing: String,
        comment: String? = nil, channel: Channel = .kiosk, staff: StaffMember? = nil, item: ServiceItem? = nil
    ) throws -> StoredResponse {
        var submission = f.submission(window, levels.0, levels.1, levels.2, staff: staff, item: item)
        submission.comment = comment
        submission.channel = channel
        return try f.store.record(submission, atMillis: StoreFixture.millis(beijing: beijing)).response
    }

    static func ids(_ f: StoreFixture, _ filter: FeedbackFilter, scope: DepartmentScope = .all) throws -> [Int64] {
        try f.store.feedback(filter, scope: scope, limit: 1000).entries.map(\.response.id)
    }

    @Test func eachFilterSelectsItsRowsNewestFirst() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let a = try Self.record(f, f.w1, (5, 5, 5), at: "2026-09-30 23:59:59", comment: "很好", staff: f.s1, item: f.i1)
        let b = try Self.record(f, f.w2, (2, 4, 4), at: "2026-10-01 00:00:00", channel: .qr, staff: f.s2)
        let c = try Self.record(f, f.w3, (4, 4, 1), at: "2026-10-02 10:00:00", comment: "", channel: .web, staff: f.s3, item: f.i2)
        let d = try Self.record(f, f.w1, (3, 3, 3), at: "2026-10-03 10:00:00", comment: "一般")
        try f.store.setStatus(responseID: d.id, status: .test, reason: "安装调试")

        var filter = FeedbackFilter()
        #expect(try Self.ids(f, filter) == [d.id, c.id, b.id, a.id])
        // A period is local days in the center's zone: 00:00:00 on 1 October is in Q4.
        filter.period = period("2026-Q4")
        #expect(try Self.ids(f, filter) == [d.id, c.id, b.id])
        filter = FeedbackFilter()
        filter.period = period("2026-09")
        #expect(try Self.ids(f, filter) == [a.id])

        func only(_ change: (inout FeedbackFilter) -> Void) throws -> [Int64] {
            var filter = FeedbackFilter()
            change(&filter)
            return try Self.ids(f, filter)
        }
        #expect(try only { $0.departmentCode = "SPK" } == [d.id, b.id, a.id])
        #expect(try only { $0.windowCode = "W2" } == [b.id])
        #expect(try only { $0.staffCode = "S3" } == [c.id])
        #expect(try only { $0.serviceItemCode = "I1" } == [a.id])
        #expect(try only { $0.channel = .qr } == [b.id])
        #expect(try only { $0.negativeOnly = true } == [c.id, b.id])
        #expect(try only { $0.hasComment = true } == [d.id, a.id], "an empty comment is no comment")
        #expect(try only { $0.hasComment = false } == [c.id, b.id])
        #expect(try only { $0.statuses = [.test] } == [d.id])
        #expect(try only { $0.statuses = [.valid] } == [c.id, b.id, a.id])
        // A level alone matches any dimension; with a dimension, only that one.
        #expect(try only { $0.level = .init(level: .veryDissatisfied) } == [c.id])
        #expect(try only { $0.level = .init(level: .satisfied) } == [c.id, b.id])
        #expect(try only { $0.level = .init(level: .satisfied, dimension: .attitude) } == [c.id])
        #expect(try only { $0.level = .init(level: .dissatisfied, dimension: .result) } == [])
        #expect(try only { $0.departmentCode = "SPK"; $0.negativeOnly = true } == [b.id])
        #expect(try only { $0.departmentCode = "NOPE" } == [])
    }

    @Test func aScopeHidesOtherDepartmentsEverywhere() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let permits = try Self.record(f, f.w1, (1, 1, 1), at: "2026-10-01 09:00:00", comment: "态度很差")
        let tax = try Self.record(f, f.w3, (1, 1, 1), at: "2026-10-01 09:01:00", comment: "态度很差")
        let taxOnly = DepartmentScope.only(["SWK"])
        #expect(try Self.ids(f, FeedbackFilter(), scope: taxOnly) == [tax.id])
        var filter = FeedbackFilter()
        filter.departmentCode = "SPK" // asking for another department gives nothing, not its rows
        #expect(try Self.ids(f, filter, scope: taxOnly) == [])
        filter = FeedbackFilter()
        filter.search = "态度很差"
        #expect(try Self.ids(f, filter, scope: taxOnly) == [tax.id])
        #expect(try f.store.feedbackDetail(id: permits.id, scope: taxOnly) == nil)
        #expect(try f.store.feedbackDetail(id: tax.id, scope: taxOnly)?.entry.response.id == tax.id)
        #expect(try f.store.feedbackDetail(id: tax.id, scope: .only([])) == nil)
        #expect(try Self.ids(f, FeedbackFilter(), scope: .only([])) == [])
    }

    @Test func chineseSearchFindsTwoCharacterWordsAndLongerPhrases() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let rude = try Self.record(f, f.w1, (1, 2, 2), at: "2026-10-01 09:00:00", comment: "工作人员态度很差，等候时间太长")
        let kind = try Self.record(f, f.w1, (5, 5, 5), at: "2026-10-01 09:01:00", comment: "态度好，办事快")
        let slow = try Self.record(f, f.w3, (3, 2, 3), at: "2026-10-01 09:02:00", comment: "等了很久")
        let english = try Self.record(f, f.w3, (5, 5, 5), at: "2026-10-01 09:03:00", comment: "Quick and Friendly \"staff\"")
        try Self.record(f, f.w3, (5, 5, 5), at: "2026-10-01 09:04:00")

        func search(_ text: String) throws -> [Int64] {
            var filter = FeedbackFilter()
            filter.search = text
            return try Self.ids(f, filter)
        }
        // The same answers whether the comments are still in the unindexed tail (just stored),
        // in the index (after the background indexer ran), or some in each.
        func checkAll() throws {
            #expect(try search("态度") == [kind.id, rude.id], "two characters: below the trigram index, still found")
            #expect(try search("久") == [slow.id])
            #expect(try search("等候时间") == [rude.id])
            #expect(try search("态度很差") == [rude.id])
            #expect(try search("friendly") == [english.id], "the trigram index folds case")
            #expect(try search("Qu") == [english.id])
            #expect(try search("  态度  ") == [kind.id, rude.id], "surrounding spaces are not searched for")
            // Query syntax in the text is searched for literally, never run.
            #expect(try search("\"staff\"") == [english.id])
            #expect(try search("态度 OR 久") == [])
            #expect(try search("* NEAR(") == [])
            #expect(try search("\"") == [english.id], "a quote is a character like any other")
            #expect(try search("%") == [] && search("_") == [])
        }
        try checkAll()
        #expect(try f.store.indexNewComments() == 5)
        try checkAll()
        let late = try Self.record(f, f.w1, (5, 5, 5), at: "2026-10-01 09:05:00", comment: "态度亲切")
        #expect(try search("态度") == [late.id, kind.id, rude.id], "one comment indexed later, the others already")
        #expect(try search("态度亲切") == [late.id])
        #expect(try f.store.indexNewComments() == 1)
        #expect(try search("态度亲切") == [late.id])
        #expect(try f.store.indexNewComments() == 0)

        var filter = FeedbackFilter()
        filter.search = "态度"
        filter.negativeOnly = true
        #expect(try Self.ids(f, filter) == [rude.id], "search combines with the other filters")
    }

    @Test func pagingWhileNewerResponsesArriveNeitherRepeatsNorSkips() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        var base = StoreFixture.millis(beijing: "2026-10-01 09:00:00")
        var original: [Int64] = []
        for index in 0..<40 {
            // Several rows share a millisecond, so the id breaks ties.
            let submission = f.submission(index % 2 == 0 ? f.w1 : f.w3, 1 + index % 5, 4, 4)
            original.append(try f.store.record(submission, atMillis: base + Int64(index / 3)).response.id)
        }
        base += 1_000_000
        var seen: [Int64] = []
        var cursor: FeedbackCursor?
        var pages = 0
        repeat {
            let page = try f.store.feedback(FeedbackFilter(), scope: .all, after: cursor, limit: 7)
            seen += page.entries.map(\.response.id)
            cursor = page.next
            pages += 1
            // Newer responses arrive between pages, some in the very same millisecond.
            for _ in 0..<3 {
                _ = try f.store.record(f.submission(f.w2, 5, 5, 5), atMillis: base + Int64(pages))
            }
            // A cursor survives its trip through a client.
            if let sent = cursor {
                let received = FeedbackCursor(token: sent.token)
                #expect(received == sent)
                cursor = received
            }
        } while cursor != nil
        #expect(pages == 6)
        #expect(seen.count == Set(seen).count, "no row repeats")
        #expect(Set(seen) == Set(original), "no row is skipped, and none of the newer ones slips in")
        #expect(seen == original.sorted { a, b in a > b }, "newest first")
    }

    @Test func cursorsThatThisStoreDidNotMakeAreRefused() {
        #expect(FeedbackCursor(token: "") == nil)
        #expect(FeedbackCursor(token: "abc") == nil)
        #expect(FeedbackCursor(token: Data("v1.1.x".utf8).base64EncodedString()) == nil)
        #expect(FeedbackCursor(token: Data("v2.1.2".utf8).base64EncodedString()) == nil)
        #expect(FeedbackCursor(token: String(repeating: "A", count: 200)) == nil)
        let cursor = FeedbackCursor(createdAtMillis: 1_790_000_000_123, id: 42)
        #expect(FeedbackCursor(token: cursor.token) == cursor)
    }

    @Test func theReviewsQueriesUseIndexesInsteadOfScanningTheTable() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        func plan(_ change: (inout FeedbackFilter) -> Void, scope: DepartmentScope = .all) throws -> [String] {
            var filter = FeedbackFilter()
            change(&filter)
            return try f.store.feedbackQueryPlan(filter, scope: scope, paged: true)
        }
        let cases: [(String, [String])] = [
            ("everything", try plan { _ in }),
            ("a period", try plan { $0.period = period("2026-Q4") }),
            ("a department", try plan { $0.departmentCode = "SPK"; $0.period = period("2026-10") }),
            ("a window", try plan { $0.windowCode = "W1" }),
            ("差评 only", try plan { $0.negativeOnly = true; $0.period = period("2026") }),
            ("a scoped head", try plan({ $0.period = period("2026-10") }, scope: .only(["SPK"]))),
            ("staff and channel", try plan { $0.staffCode = "S1"; $0.channel = .qr }),
        ]
        for (name, lines) in cases {
            #expect(!lines.contains { $0 == "SCAN r" }, "\(name) reads the whole table: \(lines)")
            #expect(!lines.contains { $0.contains("TEMP B-TREE") }, "\(name) sorts instead of reading in order: \(lines)")
            #expect(lines.contains { $0.contains("r USING INDEX") || $0.contains("r USING COVERING INDEX") }, "\(name): \(lines)")
        }
        let search = try plan { $0.search = "态度很差" }
        #expect(search.contains { $0.contains("VIRTUAL TABLE INDEX") }, "a long search uses the trigram index: \(search)")
    }

    @Test func keysCanBeLimitedToDepartments() throws {
        let f = try StoreFixture(timeZone: StoreFixture.shanghai)
        let (record, key) = try f.store.createAPIKey(name: "hotline", scopes: ["feedback:read"], departments: ["SWK"])
        #expect(record.departmentScope == .only(["SWK"]))
        #expect(try f.store.authenticate(key: key)?.departmentScope == .only(["SWK"]))
        let (everywhere, other) = try f.store.createAPIKey(name: "office", scopes: ["feedback:read"])
        #expect(everywhere.departmentScope == .all)
        #expect(try f.store.authenticate(key: other)?.departments == nil)
        #expect(throws: APIKeyError.unknownDepartment("XXX")) {
            try f.store.createAPIKey(name: "typo", scopes: ["feedback:read"], departments: ["SWK", "XXX"])
        }
        #expect(try f.store.apiKeys().map(\.name) == ["hotline", "office"])
    }
}
