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
    /// Digests of the rows this import wrote; nil for evidence imported before they were recorded.
    public var rowDigests: EvidenceRowDigests?
    /// Set when this evidence is the new tail of a file whose start is earlier evidence.
    public var continuation: EvidenceContinuation?

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
        JSONValue.array(malformedSamples.map { ["line": .int($0.line), "text": .string($0.text), "reason": .string($0.reason)] }).canonicalJSON
    }

    /// What the ingest action records, so `verify` can tie this record to the chain.
    public var actionDetails: JSONValue {
        var details: [String: JSONValue] = [
            "evidence_id": .int(id), "path": .string(path), "sha256": .string(sha256), "size": .int(size), "format": .string(format),
            "lines": .int(linesRead), "parsed": .int(parsed), "malformed": .int(malformed),
        ]
        // Only when there were any, so ordinary imports keep the details they always had.
        if timeRefused > 0 { details["time_refused"] = .int(timeRefused) }
        if let sha256Decompressed { details["sha256_decompressed"] = .string(sha256Decompressed) }
        if let firstMs { details["first"] = .string(UTCTime.format(ms: firstMs)) }
        if let lastMs { details["last"] = .string(UTCTime.format(ms: lastMs)) }
        if let d = rowDigests {
            details["requests_sha256"] = .string(d.requestsSHA256)
            details["first_request_id"] = .int(d.firstRequestID)
            details["dict_sha256"] = .string(d.dictSHA256)
            details["first_dict_id"] = .int(d.firstDictID)
            details["dict_added"] = .int(d.dictAdded)
        }
        if let c = continuation {
            details["continues"] = .int(c.continues)
            details["offset"] = .int(c.offset)
            details["line_offset"] = .int(c.lineOffset)
            details["prefix_sha256"] = .string(c.prefixSHA256)
        }
        return .fields(details)
    }
}

/// What an import wrote, as digests `verify` can recompute: its requests (ids `firstRequestID`
/// onward, one per parsed line) and the dictionary strings it added (ids `firstDictID` onward).
/// Each string is covered by the import that added it, whichever later requests use it.
public struct EvidenceRowDigests: Equatable, Sendable {
    public var requestsSHA256: String
    public var firstRequestID: Int64
    public var dictSHA256: String
    public var firstDictID: Int64
    public var dictAdded: Int64

    public init(requestsSHA256: String, firstRequestID: Int64, dictSHA256: String, firstDictID: Int64, dictAdded: Int64) {
        self.requestsSHA256 = requestsSHA256
        self.firstRequestID = firstRequestID
        self.dictSHA256 = dictSHA256
        self.firstDictID = firstDictID
        self.dictAdded = dictAdded
    }
}

/// Evidence that is the bytes a file gained after earlier evidence: `offset` bytes (and
/// `lineOffset` lines) of the file were already evidence `continues`.
public struct EvidenceContinuation: Equatable, Sendable {
    public var continues: Int64
    public var offset: Int64
    public var lineOffset: Int64
    /// SHA-256 of the file's bytes from its start to the end of this tail, so a later, longer
    /// version of the file can be recognised as continuing this evidence.
    public var prefixSHA256: String

    public init(continues: Int64, offset: Int64, lineOffset: Int64, prefixSHA256: String) {
        self.continues = continues
        self.offset = offset
        self.lineOffset = lineOffset
        self.prefixSHA256 = prefixSHA256
    }
}
