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

extension DetectorID {
    /// The rule the detector applies, in a line, for a responder reading one of its findings.
    public var rule: String {
        switch self {
        case .credentialStuffing:
            return "failed logins bursting from one source with a high failure ratio, or from many sources on one route in one window"
        case .bruteForce: return "many failed logins against one known account, from sources that concentrate on few accounts"
        case .authzProbing: return "repeated 403s from one source, especially on admin and privileged routes"
        case .bolaEnumeration: return "one client walking object ids on a templated route: many distinct ids, sequential runs, 2xx answers"
        case .pathProbing: return "many distinct paths answered 404/403/400, or known probe signatures outside the documented API"
        case .scraping: return "a client or key far above its own baseline and its peers on data routes, or a storm of 429s"
        case .shadowEndpoint: return "paths the OpenAPI document does not describe, or deprecated operations still answering 2xx"
        case .passwordResetAbuse: return "many password-reset requests per account or per source"
        case .geoAnomaly: return "a client seen from a country it never used before, after its first requests"
        }
    }
}
