import Foundation
import Testing
@testable import SurveyWeb

/// The dashboard's trend chart: values in, SVG out, with gaps for months without a figure
/// and every label escaped.
@Suite struct TrendChartTests {
    static func chart(_ values: [Double?], labels: [String]? = nil, title: String = "市场监管科") -> TrendChart {
        let labels = labels ?? values.indices.map { String($0 + 1) }
        return TrendChart(
            id: "trend-SCJG", title: title, description: "近 12 个月",
            points: zip(labels, values).map { label, value in
                TrendChart.Point(label: label, value: value, caption: "\(label): \(value.map { String($0) } ?? "–")")
            }
        )
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func aFullYearIsOneLineThroughTwelvePoints() {
        let svg = Self.chart((0..<12).map { 80 + Double($0) }).svg
        #expect(svg.hasPrefix("<svg "))
        #expect(svg.hasSuffix("</svg>"))
        #expect(Self.count("<polyline", in: svg) == 1)
        #expect(Self.count("class=\"point\"", in: svg) == 12)
        #expect(Self.count("class=\"gap\"", in: svg) == 0)
    }

    @Test func monthsWithoutAFigureBreakTheLineInsteadOfFallingToZero() {
        let svg = Self.chart([90, 91, nil, 92, 93, nil, nil, 94, nil, 95, 96, 97]).svg
        // Runs: 90–91, 92–93, 94 alone, 95–97: three lines, one lone point.
        #expect(Self.count("<polyline", in: svg) == 3)
        #expect(Self.count("class=\"point\"", in: svg) == 8)
        #expect(Self.count("class=\"gap\"", in: svg) == 4)
        let chart = Self.chart([90, nil, 92])
        #expect(chart.runs == [[0], [2]])
        #expect(!chart.svg.contains("<polyline"))
    }

    @Test func noFigureAtAllDrawsOnlyTheAxesAndGapMarks() {
        let svg = Self.chart(Array(repeating: nil, count: 12)).svg
        #expect(!svg.contains("<polyline"))
        #expect(Self.count("class=\"gap\"", in: svg) == 12)
        #expect(svg.contains(">100</text>"))
    }

    @Test func labelsTitlesAndCaptionsAreEscaped() {
        let svg = Self.chart([90, 91], labels: ["<b>", "a&\"b'"], title: "科</title><script>alert(1)</script>").svg
        #expect(!svg.contains("<script>"))
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("科&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(svg.contains("&lt;b&gt;"))
        #expect(svg.contains("a&amp;&quot;b'"))
    }

    @Test func theChartIsNamedForAssistiveTechnology() {
        let svg = Self.chart([90, 91]).svg
        #expect(svg.contains("role=\"img\""))
        #expect(svg.contains("aria-labelledby=\"trend-SCJG-title trend-SCJG-desc\""))
        #expect(svg.contains("<title id=\"trend-SCJG-title\">市场监管科</title>"))
        #expect(svg.contains("<desc id=\"trend-SCJG-desc\">近 12 个月</desc>"))
        // No inline style: the pages' CSP would refuse it.
        #expect(!svg.contains("style="))
    }

    @Test(arguments: [
        ([95.0, 99.0], 90.0), ([86.0, 99.0], 80.0), ([85.0], 80.0), ([40.0, 90.0], 30.0), ([2.0], 0.0), ([100.0], 90.0),
    ])
    func theLowestGridlineIsARoundTenBelowTheSmallestValue(values: [Double], floor: Double) {
        #expect(Self.chart(values).floor == floor)
    }

    @Test func higherValuesAreDrawnHigher() {
        let chart = Self.chart([70, 100])
        #expect(chart.y(100) < chart.y(70))
        #expect(chart.y(100) == TrendChart.top)
        #expect(chart.x(0) < chart.x(1))
    }

    @Test(arguments: [(1.0, "1"), (1.5, "1.5"), (1.25, "1.25"), (1.234, "1.23"), (-0.001, "0"), (100.0, "100")])
    func coordinatesAreShort(value: Double, text: String) {
        #expect(TrendChart.format(value) == text)
    }
}
