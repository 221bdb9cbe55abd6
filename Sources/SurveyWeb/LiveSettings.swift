import Foundation
import SurveyCore
import SurveyStore
import Synchronization

/// The center settings in force, swapped as a whole when they change: by a change made
/// through this object (at once) or by another process, such as the command line (at the
/// next `refreshIfChanged()`, which costs one row's read when nothing changed).
///
/// Every change is validated, stored and audited in one transaction by the store, then
/// read back, so what runs is always what is stored.
public final class LiveSettings: Sendable {
    let store: SurveyStore
    /// The configuration's values: what a setting is until an administrator changes it.
    public let defaults: CenterSettings
    private let state: Mutex<CenterSettings>

    /// The settings of `store` over `defaults`; the time zone is always the store's.
    public init(store: SurveyStore, defaults: CenterSettings) throws {
        self.store = store
        var defaults = defaults
        defaults.timeZone = store.timeZone
        self.defaults = defaults
        state = Mutex(defaults)
        try reload()
    }

    /// The settings in force now: one value, never half of a change.
    public var current: CenterSettings { state.withLock { $0 } }

    /// Rereads the settings if another process changed them since the last read; true if
    /// it did. Also lays the calendar changes over the store's calendar.
    @discardableResult
    public func refreshIfChanged() throws -> Bool {
        guard try store.settingsVersion() != current.version else { return false }
        try reload()
        return true
    }

    /// Rereads every stored setting.
    public func reload() throws {
        let stored = try store.storedSettings()
        var settings = defaults
        settings.version = stored.version
        for (key, setting) in stored.values {
            // Values were checked before they were stored; one that no longer reads (a
            // hand-edited row) leaves the configuration's value in force.
            guard let value = JSONInput.parse(Array(setting.valueJSON.utf8)) else { continue }
            switch SettingKey(rawValue: key) {
            case .reasons?:
                guard let reasons = try? SettingsCodec.reasons(from: value) else { continue }
                settings.reasons = reasons
            case .method?:
                guard let method = try? SettingsCodec.method(from: value, over: defaults.method) else { continue }
                settings.method = method
            case .centerName?:
                guard case .string(let name) = value else { continue }
                settings.centerName = name
            case .centerNameEnglish?:
                switch value {
                case .string(let name): settings.centerNameEnglish = name
                case .null: settings.centerNameEnglish = nil
                default: continue
                }
            case .timeZone?, nil:
                continue
            }
            settings.changedKeys.insert(key)
        }
        try store.refreshCalendar()
        state.withLock { $0 = settings }
    }

    // MARK: Changes

    /// Stores new reason lists; false when they are the ones in force.
    @discardableResult
    public func setReasons(_ reasons: ReasonLists, actor: String) throws -> Bool {
        try save(.reasons, SettingsCodec.json(reasons), default: SettingsCodec.json(defaults.reasons), actor: actor)
    }

    /// Stores a new method; it applies to every period not yet published (a publication
    /// keeps the method it was computed with).
    @discardableResult
    public func setMethod(_ method: IndicatorPolicy, actor: String) throws -> Bool {
        try save(.method, SettingsCodec.json(method), default: SettingsCodec.json(defaults.method), actor: actor)
    }

    /// Stores a new center name, checked by `SettingsCodec.centerName`.
    @discardableResult
    public func setCenterName(_ name: String, actor: String) throws -> Bool {
        try save(.centerName, .string(try SettingsCodec.centerName(name)), default: .string(defaults.centerName), actor: actor)
    }

    /// Stores the center's English name, checked by `SettingsCodec.centerNameEnglish`; a
    /// blank one removes it, so English pages show the Chinese name.
    @discardableResult
    public func setCenterNameEnglish(_ name: String, actor: String) throws -> Bool {
        try save(
            .centerNameEnglish, .optional(try SettingsCodec.centerNameEnglish(name)), default: .optional(defaults.centerNameEnglish), actor: actor
        )
    }

    /// Refuses any zone but the one in force: the rollups count days in it, and only a
    /// rebuild with the server stopped can change it (`pingjia settings set center.time_zone`).
    public func checkTimeZoneChange(_ identifier: String) throws {
        let zone = try SettingsCodec.timeZone(identifier)
        guard zone.identifier == current.timeZone.identifier else {
            throw SettingsError("time_zone_needs_rebuild", .settingsTimeZoneNeedsRebuild, [
                "current": current.timeZone.identifier, "zone": zone.identifier,
            ], status: 409)
        }
    }

    /// Makes `day` a holiday, a make-up working day or an ordinary day; see `SurveyStore.setCalendarDay`.
    @discardableResult
    public func setCalendarDay(_ day: LocalDay, to kind: WorkingCalendar.DayKind, note: String?, actor: String) throws -> Bool {
        let changed: Bool
        do {
            changed = try store.setCalendarDay(day, to: kind, note: note, actor: actor)
        } catch let error as WorkingCalendar.DataError {
            throw SettingsError(error)
        }
        if changed { try reload() }
        return changed
    }

    private func save(_ key: SettingKey, _ value: JSON, default defaultValue: JSON, actor: String) throws -> Bool {
        let changed = try store.saveSetting(key.rawValue, valueJSON: value.text, defaultJSON: defaultValue.text, actor: actor)
        if changed { try reload() }
        return changed
    }
}
