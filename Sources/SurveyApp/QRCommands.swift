import ArgumentParser
import Foundation
import QRCodes
import SurveyCore
import SurveyWeb

/// `pingjia qr`: the signed links on each window's QR card, the cards themselves, and the
/// keys that sign them.
struct QR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Prints windows' signed QR links and cards, and rotates or retires the keys that sign them.",
        subcommands: [URLCommand.self, Image.self, Print.self, Keys.self, Rotate.self, Retire.self]
    )

    /// What every `qr` command that signs needs: the directory, the keys and the public address.
    struct Signing {
        let configuration: PingjiaConfiguration
        let directory: Directory
        let links: WindowLinks
        let base: String

        init(_ common: CommonOptions) throws {
            let file = try common.load()
            guard let base = file.web.publicBaseURL else {
                throw ValidationError("Set server.public_base_url in the configuration: the address phones reach Pingjia at, such as https://pingjia.example.gov.cn.")
            }
            self.base = base
            let keys = try ServerSecret.loadOrCreate(at: file.resolvedSecretPath)
            links = WindowLinks(keys: { keys })
            let logger = file.makeLogger()
            let store = try file.openStore(logger: logger)
            configuration = try file.withStoredSettings(of: store)
            directory = try store.directory()
            try store.close()
        }

        func window(_ code: String) throws -> ServiceWindow {
            guard let window = directory.window(code: code), window.active else {
                throw ValidationError("No active window has the code \(code).")
            }
            return window
        }
    }

    struct URLCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "url", abstract: "Prints a window's signed link, for systems that print their own cards."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The window's code, e.g. W01.") var window: String

        func run() throws {
            let signing = try Signing(common)
            print(signing.links.url(forWindow: try signing.window(window).code, base: signing.base))
        }
    }

    struct Image: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Writes a window's QR code as SVG or PNG.")
        @OptionGroup var common: CommonOptions
        @Argument(help: "The window's code, e.g. W01.") var window: String
        @Option(help: "The file to write; .png for PNG, anything else for SVG.") var out: String
        @Option(help: "Pixels per module in a PNG.") var scale: Int = 10

        func run() throws {
            let signing = try Signing(common)
            let code = try QRCode(encoding: signing.links.url(forWindow: try signing.window(window).code, base: signing.base))
            let bytes = out.lowercased().hasSuffix(".png") ? try code.png(scale: scale) : Array(code.svg().utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: out))
            print("Wrote \(out).")
        }
    }

    struct Print: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Writes the printable A4 sheet of QR cards (HTML; print it, or save it as PDF from a browser)."
        )
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this department's windows; repeat for several. Default: every window.") var department: [String] = []
        @Option(help: "The HTML file to write.") var out: String

        func run() throws {
            let signing = try Signing(common)
            for code in department where !signing.directory.departments.contains(where: { $0.code == code }) {
                throw ValidationError("No department has the code \(code).")
            }
            let html = try QRCardSheet.html(
                directory: signing.directory, departments: Set(department),
                centerName: signing.configuration.web.centerName, centerNameEnglish: signing.configuration.web.centerNameEnglish,
                links: signing.links, base: signing.base
            )
            try Data(html.utf8).write(to: URL(fileURLWithPath: out))
            print("Wrote \(out).")
        }
    }

    struct Keys: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lists the signing keys, newest last.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            let configuration = try common.load()
            let keys = try ServerSecret.loadOrCreate(at: configuration.resolvedSecretPath)
            let current = keys.current.id
            for entry in keys.entries {
                print("\(entry.id)\t\(entry.retired ? "retired" : entry.id == current ? "signing" : "verifying")")
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Adds a signing key; cards printed before keep working until their key is retired."
        )
        @OptionGroup var common: CommonOptions

        func run() throws {
            let configuration = try common.load()
            let id = try ServerSecret.rotate(at: configuration.resolvedSecretPath)
            print("New links are signed with \(id). A running server takes it up within a few seconds.")
        }
    }

    struct Retire: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Retires a key: links signed with it are refused from then on (reprint those cards first)."
        )
        @OptionGroup var common: CommonOptions
        @Argument(help: "The key's id, as `pingjia qr keys` lists it.") var keyID: String

        func run() throws {
            let configuration = try common.load()
            try ServerSecret.retire(keyID, at: configuration.resolvedSecretPath)
            print("Retired \(keyID). A running server refuses its links within a few seconds.")
        }
    }
}
