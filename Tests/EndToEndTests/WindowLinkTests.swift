import Foundation
import PingjiaTesting
@testable import SurveyApp
@testable import SurveyWeb
import Testing

/// The signed links on windows' QR cards: a valid link rates the window through its card
/// (`qr`), no link still rates it (`web`), and a forged, tampered or retired link stores
/// nothing and tells the citizen to scan the code at the window.
@Suite struct WindowLinkTests {
    static func clientID(_ html: String) throws -> String {
        try #require(SurveyPagesTests.clientID(in: html))
    }

    static func rate(_ center: TestCenter, _ target: String) throws -> (status: Int, clientID: String) {
        let page = try center.client.get(target)
        let id = try clientID(page.text)
        let answer = try center.client.postForm(target, [("client_id", id), ("attitude", "5"), ("efficiency", "4"), ("result", "5")])
        return (answer.status, id)
    }

    @Test func aValidLinkCountsAsQRAndNoLinkAsWeb() throws {
        let center = try TestCenter()
        let token = center.application.web.windowLinks.token(forWindow: "W01")
        let signed = try Self.rate(center, "/r/W01?t=\(token)")
        #expect(signed.status == 303)
        #expect(try center.store.response(clientID: signed.clientID)?.channel.rawValue == "qr")
        let plain = try Self.rate(center, "/r/W01")
        #expect(plain.status == 303)
        #expect(try center.store.response(clientID: plain.clientID)?.channel.rawValue == "web")
    }

    @Test func aFormOpenedThroughALinkPostsBackToIt() throws {
        let center = try TestCenter()
        let token = center.application.web.windowLinks.token(forWindow: "W01")
        let page = try center.client.get("/r/W01?t=\(token)").text
        #expect(page.contains("action=\"/r/W01?t=\(token)\""))
    }

    @Test func forgedTamperedAndMisplacedLinksStoreNothing() throws {
        let center = try TestCenter()
        let links = center.application.web.windowLinks
        let good = links.token(forWindow: "W01")
        var tampered = Array(good)
        tampered[tampered.count - 1] = tampered.last == "0" ? "1" : "0"
        let refusedTokens = [
            "k1.00000000000000000000000000000000",
            String(tampered),
            links.token(forWindow: "W02"),  // a genuine link of another window
            "k9." + good.split(separator: ".")[1],
            "garbage",
        ]
        for token in refusedTokens {
            let page = try center.client.get("/r/W01?t=\(token)")
            #expect(page.status == 403)
            #expect(page.text.contains("请扫描窗口上张贴的二维码"))
            let genuineForm = try Self.clientID(try center.client.get("/r/W01").text)
            let post = try center.client.postForm(
                "/r/W01?t=\(token)", [("client_id", genuineForm), ("attitude", "1"), ("efficiency", "1"), ("result", "1"), ("reasons", "态度不好")]
            )
            #expect(post.status == 403)
        }
        #expect(try center.store.responseCount() == 0)
    }

    @Test func anOldKeyStillVerifiesAfterARotationAndNotOnceRetired() throws {
        let center = try TestCenter()
        let web = center.application.web
        let old = web.windowLinks.token(forWindow: "W01")
        let rotated = try SigningKeys(parsing: web.signingKeys.keysInForce.rotated().text)
        web.signingKeys.replace(with: rotated)
        let fresh = web.windowLinks.token(forWindow: "W01")
        #expect(fresh.hasPrefix("k2."))
        #expect(try center.client.get("/r/W01?t=\(old)").status == 200)
        #expect(try center.client.get("/r/W01?t=\(fresh)").status == 200)
        web.signingKeys.replace(with: try SigningKeys(parsing: rotated.retiring("k1")))
        #expect(try center.client.get("/r/W01?t=\(old)").status == 403)
        #expect(try center.client.get("/r/W01?t=\(fresh)").status == 200)
    }

    @Test func rotatingAndRetiringTheFileReachesARunningServer() throws {
        let center = try TestCenter()
        let secret = center.application.configuration.resolvedSecretPath
        let web = center.application.web
        let old = web.windowLinks.token(forWindow: "W01")
        let id = try ServerSecret.rotate(at: secret)
        #expect(id == "k2")
        // The watcher looks every two seconds; this bound only stops a hung run.
        for _ in 0..<300 where web.signingKeys.keysInForce.current.id != "k2" { usleep(50_000) }
        #expect(web.signingKeys.keysInForce.current.id == "k2")
        #expect(try center.client.get("/r/W01?t=\(old)").status == 200)
        try ServerSecret.retire("k1", at: secret)
        for _ in 0..<300 where web.signingKeys.keysInForce.key(id: "k1") != nil { usleep(50_000) }
        #expect(try center.client.get("/r/W01?t=\(old)").status == 403)
        #expect(throws: ServerSecret.Problem.self) { try ServerSecret.retire("k2", at: secret) }
        let mode = try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }
}
