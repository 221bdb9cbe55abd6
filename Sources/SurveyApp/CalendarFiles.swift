import Foundation
import SurveyCore
import SurveyWeb

/// Reads the working-day calendar files (`cn-YYYY.json`, see deploy/calendar/README.md)
/// with the strict JSON parser: an unknown key, a malformed date or an impossible day is
/// an error naming the file, never a silently wrong deadline.
enum CalendarFiles {
    /// The calendar of every `*.json` file in `directory`, in name order.
    static func load(directory: String) throws -> WorkingCalendar {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        } catch {
            throw ConfigurationError("cases.calendar_directory: cannot read \(directory): \(error.localizedDescription)")
        }
        var calendar = WorkingCalendar.weekendsOnly
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                calendar = try calendar.adding(year(fromFileAt: path))
            } catch let error as WorkingCalendar.DataError {
                throw ConfigurationError("The calendar file \(path) is wrong: \(error).")
            }
        }
        return calendar
    }

    /// One year's data from one file.
    static func year(fromFileAt path: String) throws -> WorkingCalendar.Year {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("Cannot read the calendar file \(path).")
        }
        let document: JSONInput
        do {
            document = try JSONInput.parsing([UInt8](data))
        } catch {
            throw ConfigurationError("The calendar file \(path) is not valid JSON: \(error).")
        }
        return try year(from: document, file: path)
    }

    static func year(from document: JSONInput, file: String) throws -> WorkingCalendar.Year {
        func fail(_ problem: String) -> ConfigurationError { ConfigurationError("The calendar file \(file) is wrong: \(problem).") }
        func members(_ value: JSONInput, _ what: String, keys: Set<String>) throws -> [String: JSONInput] {
            guard case .object(let members) = value else { throw fail("\(what) must be an object") }
            if let unknown = Set(members.keys).subtracting(keys).sorted().first { throw fail("\(what) has an unknown key \"\(unknown)\"") }
            return members
        }
        func day(_ value: JSONInput?, _ what: String) throws -> LocalDay {
            guard case .string(let text)? = value, text.count == 10,
                  let period = try? Period(parsing: text), period.firstDay == period.lastDay else {
                throw fail("\(what) must be a date written YYYY-MM-DD")
            }
            return period.firstDay
        }
        func list(_ key: String, in root: [String: JSONInput]) throws -> [JSONInput] {
            guard let value = root[key] else { return [] }
            guard case .array(let items) = value else { throw fail("\(key) must be a list") }
            return items
        }
        let root = try members(document, "the file", keys: ["year", "source", "holidays", "working_days"])
        guard case .integer(let wide)? = root["year"], let year = Int(exactly: wide), LocalDay.supportedYears.contains(year) else {
            throw fail("year must be a whole number such as 2026")
        }
        guard case .string(let source)? = root["source"], !source.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail("source must say where the days come from")
        }
        var holidays: [LocalDay] = []
        for (index, item) in try list("holidays", in: root).enumerated() {
            let holiday = try members(item, "holidays[\(index)]", keys: ["name", "from", "to"])
            let from = try day(holiday["from"], "holidays[\(index)].from")
            let to = try day(holiday["to"], "holidays[\(index)].to")
            guard from <= to, from.distance(to: to) < 31 else { throw fail("holidays[\(index)] must run forwards, at most 31 days") }
            holidays += Array(from...to)
        }
        var workingDays: [LocalDay] = []
        for (index, item) in try list("working_days", in: root).enumerated() {
            let entry = try members(item, "working_days[\(index)]", keys: ["name", "date"])
            workingDays.append(try day(entry["date"], "working_days[\(index)].date"))
        }
        return WorkingCalendar.Year(year: year, holidays: holidays, makeUpWorkingDays: workingDays)
    }
}
