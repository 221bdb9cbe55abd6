import Foundation
import Hashing
import SurveyCore
import SurveyStore

/// A realistic demo center: eight departments, twenty windows, their service items and
/// staff, a year of plausible ratings during office hours, and the visits (一次一评) of the
/// recent ones: each rating that arrived through a visit has its visit, with a handling
/// time typical of its department, beside visits that were never rated.
///
/// Generation is deterministic (seeded) and every demo response has a fixed client id,
/// so loading the demo twice adds nothing the second time.
struct DemoCenter {
    struct DepartmentPlan {
        var code: String
        var name: String
        var englishName: String
        /// Window names; each window's English name is "Window" and its number.
        var windows: [String]
        /// Service items: Chinese and English names.
        var items: [(name: String, englishName: String)]
        var staff: [String]
        /// Chance that a visitor is very satisfied, satisfied, neutral, dissatisfied, very
        /// dissatisfied; departments differ so that the demo shows every grade.
        var mood: [Double]
    }

    /// The English name of the default center name, 区行政服务中心.
    static let centerNameEnglish = "District Administrative Service Center"

    static let plans: [DepartmentPlan] = [
        DepartmentPlan(code: "SCJG", name: "市场监管科", englishName: "Market Regulation", windows: ["1号窗口", "2号窗口", "3号窗口"],
                       items: [("营业执照设立登记", "Business licence registration"), ("营业执照变更登记", "Business licence amendment"), ("食品经营许可", "Food business permit")], staff: ["王芳", "李娜", "张伟"],
                       mood: [0.80, 0.15, 0.03, 0.015, 0.005]),
        DepartmentPlan(code: "BDC", name: "不动产登记科", englishName: "Real Estate Registration", windows: ["4号窗口", "5号窗口", "6号窗口"],
                       items: [("不动产转移登记", "Property transfer registration"), ("抵押权登记", "Mortgage registration"), ("不动产权证补办", "Replacement property certificate")], staff: ["刘洋", "陈静", "杨磊"],
                       mood: [0.62, 0.24, 0.08, 0.04, 0.02]),
        DepartmentPlan(code: "SBFW", name: "社会保障科", englishName: "Social Security", windows: ["7号窗口", "8号窗口", "9号窗口"],
                       items: [("社保参保登记", "Social insurance enrolment"), ("养老保险关系转移", "Pension insurance transfer"), ("失业金申领", "Unemployment benefit claim")], staff: ["赵敏", "黄强", "周丽"],
                       mood: [0.70, 0.20, 0.06, 0.03, 0.01]),
        DepartmentPlan(code: "GJJ", name: "公积金服务科", englishName: "Housing Provident Fund", windows: ["10号窗口", "11号窗口"],
                       items: [("公积金提取", "Provident fund withdrawal"), ("公积金贷款申请", "Provident fund loan application")], staff: ["吴军", "徐艳"],
                       mood: [0.55, 0.25, 0.10, 0.07, 0.03]),
        DepartmentPlan(code: "SWFW", name: "税务服务科", englishName: "Taxation", windows: ["12号窗口", "13号窗口", "14号窗口"],
                       items: [("发票申领", "Invoice application"), ("税务登记", "Tax registration"), ("个税汇算咨询", "Income tax reconciliation advice")], staff: ["孙涛", "马超", "朱琳"],
                       mood: [0.74, 0.18, 0.05, 0.02, 0.01]),
        DepartmentPlan(code: "HJGL", name: "户籍管理科", englishName: "Household Registration", windows: ["15号窗口", "16号窗口"],
                       items: [("户口迁移", "Household registration transfer"), ("居住证办理", "Residence permit"), ("身份证换领", "ID card renewal")], staff: ["胡斌", "郭婷"],
                       mood: [0.78, 0.16, 0.04, 0.015, 0.005]),
        DepartmentPlan(code: "YBFW", name: "医疗保障科", englishName: "Medical Insurance", windows: ["17号窗口", "18号窗口"],
                       items: [("医保参保登记", "Medical insurance enrolment"), ("异地就医备案", "Out-of-town medical care filing"), ("医疗费用报销", "Medical expense reimbursement")], staff: ["林峰", "何雪"],
                       mood: [0.45, 0.27, 0.14, 0.09, 0.05]),
        DepartmentPlan(code: "ZHSL", name: "综合受理科", englishName: "General Reception", windows: ["19号窗口", "20号窗口"],
                       items: [("综合咨询", "General enquiries"), ("一件事一次办", "One-stop services")], staff: ["高洁", "罗勇"],
                       mood: [0.66, 0.22, 0.07, 0.035, 0.015]),
    ]

