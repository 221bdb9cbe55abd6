import Testing
@testable import SurveyCore

/// Reading periods from text, refusing what is not one, and writing them back.
struct PeriodParsingTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        let text: String
        let canonical: String
        let first: String
        let last: String
        var testDescription: String { "“\(text)”" }
    }

    static let valid: [Valid] = [
        Valid(text: "2026-11", canonical: "2026-11", first: "2026-11-01", last: "2026-11-30"),
        Valid(text: "2026-12", canonical: "2026-12", first: "2026-12-01", last: "2026-12-31"),
        Valid(text: "2026-02", canonical: "2026-02", first: "2026-02-01", last: "2026-02-28"),
        Valid(text: "2024-02", canonical: "2024-02", first: "2024-02-01", last: "2024-02-29"),
        Valid(text: "2026-Q1", canonical: "2026-Q1", first: "2026-01-01", last: "2026-03-31"),
        Valid(text: "2026-Q4", canonical: "2026-Q4", first: "2026-10-01", last: "2026-12-31"),
        Valid(text: "2026-H1", canonical: "2026-H1", first: "2026-01-01", last: "2026-06-30"),
        Valid(text: "2026-H2", canonical: "2026-H2", first: "2026-07-01", last: "2026-12-31"),
        Valid(text: "2026", canonical: "2026", first: "2026-01-01", last: "2026-12-31"),
        Valid(text: "2026-10-01..2026-10-15", canonical: "2026-10-01..2026-10-15", first: "2026-10-01", last: "2026-10-15"),
        Valid(text: "2026-12-25 .. 2027-01-05", canonical: "2026-12-25..2027-01-05", first: "2026-12-25", last: "2027-01-05"),
        Valid(text: "2026-10-01", canonical: "2026-10-01", first: "2026-10-01", last: "2026-10-01"),
        Valid(text: "2026-10-01..2026-10-01", canonical: "2026-10-01", first: "2026-10-01", last: "2026-10-01"),
        Valid(text: "2026-q3", canonical: "2026-Q3", first: "2026-07-01", last: "2026-09-30"),
        Valid(text: "  2026-h1\n", canonical: "2026-H1", first: "2026-01-01", last: "2026-06-30"),
        // Full-width digits and hyphen, as a Chinese input method types them.
        Valid(text: "２０２６－１１", canonical: "2026-11", first: "2026-11-01", last: "2026-11-30"),
        Valid(text: "0001", canonical: "0001", first: "0001-01-01", last: "0001-12-31"),
        Valid(text: "9999-Q4", canonical: "9999-Q4", first: "9999-10-01", last: "9999-12-31"),
        Valid(text: "1969-12", canonical: "1969-12", first: "1969-12-01", last: "1969-12-31"),
    ]

    @Test(arguments: valid)
    func parsesValidText(_ expected: Valid) throws {
        let period = try Period(parsing: expected.text)
        #expect(period.description == expected.canonical)
        #expect(period.firstDay.description == expected.first)
        #expect(period.lastDay.description == expected.last)
        // The canonical form reads back as the same period.
        #expect(try Period(parsing: period.description) == period)
        #expect(Period(period.description) == period)
    }

    @Test(arguments: [
        ("2026-11", Period.Kind.month(year: 2026, month: 11)),
        ("2026-Q4", .quarter(year: 2026, quarter: 4)),
        ("2026-H2", .half(year: 2026, half: 2)),
        ("2026", .year(2026)),
        ("2026-10-01..2026-10-31", .days),
    ])
    func kinds(_ text: String, kind: Period.Kind) throws {
        #expect(try Period(parsing: text).kind == kind)
    }

    /// The same days as a month, written as a range, is a range: its text stays a range.
    @Test func aRangeIsNotAMonth() throws {
        let range = try Period(parsing: "2026-10-01..2026-10-31")
        let month = try Period(parsing: "2026-10")
        #expect(range.days == month.days)
        #expect(range != month)
        #expect(range.description == "2026-10-01..2026-10-31")
    }

    @Test(arguments: [
        ("", PeriodError.empty),
        ("   ", .empty),
        ("2026-13", .monthOutOfRange("2026-13")),
        ("2026-00", .monthOutOfRange("2026-00")),
        ("2026-Q5", .quarterOutOfRange("2026-Q5")),
        ("2026-Q0", .quarterOutOfRange("2026-Q0")),
        ("2026-q5", .quarterOutOfRange("2026-q5")),
        ("2026-H3", .halfOutOfRange("2026-H3")),
        ("2026-H0", .halfOutOfRange("2026-H0")),
        ("2026-10-15..2026-10-01", .reversedRange("2026-10-15..2026-10-01")),
        ("2027-01-01..2026-12-31", .reversedRange("2027-01-01..2026-12-31")),
        ("2026-02-30", .invalidDate("2026-02-30")),
        ("2026-02-29..2026-03-01", .invalidDate("2026-02-29")),
        ("2026-04-31", .invalidDate("2026-04-31")),
        ("2026-13-01", .invalidDate("2026-13-01")),
        ("0000", .yearOutOfRange("0000")),
        ("0000-Q1", .yearOutOfRange("0000-Q1")),
        ("26-11", .unrecognized("26-11")),
        ("2026-1", .unrecognized("2026-1")),
        ("2026/11", .unrecognized("2026/11")),
        ("2026-11-", .unrecognized("2026-11-")),
        ("2026-Q", .unrecognized("2026-Q")),
        ("2026-W01", .unrecognized("2026-W01")),
        ("Q4-2026", .unrecognized("Q4-2026")),
        ("20261", .unrecognized("20261")),
        ("2026-Q4..2026-Q1", .unrecognized("2026-Q4..2026-Q1")),
        ("2026-10-01..", .unrecognized("2026-10-01..")),
        ("2026-10-01..2026-10-05..2026-10-09", .unrecognized("2026-10-01..2026-10-05..2026-10-09")),
        ("-2026", .unrecognized("-2026")),
    ] as [(String, PeriodError)])
    func refusesInvalidText(_ text: String, error: PeriodError) {
        #expect(throws: error) { try Period(parsing: text) }
        #expect(Period(text) == nil)
    }

    @Test func factoriesCheckTheirNumbers() {
        #expect(throws: PeriodError.monthOutOfRange("2026-13")) { try Period.month(year: 2026, month: 13) }
        #expect(throws: PeriodError.quarterOutOfRange("2026-Q5")) { try Period.quarter(year: 2026, quarter: 5) }
        #expect(throws: PeriodError.halfOutOfRange("2026-H3")) { try Period.half(year: 2026, half: 3) }
        #expect(throws: PeriodError.yearOutOfRange("10000")) { try Period.year(10_000) }
        let day = LocalDay(year: 2026, month: 10, day: 1)!
        #expect(throws: PeriodError.reversedRange("2026-10-01..2026-09-30")) {
            try Period.days(from: day, through: day.advanced(by: -1))
        }
    }

    @Test(arguments: [
        (PeriodError.empty, "period_empty"),
        (.unrecognized("x"), "period_unrecognized"),
        (.yearOutOfRange("0000"), "period_year_out_of_range"),
        (.monthOutOfRange("2026-13"), "period_month_out_of_range"),
        (.quarterOutOfRange("2026-Q5"), "period_quarter_out_of_range"),
        (.halfOutOfRange("2026-H3"), "period_half_out_of_range"),
        (.invalidDate("2026-02-30"), "period_invalid_date"),
        (.reversedRange("b..a"), "period_reversed_range"),
    ])
    func errorsHaveStableCodes(_ error: PeriodError, code: String) {
        #expect(error.code == code)
    }
}
