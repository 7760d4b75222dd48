import ArgumentParser
import Foundation
import TourniquetDetection
import TourniquetEngine

extension Tourniquet {
    struct Scope: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the detectors: targeted endpoints, attackers, compromised accounts and keys, data accessed.",
            discussion: """
                Findings are stored in the case; a finding seen before keeps the state a responder gave it \
                (tourniquet finding confirm|dismiss). --json prints the stable contract documented in the README. \
                Detectors: credential-stuffing, brute-force, authz-probing, bola-enumeration, path-probing, scraping, \
                shadow-endpoint, password-reset-abuse, geo-anomaly. Tune them with --print-config and --config.
                """)

        @Argument(help: "The case file.")
        var casePath: String?

        @Flag(help: "Print the JSON report instead of text.")
        var json = false

        @Option(help: "Only requests at or after this RFC 3339 time.")
        var since: String?

        @Option(help: "Only requests at or before this RFC 3339 time.")
        var until: String?

        @Option(help: "A detector configuration (JSON) to use instead of the defaults.")
        var config: String?

        @Option(help: "A MaxMind GeoLite2/GeoIP2 .mmdb file for the geo-anomaly detector.")
        var geoip: String?

        @Flag(help: "Print the default detector configuration, to copy and tune, and exit.")
        var printConfig = false

        @OptionGroup var actorOptions: ActorOptions

        func validate() throws {
            if casePath == nil && !printConfig { throw ValidationError("give the case file") }
            if let since { _ = try parseCommandLineTime(since, option: "--since") }
            if let until { _ = try parseCommandLineTime(until, option: "--until") }
        }

        func run() throws {
            if printConfig {
                print(DetectorDefaults.json)
                return
            }
            let detectorConfig: DetectorConfig
            if let config {
                guard let data = FileManager.default.contents(atPath: config) else {
                    throw DetectorConfigError("cannot read the file", path: config)
                }
                do { detectorConfig = try DetectorConfig.load(json: data) } catch var error as DetectorConfigError {
                    error.path = config
                    throw error
                }
            } else {
                detectorConfig = .defaults
            }
            let options = ScopeOptions(
                fromMs: try since.map { try parseCommandLineTime($0, option: "--since") },
                toMs: try until.map { try parseCommandLineTime($0, option: "--until") }, config: detectorConfig, geoDatabase: geoip)
            let status = ProgressLine.forStandardError()
            let (report, _) = try CaseEngine.runScope(path: casePath!, context: actorOptions.context, options: options) { stage in status?.say(stage) }
            status?.clear()
            print(json ? report.document.canonicalJSON : report.text, terminator: json ? "\n" : "")
        }
    }
}
