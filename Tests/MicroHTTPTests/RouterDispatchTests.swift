import MicroHTTP
import Testing

/// What the router tells the instrumentation around it: the route pattern, and the cause of
/// a failure that the client is not told.
@Suite struct RouterDispatchTests {
    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "database or disk is full" }
    }

    static func router() -> Router {
        let router = Router()
        router.get("/kiosk/{window}") { request in .text(request.pathParameters["window"] ?? "") }
        router.get("/fails") { _ in throw DiskFull() }
        router.post("/only-post") { _ in .text("ok") }
        return router
    }

    static func response(_ reply: Reply) -> Response? {
        if case .now(let response) = reply { return response }
        return nil
    }

    @Test func theMatchedRouteIsNamedByItsPatternNotItsPath() {
        let (route, reply) = Self.router().dispatch(Request(method: "GET", path: "/kiosk/W01"))
        #expect(route == "/kiosk/{window}")
        #expect(Self.response(reply)?.status == 200)
    }

    @Test func unmatchedPathsAndWrongMethodsHaveNoRoute() {
        let router = Self.router()
        #expect(router.dispatch(Request(method: "GET", path: "/anything/a-client/sends")).route == nil)
        let (route, reply) = router.dispatch(Request(method: "GET", path: "/only-post"))
        #expect(route == nil)
        #expect(Self.response(reply)?.status == 405)
    }

    @Test func anUnexpectedErrorIsA500WhoseCauseStaysWithTheServer() throws {
        let (route, reply) = Self.router().dispatch(Request(method: "GET", path: "/fails"))
        #expect(route == "/fails")
        let response = try #require(Self.response(reply))
        #expect(response.status == 500)
        #expect(response.cause == "database or disk is full")
        #expect(!String(decoding: response.body, as: UTF8.self).contains("disk"))
    }
}
