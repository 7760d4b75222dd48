import Foundation
import TourniquetIngest
import TourniquetModel
import TourniquetStore

/// How to read and normalise one file, resolved from the case's settings and the command.
struct IngestOptions: Sendable {
    /// A `--format` name, or nil to detect the file's format.
    var format: String?
    /// The spec whose templates routes are matched against.
    var spec: APISpec?
    /// A spec given with this ingest, stored in the case with the evidence so later runs use it.
    var specDocument: SpecDocument?
    var trustedProxies: [CIDR]
    var extraSecretNames: [String]
    var awsMapping: AWSFieldMapping
    var rationale: String

    init(
        format: String? = nil, spec: APISpec? = nil, specDocument: SpecDocument? = nil, trustedProxies: [CIDR] = [],
        extraSecretNames: [String] = [], awsMapping: AWSFieldMapping = .standard, rationale: String = ""
    ) {
        self.format = format
        self.spec = specDocument?.spec ?? spec
        self.specDocument = specDocument
        self.trustedProxies = trustedProxies
        self.extraSecretNames = extraSecretNames
        self.awsMapping = awsMapping
        self.rationale = rationale
    }
}

/// Where a running ingest is, for a progress line or bar.
public struct IngestProgress: Sendable {
    public var path: String
    public var bytesRead: Int64
    public var totalBytes: Int64?
    public var lines: Int64
    public var elapsedSeconds: Double
}

/// What one file's ingest did.
public enum IngestOutcome: Sendable {
    case imported(EvidenceRecord, Action)
    /// The same bytes (by SHA-256) are already evidence in this case; nothing was changed.
    case duplicate(path: String, existing: EvidenceRecord)
}

/// A message from the parsing thread to the writing thread.
enum IngestMessage {
    case batch(RequestBatch, bytesRead: Int64, lines: Int64)
    case finished(ParseSummary)
    case failed(Error)
}

/// What the parsing thread counted.
struct ParseSummary {
    var linesRead: Int64 = 0
    var parsed: Int64 = 0
    /// Lines that are not imported: unreadable, or dated outside the plausible window.
    var malformed: Int64 = 0
    /// Of those, the lines refused for their time alone.
    var timeRefused: Int64 = 0
    var samples: [EvidenceRecord.MalformedSample] = []

    static let sampleLimit = 20
    static let sampleTextLimit = 300

    /// Counts a line that was not imported and keeps the first few, with their secrets redacted
    /// (by the same redactor the requests get) before they are cut, escaped, stored or printed.
    mutating func recordMalformed(line: Int64, bytes: UnsafeBufferPointer<UInt8>, reason: String, redactor: SecretRedactor) {
        malformed += 1
        guard samples.count < ParseSummary.sampleLimit else { return }
        samples.append(EvidenceRecord.MalformedSample(line: line, text: ParseSummary.shown(bytes, redactor: redactor), reason: reason))
    }

    static func implausibleTime(_ ms: Int64) -> String {
        "time \(UTCTime.format(ms: ms)) is before 1990 or more than a day after the ingest time"
    }

    /// A raw line as it may be kept or shown: secrets redacted, cut to a readable length, escaped.
    static func shown(_ bytes: some Collection<UInt8>, redactor: SecretRedactor, limit: Int = ParseSummary.sampleTextLimit) -> String {
        let redacted = redactor.redactText(bytes)
        var text = DisplayText.sanitize(bytes: redacted.prefix(limit)).text
        if redacted.count > limit { text += "…" }
        return text
    }
}

/// An OpenAPI document: where it came from, its text, and what was read from it.
public struct SpecDocument: Sendable {
    public var path: String
    public var text: String
    public var spec: APISpec

    public static func load(path: String) throws -> SpecDocument {
        let text: String
        do { text = try BoundedYAML.readText(path: path) } catch let error as YAMLDocumentError {
            throw IngestError.badSpec(path: path, reason: error.reason)
        }
        return SpecDocument(path: path, text: text, spec: try OpenAPILoader.parse(text, path: path))
    }
}
