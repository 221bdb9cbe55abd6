import CPNG
import CQRencode

/// A QR code symbol, encoded by libqrencode: a square of dark and light modules.
public struct QRCode: Sendable, Equatable {
    /// Why a text could not be encoded.
    public struct EncodingError: Error, CustomStringConvertible {
        public var description: String
    }

    /// How much of the symbol may be damaged and still read: `medium` recovers about 15 %,
    /// enough for a laminated card with a scratch or a thumb over a corner.
    public enum Correction: Sendable {
        case low, medium, quartile, high

        var level: QRecLevel {
            switch self {
            case .low: QR_ECLEVEL_L
            case .medium: QR_ECLEVEL_M
            case .quartile: QR_ECLEVEL_Q
            case .high: QR_ECLEVEL_H
            }
        }
    }

    /// Modules per side.
    public let size: Int
    /// Row by row, `true` for a dark module.
    private let modules: [Bool]

    /// Encodes `text` (a URL, typically) in 8-bit mode, in the smallest version that holds it.
    public init(encoding text: String, correction: Correction = .medium) throws {
        guard !text.isEmpty, !text.utf8.contains(0) else {
            throw EncodingError(description: "A QR code needs a non-empty text without NUL characters.")
        }
        guard let code = QRcode_encodeString8bit(text, 0, correction.level) else {
            throw EncodingError(description: "The text is too long for a QR code (\(text.utf8.count) bytes).")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        // libqrencode sets bit 0 of each byte for a dark module; the other bits say which
        // part of the symbol the module belongs to.
        modules = (0..<width * width).map { code.pointee.data[$0] & 1 == 1 }
    }

    public func isDark(x: Int, y: Int) -> Bool {
        modules[y * size + x]
    }

    /// The symbol as SVG: one path of unit squares, `quietZone` light modules around it
    /// (the standard asks for 4), scaled by whoever places it. Crisp at any size and in print.
    public func svg(quietZone: Int = 4, title: String? = nil) -> String {
        let side = size + 2 * quietZone
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                let start = x
                while x < size && isDark(x: x, y: y) { x += 1 }
                path += "M\(start + quietZone) \(y + quietZone)h\(x - start)v1h-\(x - start)z"
            }
        }
        let label = title.map { "<title>\(escapeXML($0))</title>" } ?? ""
        return """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(side) \(side)" shape-rendering="crispEdges" role="img">\
            \(label)<rect width="\(side)" height="\(side)" fill="#fff"/><path fill="#000" d="\(path)"/></svg>
            """
    }

    /// The symbol as a PNG of grey pixels, `scale` pixels per module, with the quiet zone.
    public func png(scale: Int = 8, quietZone: Int = 4) throws -> [UInt8] {
        let side = (size + 2 * quietZone) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<size {
            for x in 0..<size where isDark(x: x, y: y) {
                for row in 0..<scale {
                    let offset = ((y + quietZone) * scale + row) * side + (x + quietZone) * scale
                    for column in 0..<scale { pixels[offset + column] = 0 }
                }
            }
        }
        var needed = 0
        guard cpng_write_gray(pixels, UInt32(side), UInt32(side), nil, &needed) == 1, needed > 0 else {
            throw EncodingError(description: "libpng could not size the image.")
        }
        var output = [UInt8](repeating: 0, count: needed)
        var written = needed
        let ok = output.withUnsafeMutableBytes { cpng_write_gray(pixels, UInt32(side), UInt32(side), $0.baseAddress, &written) }
        guard ok == 1 else { throw EncodingError(description: "libpng could not write the image.") }
        return Array(output.prefix(written))
    }
}

/// Text for an XML element, or an attribute value in double quotes.
public func escapeXML(_ text: String) -> String {
    var escaped = ""
    for character in text {
        switch character {
        case "&": escaped += "&amp;"
        case "<": escaped += "&lt;"
        case ">": escaped += "&gt;"
        case "\"": escaped += "&quot;"
        default: escaped.append(character)
        }
    }
    return escaped
}
