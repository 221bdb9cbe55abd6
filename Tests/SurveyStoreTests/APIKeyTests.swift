import Foundation
import GRDB
import SurveyCore
import SurveyStore
import Testing

/// API keys for the assessment module: shown once, stored as a hash, checked in constant
/// time, revocable.
@Suite struct APIKeyTests {
    @Test func aCreatedKeyAuthenticatesAndIsStoredOnlyAsAHash() throws {
        let path = StoreFixture.temporaryPath()
        let store = try SurveyStore(path: path, timeZone: StoreFixture.shanghai)
        let (record, key) = try store.createAPIKey(name: "assessment-system", scopes: ["indicator:read", "publication:read"], atMillis: 42)
        #expect(key.hasPrefix("pj_") && key.count == 55)
        #expect(key.dropFirst(3).allSatisfy { "abcdefghijklmnopqrstuvwxyz234567".contains($0) })
        #expect(record.prefix == String(key.prefix(11)))
        #expect(record.scopes == ["indicator:read", "publication:read"] && record.createdAtMillis == 42)

        let found = try #require(try store.authenticate(key: key))
        #expect(found == record)
        #expect(found.allows("indicator:read") && !found.allows("responses:write"))

        // Nothing in the file is the key or its secret part.
        let queue = try DatabaseQueue(path: path)
        let hash = try queue.read { db in try Data.fetchOne(db, sql: "SELECT hash FROM api_key") }
        let texts = try queue.read { db in try String.fetchAll(db, sql: "SELECT name || prefix || scopes FROM api_key") }
        try queue.close()
        #expect(hash?.count == 32)
        #expect(!texts.contains { $0.contains(key.dropFirst(11)) })
    }

    @Test func wrongMalformedAndRevokedKeysAreRefusedAlike() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        let (_, key) = try store.createAPIKey(name: "assessment", scopes: ["indicator:read"])
        var wrong = Array(key)
        wrong[wrong.count - 1] = wrong.last == "a" ? "b" : "a"
        #expect(try store.authenticate(key: String(wrong)) == nil, "same prefix, wrong secret")
        #expect(try store.authenticate(key: String(key.dropLast())) == nil)
        #expect(try store.authenticate(key: key.uppercased()) == nil)
        #expect(try store.authenticate(key: "") == nil)
        #expect(try store.authenticate(key: "pj_" + String(repeating: "a", count: 52)) == nil)

        let revoked = try store.revokeAPIKey(name: "assessment", atMillis: 99)
        #expect(revoked.isRevoked && revoked.revokedAtMillis == 99 && !revoked.allows("indicator:read"))
        #expect(try store.authenticate(key: key) == nil)
        #expect(try store.revokeAPIKey(name: "assessment", atMillis: 200).revokedAtMillis == 99, "revoking twice keeps the first time")
    }

    @Test func eachKeyIsDifferentAndListed() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        let a = try store.createAPIKey(name: "b-system", scopes: ["indicator:read"])
        let b = try store.createAPIKey(name: "a-system", scopes: ["indicator:read"])
        #expect(a.plaintextKey != b.plaintextKey && a.record.prefix != b.record.prefix)
        #expect(try store.authenticate(key: a.plaintextKey)?.name == "b-system")
        #expect(try store.authenticate(key: b.plaintextKey)?.name == "a-system")
        try store.revokeAPIKey(name: "b-system")
        #expect(try store.apiKeys().map(\.name) == ["a-system", "b-system"])
        #expect(try store.apiKeys().map(\.isRevoked) == [false, true])
    }

    @Test func badNamesScopesAndDuplicatesAreRefused() throws {
        let store = try SurveyStore(path: StoreFixture.temporaryPath(), timeZone: StoreFixture.shanghai)
        try store.createAPIKey(name: "assessment", scopes: ["indicator:read"])
        #expect(throws: APIKeyError.duplicateName("assessment")) { try store.createAPIKey(name: " assessment ", scopes: ["x"]) }
        #expect(throws: APIKeyError.invalidName("")) { try store.createAPIKey(name: "  ", scopes: ["x"]) }
        #expect(throws: APIKeyError.noScopes) { try store.createAPIKey(name: "other", scopes: []) }
        #expect(throws: APIKeyError.invalidScope("Indicator")) { try store.createAPIKey(name: "other", scopes: ["Indicator"]) }
        #expect(throws: APIKeyError.invalidScope("read all")) { try store.createAPIKey(name: "other", scopes: ["read all"]) }
        #expect(throws: APIKeyError.notFound(name: "nobody")) { try store.revokeAPIKey(name: "nobody") }
        #expect(try store.apiKeys().count == 1)
    }
}
