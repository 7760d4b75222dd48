import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetModel

extension Tourniquet {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the case as an incident report or a timeline for other tools.",
            discussion: """
                Formats: md (the incident report in Markdown), html (the same report as one \
                self-contained file with a timeline chart), json (the full timeline and scope, \
                documented by docs/schemas/export.schema.json), csv (one row per timeline event), \
                timesketch (JSON Lines, or CSV when -o ends in .csv), iris (the DFIR-IRIS timeline \
                CSV). The report describes the case as of its last action, so the same case always \
                gives the same bytes; --since and --until limit the timeline. Evidence text is \
                escaped for each format. An existing file is refused unless --force is given. Each \
                export is recorded on the timeline with the SHA-256 of what was written.
                """)

        @Argument(help: "The case file.") var casePath: String
        @Option(help: "md, html, json, csv, timesketch or iris (optional when -o ends in .md, .html, .json, .csv, .jsonl or .iris.csv).")
        var format: String?
        @Option(name: [.customShort("o"), .long], help: "The file to write (standard output when omitted).") var output: String?
        @Option(help: "Only timeline events at or after this time (RFC 3339).") var since: String?
        @Option(help: "Only timeline events at or before this time (RFC 3339).") var until: String?
        @Flag(help: "Overwrite an existing output file.") var force = false
        @Option(help: "Why the case is exported (kept on the timeline).") var reason = "exported for the record"
        @OptionGroup var dirs: PlaybookDirectories
        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            guard let format = format ?? output.flatMap(ExportFileName.format(forPath:)) else {
                throw ValidationError("give --format (md, html, json, csv, timesketch or iris), or an -o whose ending names one")
            }
            let sinceMs = try since.map { try Export.time($0, "--since") }
            let untilMs = try until.map { try Export.time($0, "--until") }
            let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
            engine.responseLibrary = dirs.library
            guard
                case .exported(let outcome) = try engine.execute(
                    .export(format: format, path: output, sinceMs: sinceMs, untilMs: untilMs, force: force, reason: reason))
            else { return }
            if outcome.path == nil {
                print(outcome.text, terminator: "")
            } else {
                print("wrote \(DisplayText.escaped(output ?? "")): \(outcome.bytes) bytes, sha256 \(outcome.sha256) (action #\(outcome.action.id))")
            }
        }

        static func time(_ text: String, _ option: String) throws -> Int64 {
            guard let instant = Timestamps.parseRFC3339(text) else {
                throw ValidationError("\(option) '\(DisplayText.escaped(text))' is not an RFC 3339 time such as 2026-11-29T08:30:00Z")
            }
            return instant.ms
        }
    }
}
