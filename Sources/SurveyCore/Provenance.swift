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
