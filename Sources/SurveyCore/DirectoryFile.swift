import Foundation

/// The whole directory as one file, JSON or CSV, for `pingjia directory export|import`: a
/// center can be set up from a spreadsheet and the result exported again.
///
/// CSV has one record per line under the header `kind,code,name,name_en,department,window,active`
/// (`kind` is department, window, item or staff; `active` is true or false; `name_en` is the
/// English name, empty for none). JSON is
/// `{"departments": [...], "windows": [...], "items": [...], "staff": [...]}` with the same
/// fields in each record (`name_en` null for none; staff have none).
///
/// A file written before English names existed has no `name_en` column (CSV) or member
/// (JSON, per record): importing it leaves the English names as they are. A `name_en` that
/// is given but empty (or null) removes the English name.
public enum DirectoryFile {
    public enum Format: String, Sendable, CaseIterable {
        case json
        case csv
    }

    public static let csvColumns = ["kind", "code", "name", "name_en", "department", "window", "active"]

    /// What a file holds: its records, and the records that say nothing of their English
    /// name (by `key(kind:code:)`), whose English names an import keeps.
    public struct Contents: Sendable, Equatable {
        public var entries: [DirectoryEntry]
        public var keepingEnglishName: Set<String>

        public init(entries: [DirectoryEntry], keepingEnglishName: Set<String> = []) {
            self.entries = entries
            self.keepingEnglishName = keepingEnglishName
        }
    }

    /// How records are matched between a file and the directory: kind and code, in any
    /// letter case.
    public static func key(kind: DirectoryKind, code: String) -> String {
        "\(kind.rawValue)|\(code.lowercased())"
    }

    // MARK: Writing

    public static func encode(_ entries: [DirectoryEntry], as format: Format) -> String {
        switch format {
        case .csv:
            var lines = [csvColumns.joined(separator: ",")]
            for entry in entries {
                lines.append([
                    entry.kind.rawValue, entry.code, entry.name, entry.englishName ?? "", entry.department ?? "", entry.window ?? "", entry.active ? "true" : "false",
                ].map(csvField).joined(separator: ","))
            }
            return lines.joined(separator: "\r\n") + "\r\n"
        case .json:
            var object: [String: Any] = [:]
            for kind in DirectoryKind.allCases {
                object[kind.plural] = entries.filter { $0.kind == kind }.map { entry -> [String: Any] in
                    var record: [String: Any] = ["code": entry.code, "name": entry.name, "active": entry.active]
                    if kind.hasEnglishName { record["name_en"] = entry.englishName ?? NSNull() }
                    if kind.hasDepartment { record["department"] = entry.department ?? "" }
                    if kind == .staff { record["window"] = entry.window ?? NSNull() }
                    return record
                }
            }
            // Strings, booleans, null and arrays of them: serialization cannot fail.
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: Reading

    /// Reads and checks a file. Every problem found is returned, each with its place (the
    /// CSV line, or the JSON record such as `windows[2]`) and field; nothing is returned
    /// as entries unless there is no problem at all.
    public static func decode(_ bytes: [UInt8], as format: Format) -> Result<[DirectoryEntry], DirectoryFileProblems> {
        read(bytes, as: format).map(\.entries)
    }

    /// Reads and checks a file like `decode`, and tells which records say nothing of their
    /// English name.
    public static func read(_ bytes: [UInt8], as format: Format) -> Result<Contents, DirectoryFileProblems> {
        let read: (entries: [(DirectoryEntry, String)], problems: [DirectoryFileProblem], silent: Set<String>)
        switch format {
        case .csv: read = readCSV(String(decoding: bytes, as: UTF8.self))
        case .json: read = readJSON(bytes)
        }
        let (clean, found) = check(read.entries)
        let problems = read.problems + found
        guard problems.isEmpty else { return .failure(DirectoryFileProblems(problems: problems)) }
        let keeping = Set(clean.filter { read.silent.contains($0.1) }.map { key(kind: $0.0.kind, code: $0.0.code) })
        return .success(Contents(entries: clean.map(\.0), keepingEnglishName: keeping))
    }

    /// The format a file name implies (`.csv` or `.json`), if any.
    public static func format(ofPath path: String) -> Format? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".json") { return .json }
        return nil
    }

