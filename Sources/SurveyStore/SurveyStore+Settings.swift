import Foundation
import GRDB
import SurveyCore

/// A center setting an administrator changed, as stored: its key and JSON document.
public struct StoredSetting: Sendable, Equatable {
    /// The setting's name, such as `indicator.method`.
    public var key: String
    /// The setting's value as a JSON document; its shape belongs to the web layer's codec.
    public var valueJSON: String
    public var updatedAtMillis: Int64
    /// Who changed it last, as the audit log names them.
    public var updatedBy: String
}

/// An administrator's entry in the working-day calendar, laid over the shipped files.
public struct CalendarOverride: Sendable, Equatable {
    public var day: LocalDay
    /// What the day is from now on; `.ordinary` takes a shipped holiday or make-up day off.
    public var kind: WorkingCalendar.DayKind
    /// Why, such as 国庆节 or 调休, for people reading the calendar.
    public var note: String?
    public var updatedAtMillis: Int64
    public var updatedBy: String
}

/// The settings administrators changed, read in one transaction with their version.
public struct StoredSettings: Sendable, Equatable {
    /// Goes up with every change of a setting or of the calendar.
    public var version: Int64
    /// By key.
    public var values: [String: StoredSetting]
    public var calendar: [CalendarOverride]
}

extension SurveyStore {
    // MARK: Center settings

    /// The number that every change of a setting or of the calendar increases: one row's
    /// read, cheap enough to poll every few seconds for changes made by another process.
    public func settingsVersion() throws -> Int64 {
        try pool.read { db in try Self.settingsVersion(in: db) }
    }

    /// Every stored setting and calendar entry, with the version they were read at.
    public func storedSettings() throws -> StoredSettings {
        try pool.read { db in
            let values = try Row.fetchAll(db, sql: "SELECT key, value, updated_at, updated_by FROM center_setting").map { row in
                StoredSetting(key: row["key"], valueJSON: row["value"], updatedAtMillis: row["updated_at"], updatedBy: row["updated_by"])
            }
            return StoredSettings(
                version: try Self.settingsVersion(in: db),
                values: Dictionary(values.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first }),
                calendar: try Self.calendarOverrides(in: db)
            )
        }
    }

    /// Stores `valueJSON` as the setting `key` and audits the change (`settings.change`,
    /// with the value before, `defaultJSON` when the key had never been changed, and after)
    /// in the same transaction. Returns false, changing and auditing nothing, when the
    /// value is already in force.
    @discardableResult
    public func saveSetting(
        _ key: String, valueJSON: String, defaultJSON: String, actor: String, atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> Bool {
        try pool.write { db in
            let before = try String.fetchOne(db, sql: "SELECT value FROM center_setting WHERE key = ?", arguments: [key]) ?? defaultJSON
            guard before != valueJSON else { return false }
            try db.execute(sql: """
                INSERT INTO center_setting (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, arguments: [key, valueJSON, millis, actor])
            try StaffRows.insert(AuditEntry(
                actor: actor, action: "settings.change", subjectType: "center_setting", subjectID: key,
                beforeJSON: before, afterJSON: valueJSON
            ), atMillis: millis, in: db)
            try Self.bumpSettingsVersion(in: db)
            return true
        }
    }

    // MARK: The working-day calendar

    /// The administrator's calendar entries, in date order.
    public func calendarOverrides() throws -> [CalendarOverride] {
        try pool.read { db in try Self.calendarOverrides(in: db) }
    }

    /// Makes `day` a holiday, a make-up working day or an ordinary day from now on, over
    /// the shipped calendar, and audits it (`calendar.change`, the day's kind before and
    /// after) in the same transaction. A day set back to what the shipped files say loses
    /// its entry. Returns false when the day already is `kind`. Throws
    /// `WorkingCalendar.DataError` for a make-up working day that is not on a weekend.
    /// Case deadlines counted from then on use the new calendar at once.
    @discardableResult
    public func setCalendarDay(
        _ day: LocalDay, to kind: WorkingCalendar.DayKind, note: String?, actor: String,
        atMillis millis: Int64 = UTCTimestamp.nowMillis()
    ) throws -> Bool {
        let shipped = configuredCasePolicy.calendar
        let changed = try pool.write { db -> Bool in
            var overrides = Dictionary(try Self.calendarOverrides(in: db).map { ($0.day, $0.kind) }, uniquingKeysWith: { $1 })
            let before = try shipped.overriding(overrides).listedKind(of: day)
            guard before != kind else { return false }
            overrides[day] = kind
            _ = try shipped.overriding(overrides)
            if shipped.listedKind(of: day) == kind {
                try db.execute(sql: "DELETE FROM calendar_day WHERE day = ?", arguments: [day.description])
            } else {
                try db.execute(sql: """
                    INSERT INTO calendar_day (day, kind, note, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, note = excluded.note,
                        updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """, arguments: [day.description, kind.rawValue, note, millis, actor])
            }
            func json(_ kind: WorkingCalendar.DayKind) -> String {
                "{\"day\":\"\(day)\",\"kind\":\"\(kind.rawValue)\"}"
            }
            try StaffRows.insert(AuditEntry(
                actor: actor, action: "calendar.change", subjectType: "calendar_day", subjectID: day.description,
                beforeJSON: json(before), afterJSON: json(kind)
            ), atMillis: millis, in: db)
            try Self.bumpSettingsVersion(in: db)
            return true
        }
        if changed { try refreshCalendar() }
        return changed
    }

    /// Rereads the administrator's calendar entries and lays them over the shipped
    /// calendar for every case deadline counted from now on.
    public func refreshCalendar() throws {
        var policy = configuredCasePolicy
        let overrides = try calendarOverrides()
        policy.calendar = try configuredCasePolicy.calendar.overriding(
            Dictionary(overrides.map { ($0.day, $0.kind) }, uniquingKeysWith: { $1 })
        )
        liveCasePolicy.replace(with: policy)
    }

    /// The center's time zone an administrator stored in the database at `path`
    /// (`center.time_zone`), read before the store is opened because the store counts its
    /// days in it; nil when there is no database, no such setting, or no settings table yet.
    public static func storedTimeZoneIdentifier(databaseAt path: String) throws -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        // Read-write, though it only reads: a read-only connection cannot open a WAL
        // database whose shared-memory file is gone after a clean shutdown.
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        let text = try queue.read { db -> String? in
            guard try db.tableExists("center_setting") else { return nil }
            return try String.fetchOne(db, sql: "SELECT value FROM center_setting WHERE key = ?", arguments: [Self.timeZoneSettingKey])
        }
        guard let text, let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? String
    }

    /// The key of the center's time zone among the center settings.
    public static let timeZoneSettingKey = "center.time_zone"

    private static func settingsVersion(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT version FROM settings_version WHERE singleton = 1") ?? 0
    }

    private static func bumpSettingsVersion(in db: Database) throws {
        try db.execute(sql: "UPDATE settings_version SET version = version + 1 WHERE singleton = 1")
    }

    private static func calendarOverrides(in db: Database) throws -> [CalendarOverride] {
        try Row.fetchAll(db, sql: "SELECT day, kind, note, updated_at, updated_by FROM calendar_day ORDER BY day").compactMap { row in
            let text: String = row["day"]
            guard let period = try? Period(parsing: text), period.firstDay == period.lastDay,
                  let kind = WorkingCalendar.DayKind(rawValue: row["kind"]) else { return nil }
            return CalendarOverride(day: period.firstDay, kind: kind, note: row["note"], updatedAtMillis: row["updated_at"], updatedBy: row["updated_by"])
        }
    }
}
