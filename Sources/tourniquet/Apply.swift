import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetModel

extension Tourniquet {
    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put every containment measure in force on a gateway, and remove expired and undone ones, in one change.",
            discussion: """
                The apply is recorded before it starts (with the artifact text), then as applied or failed, then as \
                verified. For nginx it writes tourniquet-http.conf and tourniquet-server.conf into --conf-dir; with \
                --reload it runs `nginx -t`, reloads, and checks with `nginx -T` that both files are served. A failed \
                test or reload puts the previous files back. Blocking a key needs its value, which the case never \
                holds: give the values in a file (--key-values); they go only into the managed file.
                """)

        @Argument(help: "The case file.") var casePath: String
        @Option(help: "The gateway: nginx.") var gateway: String
        @Option(help: "The directory nginx includes the two managed files from.") var confDir: String
        @Flag(help: "Test the configuration and reload nginx.") var reload = false
        @Option(help: "How to run nginx, such as \"nginx -p PREFIX -c CONF\".") var nginx = "nginx"
        @Option(help: "The request header that carries API keys.") var keyHeader = "X-API-Key"
        @Option(help: "A file of the blocked keys' values, one a line.") var keyValues: String?
        @Option(help: "A base URL of the protected server to probe after the reload (http://127.0.0.1:8080).") var probeURL: String?
        @Option(help: "Why.") var reason: String = "apply containment"
        @OptionGroup var actorOptions: ActorOptions

        func run() throws {
            guard gateway == "nginx" else {
                throw ValidationError("--gateway: '\(gateway)' is not a gateway this version applies to; nginx is")
            }
            let words = nginx.split(whereSeparator: \.isWhitespace).map(String.init)
            guard !words.isEmpty else { throw ValidationError("--nginx: give the command that runs nginx") }
            let target = NginxTarget(
                confDir: confDir, reload: reload, command: words, keyHeader: keyHeader, keyValuesPath: keyValues, probeURL: probeURL)
            let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
            guard case .applied(let report) = try engine.execute(.applyContainment(.nginx(target), reason: reason)) else { return }
            print("apply #\(report.intent.id) to \(report.gateway): \(report.puts.count) measures in force, \(report.removes.count) removed")
            for file in report.files { print("  wrote \(DisplayText.sanitize(file).text)") }
            for check in report.checks { print("  checked: \(DisplayText.sanitize(check).text)") }
            if let problem = report.problem {
                throw RefusedRequest("apply #\(report.intent.id) failed: \(problem)")
            }
            if !reload { print("  files written; nginx was not reloaded (run `nginx -t` and `nginx -s reload`, or apply with --reload)") }
        }
    }

    struct CaseCommandGroup: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "case", abstract: "The case itself.", subcommands: [Status.self])

        struct Status: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Mark the case contained or closed (or open again), with your reason.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "open, contained or closed.") var status: String
            @Option(help: "Why.") var reason: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                guard let value = CaseStatus(rawValue: status) else { throw ValidationError("'\(status)' is not open, contained or closed") }
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard case .recorded(let action) = try engine.execute(.changeCaseStatus(value, reason: reason)) else { return }
                print("the case is \(value.rawValue) (action #\(action.id))")
            }
        }
    }
}