    private static func readCSV(_ text: String) -> ([(DirectoryEntry, String)], [DirectoryFileProblem], Set<String>) {
        var rows = csvRows(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let header = rows.first else {
            return ([], [DirectoryFileProblem(place: "line 1", field: nil, error: .missingColumn("kind"))], [])
        }
        rows.removeFirst()
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var problems: [DirectoryFileProblem] = []
        for required in ["kind", "code", "name"] where !names.contains(required) {
            problems.append(DirectoryFileProblem(place: "line 1", field: required, error: .missingColumn(required)))
        }
        guard problems.isEmpty else { return ([], problems, []) }
        let translated = names.contains("name_en")
        var silent: Set<String> = []
        var entries: [(DirectoryEntry, String)] = []
        for row in rows where !row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            let place = "line \(row.line)"
            func value(_ name: String) -> String {
                guard let index = names.firstIndex(of: name), index < row.fields.count else { return "" }
                return row.fields[index]
            }
            let kindText = value("kind").trimmingCharacters(in: .whitespaces).lowercased()
            guard let kind = DirectoryKind(rawValue: kindText) ?? DirectoryKind(plural: kindText) else {
                problems.append(DirectoryFileProblem(place: place, field: "kind", error: .unknownKind(value("kind"))))
                continue
            }
            guard let active = parseActive(value("active")) else {
                problems.append(DirectoryFileProblem(place: place, field: "active", error: .invalidActive(value("active"))))
                continue
            }
            let found = entry(kind: kind, code: value("code"), name: value("name"), englishName: value("name_en"),
                              department: value("department"), window: value("window"), active: active)
            if !translated { silent.insert(place) }
            entries.append((found, place))
        }
        return (entries, problems, silent)
    }

