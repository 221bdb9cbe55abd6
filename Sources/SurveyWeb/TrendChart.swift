import Foundation
import QRCodes

/// A small line chart as inline SVG, drawn on the server: no script, no chart library,
/// crisp at any size and in print. One point per period; a period without a value (no
/// response, or too few to grade) leaves a gap in the line rather than a fall to zero.
///
/// The SVG carries a `<title>` and `<desc>` (named by `aria-labelledby`) and a `<title>`
/// per point, and every label is escaped: labels come from the directory, which staff edit.
/// The values are meant to be shown as text beside it too (the dashboard's table).
struct TrendChart: Sendable {
    struct Point: Sendable, Equatable {
        var label: String
        /// The value, 0–100, or nil for a gap.
        var value: Double?
        /// What the point's tooltip says, e.g. "2026-03: 92.40".
        var caption: String
    }

    var id: String
    var title: String
    var description: String
    var points: [Point]

    static let width = 360.0
    static let height = 150.0
    static let left = 34.0
    static let right = 8.0
    static let top = 10.0
    static let bottom = 24.0

    /// The lowest gridline: a round ten at least 5 below the smallest value (0 to 90), so
    /// that differences between 85 and 95 are visible and 100 is always the top.
    var floor: Double {
        let smallest = points.compactMap(\.value).min() ?? 100
        return Swift.max(0, Swift.min(90, ((smallest - 5) / 10).rounded(.down) * 10))
    }

    func x(_ index: Int) -> Double {
        let span = Self.width - Self.left - Self.right
        guard points.count > 1 else { return Self.left + span / 2 }
        return Self.left + span * Double(index) / Double(points.count - 1)
    }

    func y(_ value: Double) -> Double {
        let span = Self.height - Self.top - Self.bottom
        let clamped = Swift.min(100, Swift.max(floor, value))
        return Self.top + span * (100 - clamped) / (100 - floor)
    }

    /// The runs of consecutive points that have values: one polyline each.
    var runs: [[Int]] {
        var runs: [[Int]] = []
        var current: [Int] = []
        for (index, point) in points.enumerated() {
            if point.value != nil {
                current.append(index)
            } else if !current.isEmpty {
                runs.append(current)
                current = []
            }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// The chart as an `<svg>` element, ready to be placed in a page unescaped.
    var svg: String {
        let titleID = Self.escape("\(id)-title")
        let descID = Self.escape("\(id)-desc")
        var parts: [String] = []
        parts.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trend-chart\" viewBox=\"0 0 \(Self.format(Self.width)) \(Self.format(Self.height))\" "
            + "role=\"img\" aria-labelledby=\"\(titleID) \(descID)\" focusable=\"false\">"
        )
        parts.append("<title id=\"\(titleID)\">\(Self.escape(title))</title>")
        parts.append("<desc id=\"\(descID)\">\(Self.escape(description))</desc>")
        let low = floor
        for level in [low, (low + 100) / 2, 100] {
            let y = Self.format(y(level))
            parts.append(
                "<line class=\"grid\" x1=\"\(Self.format(Self.left))\" y1=\"\(y)\" x2=\"\(Self.format(Self.width - Self.right))\" y2=\"\(y)\" "
                + "stroke=\"#999\" stroke-width=\"0.5\"/>"
            )
            parts.append(
                "<text class=\"axis\" x=\"\(Self.format(Self.left - 4))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\" "
                + "font-size=\"10\">\(Self.format(level))</text>"
            )
        }
        for run in runs where run.count > 1 {
            let coordinates = run.map { "\(Self.format(x($0))),\(Self.format(y(points[$0].value!)))" }.joined(separator: " ")
            parts.append("<polyline class=\"line\" points=\"\(coordinates)\" fill=\"none\" stroke=\"#1a4f8b\" stroke-width=\"2\"/>")
        }
        for (index, point) in points.enumerated() {
            let x = Self.format(x(index))
            parts.append(
                "<text class=\"axis\" x=\"\(x)\" y=\"\(Self.format(Self.height - 6))\" text-anchor=\"middle\" font-size=\"10\">"
                + "\(Self.escape(point.label))</text>"
            )
            if let value = point.value {
                parts.append(
                    "<circle class=\"point\" cx=\"\(x)\" cy=\"\(Self.format(y(value)))\" r=\"3\" fill=\"#1a4f8b\">"
                    + "<title>\(Self.escape(point.caption))</title></circle>"
                )
            } else {
                // A hollow mark on the floor says "no figure", not "zero".
                parts.append(
                    "<circle class=\"gap\" cx=\"\(x)\" cy=\"\(Self.format(y(low)))\" r=\"2.5\" fill=\"none\" stroke=\"#777\">"
                    + "<title>\(Self.escape(point.caption))</title></circle>"
                )
            }
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// Coordinates with at most two decimals, and no `-0`.
    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.2f", rounded).replacingOccurrences(of: #"0$"#, with: "", options: .regularExpression)
    }

    /// Text for an XML element or an attribute value in double quotes.
    static func escape(_ text: String) -> String { escapeXML(text) }
}
