import ArgumentParser
import TourniquetExport
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct Timeline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the case timeline: every action, aligned and sanitised.")

        @Argument(help: "The case file.")
        var casePath: String

        @Flag(help: "Newest action first.")
        var newestFirst = false

        @Flag(help: "Print the versioned JSON contract (the case header and every action as stored and hashed) instead of text.")
        var json = false

        func run() throws {
            let file = try CaseFile.openReadOnly(at: casePath)
            var m = file.metadata
            m.status = try file.currentStatus()
            if json {
                let actions = try file.actions()
                print(InertJSON.compact(ExportDocument.timeline(metadata: m, actions: newestFirst ? actions.reversed() : actions)))
                return
            }
            print("case \(m.id): \(DisplayText.sanitize(m.title).text)")
            print(
                "severity \(m.severity.rawValue), \(m.status.rawValue), detected \(UTCTime.format(ms: m.detectedAtMs))\(m.isDrill ? ", drill" : "")")
            print("")
            print(TimelineText.render(try file.actions(), newestFirst: newestFirst), terminator: "")
        }
    }
}
