import ArgumentParser
import Foundation
import QRCodes
import SurveyCore
import SurveyStore
import SurveyWeb

/// `pingjia device`: kiosk tablets paired with windows.
struct Device: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Pairs kiosk tablets with windows, and lists, renames and revokes them.",
        subcommands: [Pair.self, List.self, Rename.self, Revoke.self]
    )

    struct Pair: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prints a one-use pairing code for a window, valid for 10 minutes; enter it at /kiosk/pair on the tablet."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "The window's code, e.g. W01.") var window: String
        @Option(help: "A name for the tablet (default: the window's code).") var name: String?

        func run() throws {
            let configuration = try common.load()
            let store = try configuration.openStore(logger: configuration.makeLogger())
            defer { try? store.close() }
            guard let found = try store.directory().window(code: window), found.active else {
                throw ValidationError("No active window has the code \(window).")
            }
            let code = PairingCode.make()
            let now = UTCTimestamp.nowMillis()
            let expires = now + Int64(configuration.web.visits.pairingCodeSeconds) * 1000
            try store.createPairingCode(
                codeHash: PairingCode.hash(code), windowID: found.id, deviceName: name, actor: CommandLineActor.name,
                atMillis: now, expiresAtMillis: expires
            )
            print("Pairing code for \(found.code), valid until \(UTCTimestamp.string(millis: expires)), once:")
            print(PairingCode.display(code))
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the tablets: id, window, name, paired, last seen, status.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let configuration = try common.load()
            let store = try configuration.openStore(logger: configuration.makeLogger())
            defer { try? store.close() }
            func time(_ millis: Int64?) -> String { millis.map { UTCTimestamp.string(millis: $0) } ?? "-" }
            for device in try store.devices() {
                print([String(device.id), device.windowCode, device.name, time(device.pairedAtMillis), time(device.lastSeenAtMillis),
                       device.isRevoked ? "revoked" : "active"].joined(separator: "\t"))
            }
        }
    }

    struct Rename: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Renames a tablet.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The tablet's id, as `pingjia device list` shows it.") var id: Int64
        @Argument(help: "The new name (1 to 100 characters).") var name: String

        func run() throws {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard (1...100).contains(trimmed.count) else { throw ValidationError("The name must be 1 to 100 characters.") }
            let configuration = try common.load()
            let store = try configuration.openStore(logger: configuration.makeLogger())
            defer { try? store.close() }
            guard let device = try store.renameDevice(id: id, to: trimmed, actor: CommandLineActor.name) else {
                throw ValidationError("No tablet has the id \(id).")
            }
            print("Tablet \(device.id) (\(device.windowCode)) is now named \(device.name).")
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revokes a tablet: its ratings are unverified from then on (a running server sees it within 15 seconds)."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The tablet's id, as `pingjia device list` shows it.") var id: Int64

        func run() throws {
            let configuration = try common.load()
            let store = try configuration.openStore(logger: configuration.makeLogger())
            defer { try? store.close() }
            guard let device = try store.revokeDevice(id: id, actor: CommandLineActor.name) else {
                throw ValidationError("No tablet has the id \(id).")
            }
            print("Revoked tablet \(device.id) (\(device.windowCode), \(device.name)).")
        }
    }
}

/// `pingjia visit`: a visit's state, its signed rating link and its QR code.
struct Visit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visit",
        abstract: "Shows a visit (一次一评) and prints its one-time rating link or QR code.",
        subcommands: [Show.self, URLCommand.self, QR.self]
    )

    /// The visit and the link that rates it, signed with the server's current key.
    struct Linked {
        let visit: VisitRecord
        let url: String

        init(_ common: CommonOptions, id: Int64) throws {
            let configuration = try common.load()
            let store = try configuration.openStore(logger: configuration.makeLogger())
            defer { try? store.close() }
            guard let visit = try store.visit(id: id) else { throw ValidationError("No visit has the id \(id).") }
            let keys = try ServerSecret.loadOrCreate(at: configuration.resolvedSecretPath)
            self.visit = visit
            url = VisitLinks(keys: { keys }).url(
                visitID: visit.id, window: visit.windowCode, expiresAtMillis: visit.linkExpiresAtMillis, base: configuration.web.publicBaseURL
            )
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Prints a visit: ticket, window, state, the rating bound to it.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The visit's id.") var id: Int64

        func run() throws {
            let visit = try Linked(common, id: id).visit
            print("visit \(visit.id)\tticket \(visit.ticket)\twindow \(visit.windowCode)\t\(visit.state(atMillis: UTCTimestamp.nowMillis()).rawValue)"
                + (visit.responseID.map { "\tresponse \($0)" } ?? ""))
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Prints a visit's one-time rating link.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The visit's id.") var id: Int64

        func run() throws {
            print(try Linked(common, id: id).url)
        }
    }

    struct QR: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "qr", abstract: "Writes the QR code of a visit's rating link, as SVG (standard output or --out) or PNG."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The visit's id.") var id: Int64
        @Option(help: "The file to write; .png for PNG, anything else for SVG. Default: SVG on standard output.") var out: String?

        func run() throws {
            let linked = try Linked(common, id: id)
            let code = try QRCode(encoding: linked.url)
            guard let out else {
                print(code.svg(title: linked.visit.ticket))
                return
            }
            let bytes = out.lowercased().hasSuffix(".png") ? try code.png() : Array(code.svg(title: linked.visit.ticket).utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: out))
            print("Wrote \(out).")
        }
    }
}