    /// Minutes a visit typically takes at each department's windows; a visit takes from half
    /// to one and a half times as long.
    static let handlingMinutes: [String: Double] = [
        "SCJG": 12, "BDC": 25, "SBFW": 10, "GJJ": 15, "SWFW": 8, "HJGL": 6, "YBFW": 14, "ZHSL": 9,
    ]

    /// Creates the directory, then a year of responses ending today, then the visits of
    /// those rated through one. Returns the numbers of responses and visits added.
    static func load(into store: SurveyStore, timeZone: TimeZone, days: Int = 365, visitsPerWindowDay: Int = 56,
                     policy: SurveyPolicy = SurveyPolicy(), now: Date = Date()) throws -> (responses: Int, visits: Int) {
        var departments: [(DepartmentPlan, Department, [ServiceWindow], [ServiceItem], [StaffMember])] = []
        var windowNumber = 0
        for (index, plan) in plans.enumerated() {
            let department = try store.addDepartment(code: plan.code, name: plan.name, englishName: plan.englishName)
            let windows = try plan.windows.map { name -> ServiceWindow in
                windowNumber += 1
                return try store.addWindow(
                    code: String(format: "W%02d", windowNumber), name: name, englishName: "Window \(windowNumber)", departmentID: department.id
                )
            }
            let items = try plan.items.enumerated().map { itemIndex, item in
                try store.addServiceItem(
                    code: String(format: "%@-%02d", plan.code, itemIndex + 1), name: item.name, englishName: item.englishName,
                    departmentID: department.id
                )
            }
            let staff = try plan.staff.enumerated().map { staffIndex, name in
                try store.addStaff(code: String(format: "S%02d%02d", index + 1, staffIndex + 1), name: name, departmentID: department.id)
            }
            departments.append((plan, department, windows, items, staff))
        }

        var random = SplitMix64(seed: 20_261_125)
        let calendar: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            return calendar
        }()
        let today = calendar.startOfDay(for: now)
        var serial = 0
        var added = 0
        var batch: [(submission: ValidatedSubmission, atMillis: Int64)] = []
        batch.reserveCapacity(50_000)
        // A generator of its own, so that the ratings are the same as without visits.
        var demoVisits = DemoVisits(random: SplitMix64(seed: 20_261_127))
        let comments = ["工作人员很耐心", "办得很快，点赞", "希望增加自助机", "材料一次性告知，很好", "排队时间有点长"]
        for dayOffset in stride(from: days - 1, through: 0, by: -1) {
            guard let day = calendar.date(byAdding: .day, value: -dayOffset, to: today) else { continue }
            let weekday = calendar.component(.weekday, from: day)
            if weekday == 1 || weekday == 7 { continue }
            // Office hours 09:00–17:30 local time; the last day stops at the present.
            let opening = day.addingTimeInterval(9 * 3600)
            let span = min(8.5 * 3600, now.timeIntervalSince(opening))
            guard span > 0 else { continue }
            for (plan, department, windows, items, staff) in departments {
                for window in windows {
                    let visits = visitsPerWindowDay / 2 + Int(random.next() % UInt64(visitsPerWindowDay))
                    for _ in 0..<Int(Double(visits) * span / (8.5 * 3600)) {
                        serial += 1
                        let base = pick(plan.mood, &random)
                        let ratings = Ratings(
                            attitude: jitter(base, &random), efficiency: jitter(base, &random), result: jitter(base, &random)
                        )
                        var reasons: [String] = []
                        if ratings.isNegative {
                            reasons.append(policy.negativeReasons[Int(random.next() % UInt64(policy.negativeReasons.count))])
                        }
                        let comment = random.next() % 20 == 0 ? comments[Int(random.next() % UInt64(comments.count))] : nil
                        let at = opening.addingTimeInterval(Double(random.next() % UInt64(span)))
                        let (channel, provenance, flag) = arrival(daysAgo: dayOffset, &random)
                        var submission = ValidatedSubmission(
                            window: window, department: department, ratings: ratings, comment: comment, reasons: reasons,
                            channel: channel,
                            clientID: String(format: "demo-%08d", serial),
                            serviceItem: items[Int(random.next() % UInt64(items.count))],
                            staff: staff[Int(random.next() % UInt64(staff.count))],
                            provenance: provenance
                        )
                        submission.flagRule = flag
                        let atMillis = Int64(at.timeIntervalSince1970 * 1000)
                        batch.append((submission, atMillis))
                        if provenance == .visit {
                            demoVisits.add(submission, ratedAtMillis: atMillis, opening: opening, span: span,
                                       handlingMinutes: handlingMinutes[plan.code] ?? 10)
                        }
                    }
                }
            }
            if batch.count >= 40_000 {
                added += try store.importResponses(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        added += try store.importResponses(batch)
        try store.importVisits(demoVisits.rows)
        return (added, demoVisits.rows.count)
    }

    /// The days before provenance was recorded: older ratings are `legacy`, as an upgraded
    /// center's are.
    static let legacyDays = 90

    /// How a demo rating arrived. Recent ones: most kiosk ratings through a paired tablet,
    /// many bound to a visit, some from tablets not paired yet; most phone ratings through
    /// a window's card, some through a bare link; a few from the queue system's key; and
    /// about one in 400 flagged suspect by the address limit.
    private static func arrival(daysAgo: Int, _ random: inout SplitMix64) -> (Channel, Provenance, FlagRule?) {
        let roll = random.next() % 1000
        if daysAgo >= legacyDays { return (roll < 700 ? .kiosk : .qr, .legacy, nil) }
        switch roll {
        case ..<300: return (.kiosk, .visit, nil)
        case ..<550: return (.kiosk, .device, nil)
        case ..<620: return (.kiosk, .unverified, nil)
        case ..<850: return (.qr, .windowQR, nil)
        case ..<900: return (.web, .unverified, nil)
        case ..<997: return (.web, .api, nil)
        default: return (.web, .unverified, .addressRate)
        }
    }

    private static func pick(_ weights: [Double], _ random: inout SplitMix64) -> Level {
        var roll = random.nextUnit()
        for (index, weight) in weights.enumerated() {
            roll -= weight
            if roll < 0 { return Level(rawValue: 5 - index)! }
        }
        return .veryDissatisfied
    }

    /// Most people rate all three dimensions alike; some rate one a step apart.
    private static func jitter(_ level: Level, _ random: inout SplitMix64) -> Level {
        switch random.next() % 8 {
        case 0: Level(rawValue: max(1, level.rawValue - 1))!
        case 1: Level(rawValue: min(5, level.rawValue + 1))!
        default: level
        }
    }
}

/// The demo's visits: one for each rating made through a visit, ended a little before the
/// rating, and about one unrated visit for every two rated ones, at any time of the day.
struct DemoVisits {
    var random: SplitMix64
    var rows: [(visit: NewVisit, atMillis: Int64, ratedBy: String?)] = []

    /// Visits close as unrated three days after they were recorded, as by default.
    static let ratingWindowMillis: Int64 = 3 * 86_400_000

    mutating func add(_ rating: ValidatedSubmission, ratedAtMillis: Int64, opening: Date, span: TimeInterval, handlingMinutes: Double) {
        let ended = ratedAtMillis - Int64(random.next() % 120_000)
        append(rating, endedAtMillis: ended, handlingMinutes: handlingMinutes, ratedBy: rating.clientID)
        if random.next() % 2 == 0 {
            let unratedEnd = Int64((opening.timeIntervalSince1970 + Double(random.next() % UInt64(max(1, span)))) * 1000)
            append(rating, endedAtMillis: unratedEnd, handlingMinutes: handlingMinutes, ratedBy: nil)
        }
    }

    private mutating func append(_ rating: ValidatedSubmission, endedAtMillis ended: Int64, handlingMinutes: Double, ratedBy: String?) {
        let serial = rows.count + 1
        let handling = Int64(handlingMinutes * 60_000 * (0.5 + random.nextUnit()))
        let visit = NewVisit(
            tokenHash: SHA256.hash(Array("pingjia demo visit \(serial)".utf8)),
            ticket: String(format: "%@%03d", String(rating.department.code.prefix(1)), serial % 1000), window: rating.window,
            // Not every queue system names the person who served.
            staff: serial % 5 == 0 ? nil : rating.staff, serviceItem: rating.serviceItem,
            startedAtMillis: ended - handling, endedAtMillis: ended, createdBy: "demo",
            expiresAtMillis: ended + Self.ratingWindowMillis, linkExpiresAtMillis: ended + Self.ratingWindowMillis
        )
        rows.append((visit, ended, ratedBy))
    }
}

/// A small, fast, seedable generator, so the demo is the same on every machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
