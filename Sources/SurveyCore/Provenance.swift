/// How a response reached Pingjia, and so how far its rating can be trusted to move a
/// department's grade.
///
/// The raw values are the names the API, the indicator's provenance counts and the
/// database use; other systems rely on them.
public enum Provenance: String, Sendable, CaseIterable, Codable {
    /// Bound to a visit (一次一评): through a kiosk or a per-visit QR code.
    case visit
    /// A paired kiosk tablet, with no visit.
    case device
    /// A window's signed QR link.
    case windowQR = "window_qr"
    /// An integration holding an API key with scope `responses:write`.
    case api
    /// Anything else: an unsigned link, an unpaired tablet, an anonymous API call.
    case unverified
    /// Stored before provenance was recorded. Kept counted, so no past grade changes.
    case legacy

    /// The provenances the indicator counts unless configured otherwise: everything but
    /// `unverified`.
    public static let countedByDefault: Set<Provenance> = [.visit, .device, .windowQR, .api, .legacy]
}

/// Why a rating was flagged `suspect` when it arrived: kept, excluded from every score,
/// and listed for review, where staff restore or confirm it. The raw values are stored
/// and shown in the API as `flag_rule`.
public enum FlagRule: String, Sendable, CaseIterable, Codable {
    /// The phone form's hidden field, which people never see, was filled in.
    case honeypot
    /// More ratings from one client address (keyed hash, rotating daily) than allowed.
    case addressRate = "address_rate"
    /// More ratings through one window link from one browser (its client cookie) than allowed.
    case linkClientRate = "link_client_rate"
    /// More ratings from one paired kiosk than allowed.
    case deviceRate = "device_rate"
    /// More ratings with one visit token than allowed.
    case visitRate = "visit_rate"
}

/// Every stored valid response of a group, split by provenance: what the indicator's
/// provenance counts show, and from which the counted tally is the sum over the
/// provenances a policy counts.
public struct ProvenanceTally: Sendable, Hashable {
    /// The tally of each provenance present; a missing one counted nothing.
    public private(set) var byProvenance: [Provenance: ResponseTally]

    /// Nothing stored.
    public static let zero = ProvenanceTally(byProvenance: [:])

    public init(byProvenance: [Provenance: ResponseTally]) {
        self.byProvenance = byProvenance.filter { $0.value.responses != 0 }
    }

    /// The tally of the responses whose provenance is in `counted`.
    public func counted(_ counted: Set<Provenance>) -> ResponseTally {
        byProvenance.reduce(.zero) { sum, entry in counted.contains(entry.key) ? sum + entry.value : sum }
    }

    /// The number of responses of each provenance, every provenance present (0 when none).
    public var counts: [Provenance: Int64] {
        Dictionary(uniqueKeysWithValues: Provenance.allCases.map { ($0, byProvenance[$0]?.responses ?? 0) })
    }

    /// Adds `tally` under `provenance`.
    public mutating func add(_ tally: ResponseTally, as provenance: Provenance) {
        guard tally.responses != 0 else { return }
        byProvenance[provenance, default: .zero] += tally
    }

    /// The pooled tallies of two disjoint sets of responses.
    public static func + (lhs: ProvenanceTally, rhs: ProvenanceTally) -> ProvenanceTally {
        var sum = lhs
        for (provenance, tally) in rhs.byProvenance { sum.add(tally, as: provenance) }
        return sum
    }
}
