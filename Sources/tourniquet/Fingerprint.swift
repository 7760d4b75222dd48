import ArgumentParser
import Foundation
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct Fingerprint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tell whether a key or token you hold is the one the case saw (by its fingerprint).",
            discussion: """
                Secrets are stored only as keyed fingerprints (fp: and 16 hex digits) with a key of the case's own, so \
                the same value gives the same fingerprint in this case and a different one in any other. Give the value \
                on standard input (the default, so it stays out of your shell history and the process list) or as an \
                argument. Prints the fingerprint and how many requests used it as their API key.
                """)

        @Argument(help: "The case file.")
        var casePath: String

        @Argument(help: "The secret, or - (the default) to read one line from standard input.")
        var value: String = "-"

        func run() throws {
            var secret = value
            if value == "-" {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw ValidationError("no value on standard input") }
                secret = line
            }
            let file = try CaseFile.openReadOnly(at: casePath)
            let fingerprint = try file.fingerprint(ofSecret: secret)
            if let stats = try file.subjectStats(.apiKey, value: fingerprint) {
                print(
                    "\(fingerprint): the API key of \(stats.requests) requests, \(UTCTime.format(ms: stats.firstMs)) to \(UTCTime.format(ms: stats.lastMs))"
                )
            } else {
                print("\(fingerprint): no request used it as its API key (it may still appear in a query or header: search for it)")
            }
        }
    }
}
