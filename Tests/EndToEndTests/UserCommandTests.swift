import Foundation
import PingjiaTesting
import Testing

/// `pingjia user` and `pingjia audit` as an operator runs them, on a real database file.
@Suite(.serialized) struct UserCommandTests {
    /// Runs the real binary with `input` on its standard input (a pipe, not a terminal).
    static func pingjia(_ arguments: [String], input: String = "") throws -> CommandLineTests.Run {
        let process = Process()
        process.executableURL = PingjiaProcess.executable
        process.arguments = arguments
        let stdin = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return .init(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errors: String(decoding: err, as: UTF8.self))
    }

    @Test func accountsAreAddedListedDisabledAndReSetFromTheCommandLineAndAudited() throws {
        let database = TestCenter.temporaryDatabasePath()
        try TestCenter.seed(database)
        let added = try Self.pingjia(["user", "add", "wang", "--role", "head", "--department", "SCJG", "--db", database], input: "first password\n")
        #expect(added.status == 0, "\(added.errors)")
        #expect(added.output.contains("head") && added.output.contains("SCJG"))
        #expect(try Self.pingjia(["user", "add", "admin", "--role", "admin", "--db", database], input: "admin password 1\n").status == 0)

        let short = try Self.pingjia(["user", "add", "li", "--role", "viewer", "--db", database], input: "short\n")
        #expect(short.status != 0)
        #expect(short.errors.contains("at least 10"))
        let same = try Self.pingjia(["user", "add", "liuxiaoming", "--role", "viewer", "--db", database], input: "LiuXiaoMing\n")
        #expect(same.status != 0)
        #expect(same.errors.contains("must not be the user name"))
        let noDepartment = try Self.pingjia(["user", "add", "zhao", "--role", "head", "--db", database], input: "long enough one\n")
        #expect(noDepartment.status != 0)
        let unknown = try Self.pingjia(["user", "add", "zhao", "--role", "head", "--department", "NOPE", "--db", database], input: "long enough one\n")
        #expect(unknown.status != 0 && unknown.errors.contains("NOPE"))

        let listed = try Self.pingjia(["user", "list", "--db", database])
        #expect(listed.output.contains("wang\thead\tSCJG\tactive"))
        #expect(listed.output.contains("admin\tadmin\t*\tactive"))
        #expect(!listed.output.contains("liuxiaoming") && !listed.output.contains("argon2"))

        // The account works on the real server, and a new password ends its session.
        let server = try PingjiaProcess(database: database)
        let client = HTTPTestClient(port: server.port)
        let login = try client.postJSON("/api/v1/session", #"{"username": "wang", "password": "first password"}"#)
        #expect(login.status == 200)
        let cookie = try #require(login.headers["set-cookie"]?.split(separator: ";").first.map(String.init))
        #expect(try client.get("/api/v1/session", headers: [("Cookie", cookie)]).status == 200)
        #expect(try Self.pingjia(["user", "password", "wang", "--db", database], input: "second password\n").status == 0)
        #expect(try client.get("/api/v1/session", headers: [("Cookie", cookie)]).status == 401)
        #expect(try client.postJSON("/api/v1/session", #"{"username": "wang", "password": "second password"}"#).status == 200)
        #expect(try Self.pingjia(["user", "disable", "wang", "--db", database]).status == 0)
        #expect(try client.postJSON("/api/v1/session", #"{"username": "wang", "password": "second password"}"#).status == 401)
        #expect(server.kill(SIGTERM) == 0)

        let audit = try Self.pingjia(["audit", "--db", database, "--limit", "20"])
        #expect(audit.status == 0)
        let actions = audit.output.split(separator: "\n").map { $0.split(separator: "\t")[2] }
        #expect(actions == ["user.disable", "session.start", "user.password", "session.start", "user.create", "user.create"])
        #expect(audit.output.contains("cli:"))
        #expect(try Self.pingjia(["user", "disable", "nobody", "--db", database]).status != 0)
    }
}
