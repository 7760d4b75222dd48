import ArgumentParser
import Foundation
import TourniquetModel
import TourniquetEngine
import TourniquetStore

extension Tourniquet {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the action chain and evidence hashes; print the head hash.",
            discussion: """
                Exits 0 when the case is intact, 1 naming the first bad row when it was tampered with, \
                2 when the file is not a readable case. Keep the head hash somewhere else and pass it \
                back with --expect-head to also catch rows removed from the end.
                """)

        @Argument(help: "The case file.")
        var casePath: String

        @Option(help: "A head hash recorded earlier; verification fails if the log no longer ends there.")
        var expectHead: String?

        func run() throws {
            let file = try CaseFile.open(at: casePath, forWriting: false)
            let report = try file.verify(expectedHead: expectHead, rehash: FileDigest.sha256(path:))
            if report.isIntact {
                print("intact: \(report.actions) actions, \(report.evidenceChecked) evidence records")
                print("head \(report.headHash)")
                return
            }
            print("TAMPERED: \(report.problems.count) problem(s)")
            if let row = report.firstBadRow { print("first bad row: \(row)") }
            for problem in report.problems { print("  \(DisplayText.sanitize(problem).text)") }
            print("head \(report.headHash)")
            throw ExitCode(1)
        }
    }
}
