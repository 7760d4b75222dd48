import Foundation
import TourniquetEngine
import TourniquetIngest
import TourniquetModel
import TourniquetStore

/// What happened to one file named on the command line.
enum FileOutcome {
    case done(IngestOutcome)
    /// Nothing of the file was imported; `reason` is one plain line naming the file, escaped already.
    case failed(path: String, reason: String)

}

/// How `ingest` reports what it did, as text for people or JSON for scripts.
enum IngestReport {
    static func printText(_ outcome: FileOutcome) {
        switch outcome {
        case .done(.imported(let r, let action)):
            let path = DisplayText.sanitize(r.path).text
            if let c = r.continuation {
                print("continued evidence #\(c.continues) with the \(r.size) bytes \(path) gained since: evidence #\(r.id) (action #\(action.id))")
            } else {
                print("imported \(path) as evidence #\(r.id) (action #\(action.id))")
            }
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
        case .done(.duplicate(let path, let existing)):
            print("skipped \(DisplayText.sanitize(path).text): already evidence #\(existing.id) (same SHA-256 \(existing.sha256))")
        case .failed(_, let reason):
            print("failed: \(reason)")  // escaped already
        }
    }

    /// `{"evidence":[{"path","outcome",…}],"requests":N,"failed":N}`: one entry per file in the order
    /// given. `outcome` is imported, continued, duplicate or failed; a failed entry has only `path`,
    /// `outcome` and `reason`.
    static func json(_ outcomes: [FileOutcome]) -> String {
        var requests: Int64 = 0
        var failed: Int64 = 0
        let items: [JSONValue] = outcomes.map { outcome in
            switch outcome {
            case .done(.imported(let r, _)):
                requests += r.parsed
                var item = entry(r, path: r.path, outcome: r.continuation == nil ? "imported" : "continued")
                if case .object(var fields) = item, let c = r.continuation {
                    fields.members += [("continues", .int(c.continues)), ("offset", .int(c.offset))]
                    item = .object(fields)
                }
                return item
            case .done(.duplicate(let path, let existing)):
                return entry(existing, path: path, outcome: "duplicate")
            case .failed(let path, let reason):
                failed += 1
                return ["path": .string(path), "outcome": "failed", "reason": .string(reason)]
            }
        }
        return JSONValue.fields(["evidence": .array(items), "requests": .int(requests), "failed": .int(failed)]).canonicalJSON
    }

    private static func entry(_ r: EvidenceRecord, path: String, outcome: String) -> JSONValue {
        [
            "path": .string(path), "outcome": .string(outcome), "evidence_id": .int(r.id), "sha256": .string(r.sha256),
            "format": .string(r.format), "lines": .int(r.linesRead), "parsed": .int(r.parsed), "malformed": .int(r.malformed),
            "time_refused": .int(r.timeRefused),
            "first": r.firstMs.map { .string(UTCTime.format(ms: $0)) } ?? .null,
            "last": r.lastMs.map { .string(UTCTime.format(ms: $0)) } ?? .null, "duplicate": .bool(outcome == "duplicate"),
        ]
    }
}

/// Loads a user's AWS API Gateway field mapping.
enum AWSFieldMappingFile {
    /// The file's text, once it is known to be a mapping: the case keeps the text in its settings.
    static func read(path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationErrorMessage("--aws-field-map \(DisplayText.escaped(path)): cannot read the file")
        }
        do {
            _ = try JSONDecoder().decode(AWSFieldMapping.self, from: data)
            return String(decoding: data, as: UTF8.self)
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
