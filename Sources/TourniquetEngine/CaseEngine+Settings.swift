import Foundation
import TourniquetDetection
import TourniquetIngest
import TourniquetModel
import TourniquetStore

extension CaseEngine {
    /// Refuses settings that no run could use, before they are recorded: a bad proxy address, an
    /// unreadable field map or detector configuration, a GeoIP database that does not open.
    static func validate(_ settings: CaseSettings) throws {
        _ = try trustedProxies(settings)
        _ = try awsMapping(settings)
        _ = try detectorConfig(settings)
        if let path = settings.geoIPDatabase { _ = try GeoIPDatabase(path: path) }
    }

    /// The options an ingest runs with: the case's settings, and the format and spec the command names.
    func ingestOptions(format: String?, specPath: String?, rationale: String) throws -> IngestOptions {
        let settings = try caseFile.settings()
        let given = try specPath.map(SpecDocument.load(path:))
        // Without a spec of its own, an ingest templates routes with the case's latest one.
        let stored =
            given == nil ? try caseFile.gatewayState(kind: "openapi").first.flatMap { try? OpenAPILoader.parse($0.content, path: $0.path) } : nil
        return IngestOptions(
            format: format, spec: stored, specDocument: given, trustedProxies: try CaseEngine.trustedProxies(settings),
            extraSecretNames: settings.secretParameters, awsMapping: try CaseEngine.awsMapping(settings), rationale: rationale)
    }

    /// The options a scope run uses: the case's detector configuration and GeoIP database.
    static func scopeOptions(_ settings: CaseSettings, fromMs: Int64?, toMs: Int64?) throws -> ScopeOptions {
        ScopeOptions(fromMs: fromMs, toMs: toMs, config: try detectorConfig(settings), geoDatabase: settings.geoIPDatabase)
    }

    private static func trustedProxies(_ settings: CaseSettings) throws -> [CIDR] {
        try settings.trustedProxies.map { text in
            guard let network = CIDR(text) else {
                throw RefusedRequest("trusted proxy '\(DisplayText.escaped(text))' is not an address or CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)")
            }
            return network
        }
    }

    private static func awsMapping(_ settings: CaseSettings) throws -> AWSFieldMapping {
        guard let text = settings.awsFieldMap else { return .standard }
        do {
            return try JSONDecoder().decode(AWSFieldMapping.self, from: Data(text.utf8))
        } catch {
            throw RefusedRequest("the AWS field map is not a field mapping: \(DecodingProblem.describe(error))")
        }
    }

    private static func detectorConfig(_ settings: CaseSettings) throws -> DetectorConfig {
        guard let text = settings.detectorConfig else { return .defaults }
        do { return try DetectorConfig.load(json: Data(text.utf8)) } catch var error as DetectorConfigError {
            error.path = settings.detectorConfigPath
            throw error
        }
    }
}
