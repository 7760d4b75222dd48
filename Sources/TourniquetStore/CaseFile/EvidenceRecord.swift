import TourniquetModel
/// What the registry keeps about one imported file.
public struct EvidenceRecord: Equatable, Sendable {
    public struct MalformedSample: Equatable, Sendable {
        public var line: Int64
        /// The line as read, already escaped for display and cut to a readable length.
        public var text: String
        public var reason: String
        public init(line: Int64, text: String, reason: String) {
            self.line = line
            self.text = text
            self.reason = reason
        }
    }

    public var id: Int64
    public var path: String
    public var sha256: String
    public var sha256Decompressed: String?
    public var size: Int64
    public var format: String
    public var importer: String
    public var importedAtMs: Int64
    public var firstMs: Int64?
    public var lastMs: Int64?
    public var linesRead: Int64
    public var parsed: Int64
    public var malformed: Int64
    public var malformedSamples: [MalformedSample]
    /// Of the malformed lines, those refused only because their time was implausible (kept in the
    /// ingest action's details as `time_refused`, not in the evidence row).
    public var timeRefused: Int64

    public init(
        id: Int64, path: String, sha256: String, sha256Decompressed: String?, size: Int64, format: String, importer: String,
        importedAtMs: Int64, firstMs: Int64?, lastMs: Int64?, linesRead: Int64, parsed: Int64, malformed: Int64,
        malformedSamples: [MalformedSample], timeRefused: Int64 = 0
    ) {
        self.id = id
        self.path = path
        self.sha256 = sha256
        self.sha256Decompressed = sha256Decompressed
        self.size = size
        self.format = format
        self.importer = importer
        self.importedAtMs = importedAtMs
        self.firstMs = firstMs
        self.lastMs = lastMs
        self.linesRead = linesRead
        self.parsed = parsed
        self.malformed = malformed
        self.malformedSamples = malformedSamples
        self.timeRefused = timeRefused
    }

    var samplesJSON: String {
        Detail.array(malformedSamples.map { ["line": .int($0.line), "text": .string($0.text), "reason": .string($0.reason)] }).canonicalJSON
    }

    /// What the ingest action records, so `verify` can tie this record to the chain.
    public var actionDetails: Detail {
        var details: [String: Detail] = [
            "evidence_id": .int(id), "path": .string(path), "sha256": .string(sha256), "size": .int(size), "format": .string(format),
            "lines": .int(linesRead), "parsed": .int(parsed), "malformed": .int(malformed),
        ]
        // Only when there were any, so ordinary imports keep the details they always had.
        if timeRefused > 0 { details["time_refused"] = .int(timeRefused) }
        if let sha256Decompressed { details["sha256_decompressed"] = .string(sha256Decompressed) }
        if let firstMs { details["first"] = .string(UTCTime.format(ms: firstMs)) }
        if let lastMs { details["last"] = .string(UTCTime.format(ms: lastMs)) }
        return .object(details)
    }
}
