import Foundation
import GRDB
import SurveyCore
import SurveyStore

/// `pingjia-bench aggregation`: a year of responses (10 million by default) in a temporary
/// SQLite file, then the indicator queries, a recomputation from raw rows, and `verify`.
///
/// Loading: the first 329 days are written straight into `response` in bulk (one
/// prepared INSERT, big transactions, synchronous OFF) and summed by `rebuildRollups()`;
/// the last 36 days (about a tenth) go through the store's real insert path
/// (`importResponses`), so `verify` also checks rollups kept one insert at a time.
struct AggregationBenchmark {
    var responses = 10_000_000
    var insertRows = 200_000
    var keep = false
    static let year = 2026
    static let bulkDays = 329

    init(arguments: [String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--responses": responses = try Self.number(rest.popFirst(), argument)
            case "--insert-rows": insertRows = try Self.number(rest.popFirst(), argument)
            case "--keep": keep = true
            default: throw BenchError.failed("unknown argument \(argument)")
            }
        }
    }

    private static func number(_ text: String?, _ name: String) throws -> Int {
        guard let text, let value = Int(text.replacingOccurrences(of: "_", with: "")), value > 0 else {
            throw BenchError.failed("\(name) needs a positive number")
        }
        return value
    }

    func run() throws {
        let directory = NSTemporaryDirectory() + "pingjia-bench-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            if !keep { try? FileManager.default.removeItem(atPath: directory) }
        }
        print(Self.machine())

        print("\n### Insert path (\(insertRows.formatted()) rows per run, best of 2)\n")
        print("| path | before (v1) rows/s | after (v2) rows/s | after / before |")
        print("|---|---|---|---|")
        for result in try InsertPathBenchmark(rows: insertRows, directory: directory).run() {
            let before = result.before.map { Self.rate($0) } ?? "–"
            let ratio = result.before.map { String(format: "%.2f", result.after / $0) } ?? "–"
            print("| \(result.label) | \(before) | \(Self.rate(result.after)) | \(ratio) |")
        }

        let path = directory + "/year.sqlite"
        print("\n### A year of \(responses.formatted()) responses\n")
        let (load, loadTimes) = try loadYear(path: path)
        print("| step | time |")
        print("|---|---|")
        for (label, duration) in loadTimes {
            print("| \(label) | \(duration.formattedSeconds) |")
        }

        let store = try SurveyStore(path: path, timeZone: LocalDay.centerTimeZone)
        let quarter = try Period.quarter(year: Self.year, quarter: 4)
        let year = try Period.year(Self.year)
        let months = try Period.month(year: Self.year, month: 12).trend(count: 12)
        let range = try Period(parsing: "2026-03-15..2026-11-14")
        let department = load.center.directory.departments[0].id
        let queries: [(String, () throws -> Int)] = [
            ("2026-Q4, center", { try store.tallies(quarter, by: .center).count }),
            ("2026-Q4, by department (ranking)", { try store.tallies(quarter, by: .department).count }),
            ("2026, center", { try store.tallies(year, by: .center).count }),
            ("2026, by department", { try store.tallies(year, by: .department).count }),
            ("2026, by window, all 120", { try store.tallies(year, by: .window()).count }),
            ("2026, windows of one department", { try store.tallies(year, by: .window(departmentID: department)).count }),
            ("2026, staff of one department", { try store.tallies(year, by: .staff(departmentID: department)).count }),
            ("2026, items of one department", { try store.tallies(year, by: .item(departmentID: department)).count }),
            ("2026-03-15..2026-11-14 (days + months + days), by department", { try store.tallies(range, by: .department).count }),
            ("2026-11-14, one day, by window", { try store.tallies(try Period(parsing: "2026-11-14"), by: .window()).count }),
            ("12-month trend, center", { try store.trendTallies(months, by: .center).count }),
            ("12-month trend, by department", { try store.trendTallies(months, by: .department).count }),
        ]
        print("\n### Indicator queries (from the rollups; 20 runs after a warm-up)\n")
        print("| query | groups | median | fastest |")
        print("|---|---|---|---|")
        for (label, query) in queries {
            let groups = try query()
            let (median, best) = try Stopwatch.repeated(20) { _ = try query() }
            print("| \(label) | \(groups) | \(median.formattedMilliseconds) | \(best.formattedMilliseconds) |")
        }

        print("\n### The slow truth and verify\n")
        print("| step | time | result |")
        print("|---|---|---|")
        let (rolled, _) = try Stopwatch.time { try store.tallies(quarter, by: .department) }
        let (recomputed, recomputeTime) = try Stopwatch.time { try store.recomputedTallies(quarter, by: .department) }
        print("| recomputedTallies 2026-Q4 by department, from raw rows | \(recomputeTime.formattedSeconds) | \(rolled == recomputed ? "equal to the rollups" : "DIFFERENT from the rollups") |")
        let (report, verifyTime) = try Stopwatch.time { try store.verify() }
        let verdict = report.isConsistent ? "consistent" : "\(report.differenceCount) differences, \(report.wrongLocalDays) wrong local days"
        print("| verify(): \(report.validResponses.formatted()) valid responses, \(report.detailDayRows.formatted()) detail-day, \(report.windowDayRows.formatted()) window-day, \(report.detailMonthRows.formatted()) detail-month and \(report.windowMonthRows.formatted()) window-month rows | \(verifyTime.formattedSeconds) | \(verdict) |")
        try store.close()

        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        print("\nDatabase file: \(String(format: "%.2f", Double(size) / 1e9)) GB\(keep ? " at \(path)" : " (removed)").")
        guard rolled == recomputed, report.isConsistent else { throw BenchError.failed("the rollups do not match the responses") }
    }

    struct Loaded {
        var center: BenchCenter
    }

    /// Writes the year and returns the load steps' times.
    private func loadYear(path: String) throws -> (Loaded, [(String, Duration)]) {
        var times: [(String, Duration)] = []
        let setup = try SurveyStore(path: path, timeZone: LocalDay.centerTimeZone)
        let center = try BenchCenter.create(in: setup)
        try setup.close()

        var random = SplitMix(state: 20_261_125)
        let zone = LocalDay.centerTimeZone
        let firstDay = LocalDay(year: Self.year, month: 1, day: 1)!
        let perDay = responses / 365
        let extra = responses % 365
        func count(onDay day: Int) -> Int { perDay + (day < extra ? 1 : 0) }
        // Opening hours 08:30–17:30, responses evenly spread so rowid order is time order.
        func millis(day: Int, index: Int, of total: Int) -> Int64 {
            let opening = firstDay.advanced(by: Int64(day)).startMillis(in: zone) + 8 * 3_600_000 + 1_800_000
            return opening + Int64(index) * (9 * 3_600_000) / Int64(max(total, 1))
        }

        // Bulk: raw rows only, as an import from another system would arrive.
        let bulkRows = (0..<Self.bulkDays).reduce(0) { $0 + count(onDay: $1) }
        var bulkConfiguration = Configuration()
        bulkConfiguration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = OFF; PRAGMA cache_size = -262144")
        }
        let queue = try DatabaseQueue(path: path, configuration: bulkConfiguration)
        var sequence = 0
        let (_, bulkTime) = try Stopwatch.time {
            var day = 0
            while day < Self.bulkDays {
                let lastDay = min(day + 10, Self.bulkDays)
                try queue.write { db in
                    let statement = try db.makeStatement(sql: """
                        INSERT INTO response (client_id, window_id, department_id, service_item_id, staff_id, channel,
                                              attitude, efficiency, result, is_negative, comment, reasons, created_at,
                                              local_day, status)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)
                        """)
                    for d in day..<lastDay {
                        let total = count(onDay: d)
                        let localDay = firstDay.daysSinceEpoch + Int64(d)
                        for index in 0..<total {
                            let draw = center.draw(&random)
                            sequence += 1
                            let negative = draw.ratings.isNegative
                            try statement.execute(arguments: [
                                "bench-\(sequence)", draw.window.id, draw.department.id, draw.item?.id, draw.staff?.id,
                                draw.channel.rawValue, draw.ratings.attitude.rawValue, draw.ratings.efficiency.rawValue,
                                draw.ratings.result.rawValue, negative, negative ? #"["等候时间长"]"# : "[]",
                                millis(day: d, index: index, of: total), localDay, draw.misuse ? "misuse" : "valid",
                            ])
                        }
                    }
                }
                day = lastDay
            }
        }
        try queue.close()
        times.append(("bulk INSERT of \(bulkRows.formatted()) raw rows (days 1–\(Self.bulkDays), \(Self.rate(Double(bulkRows) / bulkTime.seconds)))", bulkTime))

        let store = try SurveyStore(path: path, timeZone: LocalDay.centerTimeZone)
        let (_, rebuildTime) = try Stopwatch.time { try store.rebuildRollups() }
        times.append(("rebuildRollups() over them (local days checked, the four rollup tables rebuilt)", rebuildTime))

        // The rest through the real insert path, a day per transaction.
        var liveRows = 0
        let (_, liveTime) = try Stopwatch.time {
            for d in Self.bulkDays..<365 {
                let total = count(onDay: d)
                let batch = (0..<total).map { index in
                    sequence += 1
                    return (submission: center.submission(center.draw(&random), clientID: "bench-\(sequence)"),
                            atMillis: millis(day: d, index: index, of: total))
                }
                liveRows += try store.importResponses(batch)
            }
        }
        times.append(("importResponses() of \(liveRows.formatted()) rows through the insert path (days \(Self.bulkDays + 1)–365, \(Self.rate(Double(liveRows) / liveTime.seconds)))", liveTime))
        try store.close()
        return (Loaded(center: center), times)
    }

    static func rate(_ rowsPerSecond: Double) -> String {
        rowsPerSecond >= 1000 ? String(format: "%.0fk rows/s", rowsPerSecond / 1000) : String(format: "%.0f rows/s", rowsPerSecond)
    }

    /// Where the figures were taken.
    static func machine() -> String {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        let sqlite = (try? DatabaseQueue().read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }) ?? nil
        let memory = ProcessInfo.processInfo.physicalMemory / 1_073_741_824
        #if DEBUG
        let build = "debug (figures not representative)"
        #else
        let build = "release"
        #endif
        return "Machine: \(ProcessInfo.processInfo.activeProcessorCount) cores (\(model)), \(memory) GB RAM, "
            + "SQLite \(sqlite ?? "?"), \(build) build, temporary files in \(NSTemporaryDirectory())."
    }
}
