/// What `SurveyStore(path:timeZone:ifTimeZoneChanged:)` does when the database's local
/// days and rollups were computed in another zone than the one it is opened with.
public enum TimeZoneChangePolicy: Sendable, Hashable {
    /// Throw `RollupError.timeZoneChanged` and change nothing. The default: a different
    /// zone is far more often a configuration mistake than a decision, and every figure
    /// already published was counted in the old one.
    case refuse
    /// Recompute every local day and both rollup tables in the new zone (what
    /// `pingjia verify --rebuild` does). Takes a while on a large database.
    case rebuild
}

/// Failures of the indicator's stored sums, with a stable `code` and messages for people.
public enum RollupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rollups were built for zone `builtFor`; the store was opened with `openedWith`.
    case timeZoneChanged(builtFor: String, openedWith: String)
    /// Summed rollup rows that no set of responses could produce: the rollups are damaged.
    case inconsistentRollup(period: String, group: TallyGroup)

    /// A stable identifier for programs and logs.
    public var code: String {
        switch self {
        case .timeZoneChanged: "rollup_time_zone_changed"
        case .inconsistentRollup: "rollup_inconsistent"
        }
    }

    /// The message for people, in Chinese.
    public var chineseMessage: String {
        switch self {
        case .timeZoneChanged(let builtFor, let openedWith):
            "数据库的统计按时区 \(builtFor) 计算，但配置的时区是 \(openedWith)。"
                + "请改正配置，或运行 `pingjia verify --rebuild` 按新时区重新计算全部统计。"
        case .inconsistentRollup(let period, let group):
            "\(period) \(group) 的汇总数据不一致。请运行 `pingjia verify` 检查，并用 `pingjia verify --rebuild` 重建。"
        }
    }

    /// The message for people, in English.
    public var englishMessage: String {
        switch self {
        case .timeZoneChanged(let builtFor, let openedWith):
            "The database's local days and rollups were computed in time zone \(builtFor), but the store was "
                + "opened with \(openedWith). Fix the configured time zone, or run `pingjia verify --rebuild` "
                + "to recompute every local day and rollup in \(openedWith)."
        case .inconsistentRollup(let period, let group):
            "The rollups of \(group) in \(period) are inconsistent. Run `pingjia verify` to see the damage "
                + "and `pingjia verify --rebuild` to rebuild them from the responses."
        }
    }

    public var description: String { englishMessage }
}
