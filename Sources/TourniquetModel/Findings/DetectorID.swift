/// The nine detectors, by the names findings, configurations and reports use.
public enum DetectorID: String, CaseIterable, Codable, Sendable {
    case credentialStuffing = "credential-stuffing"
    case bruteForce = "brute-force"
    case authzProbing = "authz-probing"
    case bolaEnumeration = "bola-enumeration"
    case pathProbing = "path-probing"
    case scraping
    case shadowEndpoint = "shadow-endpoint"
    case passwordResetAbuse = "password-reset-abuse"
    case geoAnomaly = "geo-anomaly"
}

extension DetectorID: CustomStringConvertible {
    /// The detector's name as reports and the console print it (`bola-enumeration`).
    public var description: String { rawValue }
}
