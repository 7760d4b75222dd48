import ArgumentParser
import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the whole case against its action chain; print the head hash.",
            discussion: """
                Checks: the action chain; the case header against action 1; the evidence rows, the \
                allowlist and finding states, re-derived from the actions that decide them; each \
                import's requests (counted, in the id range its action recorded) and the dictionary \
                strings it added (re-hashed against its action's digest); the packed requests scope \
                reads; and evidence files still on disk (they must still start with the imported \
                bytes). --deep also re-hashes every request row against its import's digest, which \
                reads the whole requests table (about a second per million requests). Evidence \
                imported before row digests were recorded is reported as not covered by a row digest. \
                Exits 0 when the case is intact, 1 naming what disagrees when it was tampered with, \
                2 when the file is not a readable case. Keep the head hash somewhere else and pass it \
                back with --expect-head to also catch rows removed from the end.
                """)

        @Argument(help: "The case file.")
        var casePath: String

        @Option(help: "A head hash recorded earlier; verification fails if the log no longer ends there.")
        var expectHead: String?

        @Flag(help: "Also re-hash every stored request against its import's digest (slower).")
        var deep = false

        func run() throws {
            let file = try CaseFile.openReadOnly(at: casePath)
            let report = try file.verify(expectedHead: expectHead, deep: deep, rehash: FileDigest.sha256(path:bytes:))
            let rows = deep ? "\(report.requestsRehashed) requests re-hashed" : "requests counted, not re-hashed (--deep re-hashes them)"
            if report.isIntact {
                print("intact: \(report.actions) actions, \(report.evidenceChecked) evidence records, \(rows)")
                for note in report.uncovered { print("  \(DisplayText.sanitize(note).text)") }
                print("head \(report.headHash)")
                return
            }
            print("TAMPERED: \(report.problems.count) problem(s)")
            if let row = report.firstBadRow { print("first bad row: \(row)") }
            for problem in report.problems { print("  \(DisplayText.sanitize(problem).text)") }
            for note in report.uncovered { print("  \(DisplayText.sanitize(note).text)") }
            print("head \(report.headHash)")
            throw ExitCode(1)
        }
    }
}
