import Foundation
import QRCodes
import Testing

/// Codes drawn by libqrencode and libpng, read back by a real decoder (zbarimg).
@Suite struct QRCodeTests {
    static func decode(png: [UInt8]) throws -> [String] {
        let path = NSTemporaryDirectory() + "pingjia-qr-\(UUID().uuidString).png"
        try Data(png).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/zbarimg")
        process.arguments = ["--quiet", "--raw", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test(arguments: [
        "https://pingjia.example.gov.cn/r/W01?t=k1.0123456789abcdef0123456789abcdef",
        "https://评价.example/r/W20",
        "x",
    ])
    func aPNGDecodesToItsText(text: String) throws {
        let code = try QRCode(encoding: text)
        let png = try code.png(scale: 6)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try Self.decode(png: png) == [text])
    }

    @Test func theSVGHasAQuietZoneAndOnlyWholeModules() throws {
        let code = try QRCode(encoding: "https://pingjia.example/r/W01")
        let svg = code.svg(quietZone: 4, title: "1号窗口 <评价>")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(code.size + 8) \(code.size + 8)\""))
        #expect(svg.contains("<title>1号窗口 &lt;评价&gt;</title>"))
        // Whole-number coordinates only: crisp edges at any scale.
        #expect(!svg.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("."))
    }

    @Test func anEmptyTextIsRefused() {
        #expect(throws: QRCode.EncodingError.self) { try QRCode(encoding: "") }
    }

    @Test func aTextTooLongForAnySymbolIsRefused() {
        #expect(throws: QRCode.EncodingError.self) { try QRCode(encoding: String(repeating: "a", count: 4000)) }
    }
}
