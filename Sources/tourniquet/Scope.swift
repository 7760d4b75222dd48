import ArgumentParser
import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetModel
import TourniquetStore

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

        @Option(help: "A detector configuration (JSON) to use from now on instead of the defaults; kept in the case.")
        var config: String?

        @Flag(help: "Go back to the built-in detector configuration (forgets one given before with --config).")
        var defaultConfig = false

        @Option(help: "A MaxMind GeoLite2/GeoIP2 .mmdb file for the geo-anomaly detector; kept in the case.")
        var geoip: String?

        @Flag(help: "Print the default detector configuration, to copy and tune, and exit.")
        var printConfig = false

        @OptionGroup var actorOptions: ActorOptions

        func validate() throws {
            if casePath == nil && !printConfig { throw ValidationError("give the case file") }
            if config != nil && defaultConfig { throw ValidationError("give --config or --default-config, not both") }
            if let since { _ = try parseCommandLineTime(since, option: "--since") }
            if let until { _ = try parseCommandLineTime(until, option: "--until") }
        }

        func run() throws {
            if printConfig {
                print(DetectorDefaults.json)
                return
            }
            let context = actorOptions.context
            let fromMs = try since.map { try parseCommandLineTime($0, option: "--since") }
            let toMs = try until.map { try parseCommandLineTime($0, option: "--until") }
            let status = ProgressLine.forStandardError()
            let progress: (CommandProgress) -> Void = { if case .stage(let stage) = $0 { status?.say(stage) } }
            let scope = CaseCommand.runScope(fromMs: fromMs, toMs: toMs)
            let outcome: CommandOutcome
            if let settings = try changedSettings() {
                // One writer (one integrity check) records the settings and then the run.
                let engine = try CaseEngine.open(path: casePath!, context: context)
                try engine.execute(.changeSettings(settings, rationale: "scope options"))
                outcome = try engine.execute(scope, progress: progress)
            } else {
                outcome = try CaseEngine.execute(scope, onCaseAt: casePath!, context: context, progress: progress)
            }
            guard case .scoped(let report, _) = outcome else { preconditionFailure("a scope command ends in a scope report") }
            status?.clear()
            print(json ? report.document.canonicalJSON : report.text, terminator: json ? "\n" : "")
        }

        /// `--config`, `--default-config` and `--geoip` become the case's settings, which later runs
        /// (the console's `r` too) use; without them the case's settings stand. Nil when nothing changes.
        private func changedSettings() throws -> CaseSettings? {
            guard config != nil || defaultConfig || geoip != nil else { return nil }
            var settings = try CaseFile.openReadOnly(at: casePath!).settings()
            let before = settings
            if let config {
                guard let data = FileManager.default.contents(atPath: config) else {
                    throw DetectorConfigError("cannot read the file", path: config)
                }
                do { _ = try DetectorConfig.load(json: data) } catch var error as DetectorConfigError {
                    error.path = config
                    throw error
                }
                settings.detectorConfig = String(decoding: data, as: UTF8.self)
                settings.detectorConfigPath = config
            } else if defaultConfig {
                settings.detectorConfig = nil
                settings.detectorConfigPath = nil
            }
            if let geoip { settings.geoIPDatabase = geoip }
            return settings == before ? nil : settings
        }
    }
}
