import Foundation
import PingjiaTesting
import Testing

/// The kiosk and phone pages over HTTP: what a browser without script gets.
@Suite struct SurveyPagesTests {
    static func clientID(in html: String) -> String? {
        guard let range = html.range(of: #"name="client_id" value="[^"]+""#, options: .regularExpression) else { return nil }
        return html[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    @Test(arguments: ["/kiosk/W01", "/r/W01"])
    func theFormShowsThePlaceAndThreeQuestionsOfFiveChoices(path: String) throws {
        let center = try TestCenter()
        let response = try center.client.get(path)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/html; charset=utf-8")
        let html = response.text
        #expect(html.contains("<html lang=\"zh-CN\">"))
        #expect(html.contains(">市场监管科<") && html.contains(">1号窗口<"))
        for question in ["服务态度", "办事效率", "办理结果"] { #expect(html.contains(question)) }
        for label in ["非常满意", "基本满意", "非常不满意"] { #expect(html.components(separatedBy: ">\(label)<").count == 4) }
        #expect(html.components(separatedBy: "type=\"radio\"").count == 16)
        #expect(html.contains("等候时间长"))
        #expect(!html.contains("<script>") && !html.contains("style="))
    }

    @Test func eachBlankFormCarriesAFreshClientID() throws {
        let center = try TestCenter()
        let first = try #require(Self.clientID(in: try center.client.get("/kiosk/W01").text))
        let second = try #require(Self.clientID(in: try center.client.get("/kiosk/W01").text))
        #expect(first != second)
    }

    @Test func englishIsChosenByQueryOrAcceptLanguage() throws {
        let center = try TestCenter()
        let byQuery = try center.client.get("/kiosk/W01?lang=en").text
        let byHeader = try center.client.get("/kiosk/W01", headers: [("Accept-Language", "en-GB,en;q=0.8")]).text
        for html in [byQuery, byHeader] {
            #expect(html.contains("<html lang=\"en\">"))
            #expect(html.contains("Very satisfied"))
        }
        #expect(try center.client.get("/kiosk/W01", headers: [("Accept-Language", "zh-CN,en;q=0.5")]).text.contains("非常满意"))
    }

    @Test(arguments: [("/kiosk/W01", "kiosk"), ("/r/W01", "web")])
    func aFormSubmissionIsStoredAndLeadsToTheThankYouPage(path: String, channel: String) throws {
        let center = try TestCenter()
        let id = try #require(Self.clientID(in: try center.client.get(path).text))
        let response = try center.client.postForm(path, [
            ("client_id", id), ("lang", "zh"), ("attitude", "5"), ("efficiency", "4"), ("result", "3"), ("comment", " 谢谢 "),
        ])
        #expect(response.status == 303)
        #expect(response.headers["location"] == "\(path)/thanks?lang=zh&c=\(id)")
        let stored = try #require(try center.store.response(clientID: id))
        #expect(stored.channel.rawValue == channel)
        #expect(stored.comment == "谢谢")
        let levels = [stored.ratings.attitude, stored.ratings.efficiency, stored.ratings.result].map(\.rawValue)
        #expect(levels == [5, 4, 3])

        let thanks = try center.client.get("\(path)/thanks?lang=zh")
        #expect(thanks.status == 200)
        #expect(thanks.text.contains("感谢您的评价"))
        #expect(thanks.text.contains("http-equiv=\"refresh\"") == (channel == "kiosk"))
        // No way back into the form: a second rating of the same visit is not offered.
        #expect(!thanks.text.contains("返回评价页"))
        // The page of the rating just stored offers to add a comment to it, once.
        let withComment = try center.client.get("\(path)/thanks?lang=zh&c=\(id)")
        #expect(withComment.text.contains("\(path)/comment"))
        let commented = try center.client.postForm("\(path)/comment", [("client_id", id), ("lang", "zh"), ("comment", "补充一句")])
        #expect(commented.status == 409, "the rating already has a comment")
        #expect(try center.store.response(clientID: id)?.comment == "谢谢")

        // A double tap sends the same client id again: still one row, still thanked.
        let again = try center.client.postForm(path, [
            ("client_id", id), ("lang", "zh"), ("attitude", "5"), ("efficiency", "4"), ("result", "3"), ("comment", " 谢谢 "),
        ])
        #expect(again.status == 303)
        #expect(try center.store.responseCount() == 1)
    }

    @Test func aNegativeRatingWithoutReasonComesBackWithTheChoicesKept() throws {
        let center = try TestCenter()
        let id = try #require(Self.clientID(in: try center.client.get("/kiosk/W01").text))
        let response = try center.client.postForm("/kiosk/W01", [
            ("client_id", id), ("lang", "zh"), ("attitude", "2"), ("efficiency", "4"), ("result", "5"), ("comment", "等太久"),
        ])
        #expect(response.status == 422)
        let html = response.text
        #expect(html.contains("role=\"alert\""))
        // The message names the question and the level, and sits at that question's reasons.
        #expect(html.contains("您对“服务态度”选了“不满意”，请选择至少一项原因"))
        #expect(html.contains("aria-describedby=\"rerr-attitude\""))
        #expect(html.contains("name=\"attitude\" value=\"2\" checked"))
        #expect(html.contains("name=\"efficiency\" value=\"4\" checked"))
        #expect(html.contains("name=\"result\" value=\"5\" checked"))
        #expect(html.contains(">等太久</textarea>"))
        #expect(html.contains("value=\"\(id)\""))
        #expect(try center.store.responseCount() == 0)

        let fixed = try center.client.postForm("/kiosk/W01", [
            ("client_id", id), ("attitude", "2"), ("efficiency", "4"), ("result", "5"),
            ("reasons", "等候时间长"), ("reason_other", "叫号系统故障"),
        ])
        #expect(fixed.status == 303)
        #expect(try center.store.response(clientID: id)?.reasons == ["等候时间长", "叫号系统故障"])
    }

    @Test(arguments: [nil, "form-error-0001", "8d3c1e2a-0b7f-4c55-9a11-2f3e4d5c6b7a.000000000000000000000000"])
    func aFormPostWithoutASignedClientIDIsShownAgainNotStored(given: String?) throws {
        let center = try TestCenter()
        var fields = [("lang", "zh"), ("attitude", "5"), ("efficiency", "4"), ("result", "5")]
        if let given { fields.append(("client_id", given)) }
        let response = try center.client.postForm("/kiosk/W01", fields)
        // Stored under an id of the server's choosing, a retry of this post would count
        // twice; instead the citizen confirms once more, on a form with a signed id.
        #expect(response.status == 422)
        #expect(response.text.contains("这张表单已失效"))
        #expect(response.text.contains("name=\"attitude\" value=\"5\" checked"))
        #expect(try center.store.responseCount() == 0)
        let fresh = try #require(Self.clientID(in: response.text))
        #expect(fresh != given)
        let retried = try center.client.postForm("/kiosk/W01", [("client_id", fresh)] + fields.filter { $0.0 != "client_id" })
        #expect(retried.status == 303)
        let again = try center.client.postForm("/kiosk/W01", [("client_id", fresh)] + fields.filter { $0.0 != "client_id" })
        #expect(again.status == 303)
        #expect(try center.store.responseCount() == 1)
    }

    @Test func theSameFormSentAgainWithOtherAnswersKeepsTheFirst() throws {
        let center = try TestCenter()
        let id = try #require(Self.clientID(in: try center.client.get("/r/W01").text))
        #expect(try center.client.postForm("/r/W01", [("client_id", id), ("attitude", "5"), ("efficiency", "5"), ("result", "5")]).status == 303)
        let changed = try center.client.postForm("/r/W01", [("client_id", id), ("attitude", "1"), ("efficiency", "5"), ("result", "5"), ("reasons", "态度不好")])
        #expect(changed.status == 409)
        #expect(changed.text.contains("已经提交过了"))
        #expect(try center.store.response(clientID: id)?.ratings.attitude.rawValue == 5)
        #expect(try center.store.responseCount() == 1)
    }

    @Test func aMissingAnswerIsNamedOnTheForm() throws {
        let center = try TestCenter()
        let response = try center.client.postForm("/r/W01?lang=en", [("attitude", "5"), ("result", "5"), ("lang", "en")])
        #expect(response.status == 422)
        #expect(response.text.contains("Please choose a rating for “Efficiency”"))
        #expect(response.text.contains("href=\"#q-efficiency\""))
    }

    @Test func userTextIsEscapedWhenTheFormComesBack() throws {
        let center = try TestCenter()
        let response = try center.client.postForm("/kiosk/W01", [("attitude", "1"), ("comment", "<script>alert(1)</script>")])
        #expect(response.status == 422)
        #expect(!response.text.contains("<script>alert(1)</script>"))
        #expect(response.text.contains("&lt;script&gt;"))
    }

    @Test(arguments: ["/kiosk/W77", "/r/W09", "/kiosk/W77/thanks"])
    func unknownOrInactiveWindowsGetAFriendly404(path: String) throws {
        let center = try TestCenter()
        let response = try center.client.get(path)
        #expect(response.status == 404)
        #expect(response.text.contains("窗口"))
    }

    @Test func securityHeadersAreOnPagesAPIAndStaticFiles() throws {
        let center = try TestCenter()
        for path in ["/kiosk/W01", "/api/v1/windows", "/static/css/pingjia.css", "/no-such-page"] {
            let response = try center.client.get(path)
            let csp = try #require(response.headers["content-security-policy"])
            #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"))
            #expect(response.headers["x-content-type-options"] == "nosniff")
        }
    }

    @Test func staticFilesHaveTypesETagsAnd304AndNoTraversal() throws {
        let center = try TestCenter()
        let css = try center.client.get("/static/css/pingjia.css")
        #expect(css.status == 200)
        #expect(css.headers["content-type"] == "text/css; charset=utf-8")
        let etag = try #require(css.headers["etag"])
        #expect(try center.client.get("/static/css/pingjia.css", headers: [("If-None-Match", etag)]).status == 304)
        #expect(try center.client.get("/static/js/survey.js").headers["content-type"] == "text/javascript; charset=utf-8")
        for path in ["/static/../Package.swift", "/static/%2e%2e/Package.swift", "/static/..%2fPackage.swift", "/static/css/../../README.md"] {
            let response = try center.client.get(path)
            #expect(response.status == 404, "\(path)")
            #expect(!response.text.contains("PackageDescription"))
        }
    }

    @Test func aMalformedFormBodyGets400() throws {
        let center = try TestCenter()
        let response = try center.client.request(
            "POST", "/kiosk/W01", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("attitude=%E6%8".utf8)
        )
        #expect(response.status == 400)
    }
}
