import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetIngest
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import access logs as evidence (gzip and stdin too); each file is one action.",
            discussion: """
                Formats: \(LogFormats.names.joined(separator: ", ")); detected per file unless --format is given. \
                Credentials in queries, paths and headers (\(SecretRedactor.defaultSecretNames.joined(separator: ", "))) are \
                stored only as keyed fingerprints, and passwords only as "\(SecretRedactor.passwordMarker)"; add names \
                with --secret-param. Lines dated before 1990 or more than a day ahead are refused and counted. \
                A file already in the case (same SHA-256) is skipped. A file whose start is already evidence (a log \
                that grew since) brings in only its new tail, as evidence that continues the earlier one. Each \
                file's outcome is reported; a file that fails does not stop the rest, and the exit status is 1 \
                if any failed.
                """)

        @Argument(help: "The case file.")
        var casePath: String

        @Argument(help: "Log files to import; - reads standard input.")
        var files: [String]

        @Option(help: "auto, or one of: \(LogFormats.names.joined(separator: ", ")).")
        var format: String = "auto"

        @Option(help: "OpenAPI 3.0/3.1 spec (YAML or JSON) to template routes and mark undocumented paths.")
        var openapi: String?

        @Option(
            name: .customLong("trusted-proxy"), parsing: .upToNextOption, help: "Proxy addresses or CIDRs whose X-Forwarded-For entries are believed."
        )
        var trustedProxies: [String] = []

        @Option(name: .customLong("secret-param"), help: "Another query or field name whose value is a credential (repeatable).")
        var secretParams: [String] = []

        @Option(name: .customLong("aws-field-map"), help: "JSON file mapping AWS API Gateway fields to your log's key names.")
        var awsFieldMap: String?

        @Option(help: "Why these files are being imported (recorded with each action).")
        var reason: String = ""

        @Flag(help: "Print a JSON summary instead of text.")
        var json = false

        @OptionGroup var actorOptions: ActorOptions

        func validate() throws {
            if format != "auto" && !LogFormats.names.contains(format) {
                throw ValidationError("--format must be auto or one of \(LogFormats.names.joined(separator: ", "))")
            }
            // Raw text: usage errors are escaped as a whole when printed (Tourniquet.main).
            for proxy in trustedProxies where CIDR(proxy) == nil {
                throw ValidationError("--trusted-proxy '\(proxy)' is not an address or CIDR (e.g. 10.0.0.0/8 or 2001:db8::/32)")
            }
            if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        }

        func run() throws {
            // A spec that cannot be used stops the command before any file is read.
            if let openapi { _ = try SpecDocument.load(path: openapi) }
            let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
            // Flags given here become the case's settings, which later ingests and the console use.
            var settings = try engine.caseFile.settings()
            if !trustedProxies.isEmpty { settings.trustedProxies = trustedProxies }
            if !secretParams.isEmpty { settings.secretParameters = secretParams }
            if let awsFieldMap { settings.awsFieldMap = try AWSFieldMappingFile.read(path: awsFieldMap) }
            if settings != (try engine.caseFile.settings()) {
                try engine.execute(.changeSettings(settings, rationale: reason.isEmpty ? "ingest options" : reason))
            }
            InterruptNotice.install("\ntourniquet: interrupted; the file being imported was not registered (import it again to bring it in)\n")
            defer { InterruptNotice.remove() }
            let progress = ProgressLine.forStandardError()
            var outcomes: [FileOutcome] = []
            for file in files {
                let outcome: FileOutcome
                do {
                    let command = CaseCommand.ingest(path: file, format: format == "auto" ? nil : format, openAPISpec: openapi, rationale: reason)
                    guard case .ingested(let done) = try engine.execute(command, progress: { if case .reading(let p) = $0 { progress?.update(p) } })
                    else { preconditionFailure("an ingest command ends in an ingest outcome") }
                    outcome = .done(done)
                } catch let error as ResponderFacingError {
                    outcome = .failed(path: file, reason: error.description)
                } catch {
                    // Reasons are escaped once, here or in the error's own description, never again.
                    let plain = StandardStreams.message(for: error, command: Tourniquet.Ingest.self)
                    outcome = .failed(path: file, reason: "\(DisplayText.escaped(file)): \(plain)")
                }
                progress?.clear()
                outcomes.append(outcome)
                if !json { IngestReport.printText(outcome) }
            }
            if json { print(IngestReport.json(outcomes)) }
            // Failures also go to standard error, where scripts look for them.
            let failures = outcomes.compactMap { outcome -> String? in
                if case .failed(_, let reason) = outcome { return reason }
                return nil
            }
            if !failures.isEmpty {
                let lines = failures.map { "tourniquet: \($0)\n" }.joined()
                FileHandle.standardError.write(Data((lines + "tourniquet: \(failures.count) of \(files.count) files failed\n").utf8))
                throw ExitCode(1)
            }
        }
    }
}
