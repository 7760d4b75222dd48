import Foundation

/// The settings of ingest and scope, kept in the case so that every later run uses them: a CLI
/// command, the console's `i` and `r`, a playbook step. They change only through
/// `CaseCommand.changeSettings`, recorded as a `settings.changed` action whose details are the
/// settings themselves; the latest such action is what is in force.
///
/// The OpenAPI spec is not here: it is kept with the evidence it templated, and later ingests and
/// scope runs use the latest one.
public struct CaseSettings: Codable, Equatable, Sendable {
    /// Proxy addresses or CIDRs whose `X-Forwarded-For` entries are believed.
    public var trustedProxies: [String]
    /// More query or field names whose values are credentials, fingerprinted like the built-in ones.
    public var secretParameters: [String]
    /// An AWS API Gateway field mapping (its JSON) for logs whose keys are not the standard ones.
    public var awsFieldMap: String?
    /// A tuned detector configuration (its JSON text, so the run does not depend on the file
    /// staying put), and the file it was read from, for the record.
    public var detectorConfig: String?
    public var detectorConfigPath: String?
    /// A MaxMind GeoLite2/GeoIP2 database for the geo-anomaly detector.
    public var geoIPDatabase: String?

    public init(
        trustedProxies: [String] = [], secretParameters: [String] = [], awsFieldMap: String? = nil, detectorConfig: String? = nil,
        detectorConfigPath: String? = nil, geoIPDatabase: String? = nil
    ) {
        self.trustedProxies = trustedProxies
        self.secretParameters = secretParameters
        self.awsFieldMap = awsFieldMap
        self.detectorConfig = detectorConfig
        self.detectorConfigPath = detectorConfigPath
        self.geoIPDatabase = geoIPDatabase
    }

    /// What a case has before anything is set: no proxies trusted, the built-in detectors.
    public static let defaults = CaseSettings()

    enum CodingKeys: String, CodingKey {
        case trustedProxies = "trusted_proxies"
        case secretParameters = "secret_parameters"
        case awsFieldMap = "aws_field_map"
        case detectorConfig = "detector_config"
        case detectorConfigPath = "detector_config_path"
        case geoIPDatabase = "geoip_database"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trustedProxies = try c.decodeIfPresent([String].self, forKey: .trustedProxies) ?? []
        secretParameters = try c.decodeIfPresent([String].self, forKey: .secretParameters) ?? []
        awsFieldMap = try c.decodeIfPresent(String.self, forKey: .awsFieldMap)
        detectorConfig = try c.decodeIfPresent(String.self, forKey: .detectorConfig)
        detectorConfigPath = try c.decodeIfPresent(String.self, forKey: .detectorConfigPath)
        geoIPDatabase = try c.decodeIfPresent(String.self, forKey: .geoIPDatabase)
    }

    /// Every member, absent ones as null, so the recorded details always show the whole state.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(trustedProxies, forKey: .trustedProxies)
        try c.encode(secretParameters, forKey: .secretParameters)
        try c.encode(awsFieldMap, forKey: .awsFieldMap)
        try c.encode(detectorConfig, forKey: .detectorConfig)
        try c.encode(detectorConfigPath, forKey: .detectorConfigPath)
        try c.encode(geoIPDatabase, forKey: .geoIPDatabase)
    }

    /// The settings as action details.
    public var details: JSONValue {
        do { return try JSONValueEncoder.encode(self) } catch { preconditionFailure("settings always encode: they hold only strings") }
    }

    /// Reads settings back from a `settings.changed` action's details.
    public init(details: String) throws {
        self = try JSONValueDecoder.decode(CaseSettings.self, fromText: details)
    }
}
