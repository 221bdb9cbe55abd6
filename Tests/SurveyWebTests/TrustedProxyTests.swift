import Hashing
import MicroHTTP
import SurveyWeb
import Testing

/// Which forwarded address is believed, from whom; and the rate limiter's arithmetic.
@Suite struct TrustedProxyTests {
    @Test func forwardedForIsBelievedOnlyFromATrustedProxyAndOnlyItsOwnEntry() throws {
        let forwarded = Headers([("X-Forwarded-For", "198.51.100.66, 203.0.113.9")])
        // From the loopback (nginx): the entry nginx appended, not the one the client wrote.
        #expect(ClientAddress.of(remoteAddress: "127.0.0.1", headers: forwarded) == "203.0.113.9")
        // From anyone else the header is the client's own claim: ignored.
        #expect(ClientAddress.of(remoteAddress: "192.0.2.7", headers: forwarded) == "192.0.2.7")
        // Trusting nobody ignores it even from the loopback.
        #expect(ClientAddress.of(remoteAddress: "127.0.0.1", headers: forwarded, trusting: try TrustedProxies([])) == "127.0.0.1")
        // A chain of trusted proxies is walked from the right, across repeated headers.
        let chain = try TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
        let relayed = Headers([("X-Forwarded-For", "198.51.100.66, 203.0.113.9"), ("X-Forwarded-For", "10.1.2.3")])
        #expect(ClientAddress.of(remoteAddress: "127.0.0.1", headers: relayed, trusting: chain) == "203.0.113.9")
        #expect(ClientAddress.of(remoteAddress: "::ffff:10.9.9.9", headers: relayed, trusting: chain) == "203.0.113.9")
        // Without X-Forwarded-For, X-Real-IP from a trusted proxy, as before.
        #expect(ClientAddress.of(remoteAddress: "127.0.0.1", headers: Headers([("X-Real-IP", "203.0.113.4")])) == "203.0.113.4")
    }

    @Test(arguments: [
        ("10.0.0.0/8", "10.255.1.2", true), ("10.0.0.0/8", "11.0.0.1", false), ("192.168.4.0/22", "192.168.7.255", true),
        ("192.168.4.0/22", "192.168.8.0", false), ("2001:db8::/32", "2001:db8:1::5", true), ("2001:db8::/32", "2001:db9::1", false),
        ("127.0.0.1", "127.0.0.1", true), ("127.0.0.1", "127.0.0.2", false), ("::1", "::1", true),
    ])
    func blocksMatchByPrefix(block: String, address: String, inside: Bool) throws {
        #expect(try TrustedProxies([block]).contains(address) == inside)
    }

    @Test func entriesThatAreNotAddressesAreRefused() {
        for entry in ["localhost", "10.0.0.0/33", "::1/129", "10.0.0.0/x", ""] {
            #expect(throws: TrustedProxies.Invalid.self) { try TrustedProxies([entry]) }
        }
    }

    @Test func theLimiterAllowsABurstThenOneEveryInterval() {
        let limiter = RateLimiter(RateLimit(ratings: 3, seconds: 60))
        #expect((0..<3).allSatisfy { _ in limiter.take("a", now: 1000) == .within })
        #expect(limiter.take("a", now: 1000) == .over(retryAfterSeconds: 20))
        #expect(limiter.take("b", now: 1000) == .within)
        // Refused events do not push the next allowance further out.
        #expect(limiter.take("a", now: 1019) == .over(retryAfterSeconds: 1))
        #expect(limiter.take("a", now: 1020) == .within)
        #expect(limiter.take("a", now: 1020).isOver)
        #expect(RateLimiter(.off).take("a") == .within)
    }

    @Test func dailyAddressDigestsDifferFromDayToDay() {
        let hasher = DailyKeyedHasher()
        let monday = hasher.digest("203.0.113.9", nowSeconds: 86_400 * 20_000 + 10)
        #expect(hasher.digest("203.0.113.9", nowSeconds: 86_400 * 20_000 + 80_000) == monday)
        #expect(hasher.digest("203.0.113.9", nowSeconds: 86_400 * 20_001 + 10) != monday)
        #expect(!monday.contains("203"))
    }
}