    private static func readJSON(_ bytes: [UInt8]) -> ([(DirectoryEntry, String)], [DirectoryFileProblem], Set<String>) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return ([], [DirectoryFileProblem(place: "file", field: nil, error: .malformedJSON)], [])
        }
        var silent: Set<String> = []
        var entries: [(DirectoryEntry, String)] = []
        var problems: [DirectoryFileProblem] = []
        for name in object.keys.sorted() where DirectoryKind(plural: name) == nil {
            problems.append(DirectoryFileProblem(place: name, field: nil, error: .unknownKind(name)))
        }
        for kind in DirectoryKind.allCases {
            guard let value = object[kind.plural] else { continue }
            guard let records = value as? [Any] else {
                problems.append(DirectoryFileProblem(place: kind.plural, field: nil, error: .malformedJSON))
                continue
            }
            for (index, item) in records.enumerated() {
                let place = "\(kind.plural)[\(index)]"
                guard let record = item as? [String: Any] else {
                    problems.append(DirectoryFileProblem(place: place, field: nil, error: .malformedJSON))
                    continue
                }
                var bad = false
                func text(_ field: String) -> String {
                    switch record[field] {
                    case nil, is NSNull: return ""
                    case let string as String: return string
                    default:
                        problems.append(DirectoryFileProblem(place: place, field: field, error: .notText(field)))
                        bad = true
                        return ""
                    }
                }
                var active = true
                switch record["active"] {
                case nil: break
                case let flag as Bool: active = flag
                default:
                    problems.append(DirectoryFileProblem(place: place, field: "active", error: .invalidActive("\(record["active"]!)")))
                    bad = true
                }
                let found = entry(
                    kind: kind, code: text("code"), name: text("name"), englishName: text("name_en"), department: text("department"),
                    window: text("window"), active: active
                )
                if record["name_en"] == nil { silent.insert(place) }
                if !bad { entries.append((found, place)) }
            }
        }
        return (entries, problems, silent)
    }

    private static func entry(
        kind: DirectoryKind, code: String, name: String, englishName: String, department: String, window: String, active: Bool
    ) -> DirectoryEntry {
        let department = department.trimmingCharacters(in: .whitespaces)
        let window = window.trimmingCharacters(in: .whitespaces)
        return DirectoryEntry(
            kind: kind, code: code, name: name, englishName: englishName,
            department: kind.hasDepartment ? department : nil,
            window: kind == .staff && !window.isEmpty ? window : nil,
            active: active
        )
    }

    private static func parseActive(_ text: String) -> Bool? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "", "true", "1", "yes", "y", "是": true
        case "false", "0", "no", "n", "否": false
        default: nil
        }
    }

    /// The file as a directory of its own: codes and names that follow the rules, no code
    /// twice, every department, window and usual window named where the file has it.
    /// Codes and names are replaced by their stored form.
    private static func check(_ entries: [(DirectoryEntry, String)]) -> (entries: [(DirectoryEntry, String)], problems: [DirectoryFileProblem]) {
        var problems: [DirectoryFileProblem] = []
        var clean: [(DirectoryEntry, String)] = []
        var seen: Set<String> = []
        for (entry, place) in entries {
            var entry = entry
            do throws(DirectoryError) {
                entry.code = try DirectoryRules.checkedCode(entry.code, kind: entry.kind)
                entry.name = try DirectoryRules.checkedName(entry.name, kind: entry.kind)
                entry.englishName = try DirectoryRules.checkedEnglishName(entry.englishName, kind: entry.kind)
                guard seen.insert(key(kind: entry.kind, code: entry.code)).inserted else {
                    throw .duplicateCode(entry.kind, entry.code)
                }
                clean.append((entry, place))
            } catch {
                problems.append(DirectoryFileProblem(place: place, field: error.field, error: .record(error)))
            }
        }
        let departments = Dictionary(clean.filter { $0.0.kind == .department }.map { ($0.0.code, $0.0) }, uniquingKeysWith: { a, _ in a })
        let windows = Dictionary(clean.filter { $0.0.kind == .window }.map { ($0.0.code, $0.0) }, uniquingKeysWith: { a, _ in a })
        for (entry, place) in clean where entry.kind.hasDepartment {
            let code = entry.department ?? ""
            guard let department = departments[code] else {
                problems.append(DirectoryFileProblem(place: place, field: "department", error: .record(.unknownDepartment(code))))
                continue
            }
            if entry.active && !department.active {
                problems.append(DirectoryFileProblem(place: place, field: "department", error: .record(.inactiveDepartment(code))))
            }
            if let windowCode = entry.window {
                guard let window = windows[windowCode], window.active || !entry.active else {
                    problems.append(DirectoryFileProblem(place: place, field: "window", error: .record(.unknownWindow(windowCode))))
                    continue
                }
                if window.department != code {
                    problems.append(DirectoryFileProblem(
                        place: place, field: "window", error: .record(.windowInOtherDepartment(window: windowCode, department: code))
                    ))
                }
            }
        }
        return (clean, problems)
    }

    /// Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes
    /// doubled, and line breaks), each with the line it starts on.
    static func csvRows(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case "\"" where field.isEmpty: quoted = true
            case ",": fields.append(field); field = ""
            case "\n", "\r\n", "\r":
                fields.append(field)
                rows.append((rowLine, fields))
                fields = []
                field = ""
                line += 1
                rowLine = line
            default: field.append(character)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append((rowLine, fields))
        }
        return rows
    }
}

/// What is wrong with one record of an import file, and where.
public struct DirectoryFileProblem: Sendable, Equatable {
    /// `line 4` for CSV, `windows[2]` for JSON, `file` for the whole file.
    public var place: String
    /// The column or JSON field, if the problem is about one.
    public var field: String?
    public var error: DirectoryFileError

    public init(place: String, field: String?, error: DirectoryFileError) {
        self.place = place
        self.field = field
        self.error = error
    }
}

/// Why a record of an import file cannot be read, beside the rules of `DirectoryError`.
public enum DirectoryFileError: Error, Sendable, Equatable {
    case malformedJSON
    case missingColumn(String)
    case unknownKind(String)
    case invalidActive(String)
    case notText(String)
    case record(DirectoryError)
}

/// Every problem of an import file; nothing was changed.
public struct DirectoryFileProblems: Error, Sendable, Equatable {
    public var problems: [DirectoryFileProblem]

    public init(problems: [DirectoryFileProblem]) {
        self.problems = problems
    }
}
