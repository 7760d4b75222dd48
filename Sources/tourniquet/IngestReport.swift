import Foundation
import TourniquetModel
import TourniquetIngest
import TourniquetEngine
import TourniquetStore

/// How `ingest` reports what it did, as text for people or JSON for scripts.
enum IngestReport {
    static func printText(_ outcome: IngestOutcome) {
        switch outcome {
        case .imported(let r, let action):
            let path = DisplayText.sanitize(r.path).text
            print("imported \(path) as evidence #\(r.id) (action #\(action.id))")
            let refused = r.timeRefused > 0 ? " (\(r.timeRefused) refused for an implausible time)" : ""
            print("  format \(r.format), \(r.linesRead) lines: \(r.parsed) parsed, \(r.malformed) malformed\(refused)")
            print("  sha256 \(r.sha256)\(r.sha256Decompressed.map { " (decompressed \($0))" } ?? "")")
            if let first = r.firstMs, let last = r.lastMs {
                print("  from \(UTCTime.format(ms: first)) to \(UTCTime.format(ms: last))")
            }
            for sample in r.malformedSamples.prefix(5) {
                print("  malformed line \(sample.line): \(sample.reason): \(sample.text)")
            }
            if r.malformed > 5 { print("  … \(r.malformed - 5) more malformed lines (first \(r.malformedSamples.count) kept in the case)") }
        case .duplicate(let path, let existing):
            print("skipped \(DisplayText.sanitize(path).text): already evidence #\(existing.id) (same SHA-256 \(existing.sha256))")
        }
    }

    /// `{"evidence":[{"path","sha256","format","lines","parsed","malformed","time_refused","first","last"}],"requests":N}`.
    static func json(_ outcomes: [IngestOutcome]) -> String {
        var requests: Int64 = 0
        let items: [Detail] = outcomes.map { outcome in
            switch outcome {
            case .imported(let r, _):
                requests += r.parsed
                return entry(r, path: r.path, duplicate: false)
            case .duplicate(let path, let existing):
                return entry(existing, path: path, duplicate: true)
            }
        }
        return Detail.object(["evidence": .array(items), "requests": .int(requests)]).canonicalJSON
    }

    private static func entry(_ r: EvidenceRecord, path: String, duplicate: Bool) -> Detail {
        [
            "path": .string(path), "sha256": .string(r.sha256), "format": .string(r.format), "lines": .int(r.linesRead),
            "parsed": .int(r.parsed), "malformed": .int(r.malformed), "time_refused": .int(r.timeRefused),
            "first": r.firstMs.map { .string(UTCTime.format(ms: $0)) } ?? .null,
            "last": r.lastMs.map { .string(UTCTime.format(ms: $0)) } ?? .null, "duplicate": .bool(duplicate),
        ]
    }
}

/// Loads a user's AWS API Gateway field mapping.
enum AWSFieldMappingFile {
    static func load(path: String) throws -> AWSFieldMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationErrorMessage("--aws-field-map \(DisplayText.escaped(path)): cannot read the file")
        }
        do {
            return try JSONDecoder().decode(AWSFieldMapping.self, from: data)
        } catch {
            throw ValidationErrorMessage("--aws-field-map \(DisplayText.escaped(path)): not a field mapping: \(DecodingProblem.describe(error))")
        }
    }
}

struct ValidationErrorMessage: ResponderFacingError {
    var description: String
    var exitCode: Int32 { 1 }
    init(_ description: String) { self.description = description }
}
