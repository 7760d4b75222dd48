import Foundation
import TourniquetIngest

extension CaseFile {
    /// Every evidence record, oldest first.
    public func evidence() throws -> [EvidenceRecord] {
        let stmt = try db.prepare(
            """
            SELECT id, path, sha256, sha256_decompressed, size, format, importer, imported_at_ms, first_ms, last_ms,
                   lines_read, parsed, malformed, malformed_samples
            FROM evidence ORDER BY id
            """)
        var out: [EvidenceRecord] = []
        while try stmt.step() {
            out.append(
                EvidenceRecord(
                    id: stmt.int(0), path: stmt.text(1), sha256: stmt.text(2), sha256Decompressed: stmt.optionalText(3), size: stmt.int(4),
                    format: stmt.text(5), importer: stmt.text(6), importedAtMs: stmt.int(7), firstMs: stmt.optionalInt(8),
                    lastMs: stmt.optionalInt(9), linesRead: stmt.int(10), parsed: stmt.int(11), malformed: stmt.int(12),
                    malformedSamples: EvidenceSamples.decode(stmt.text(13))))
        }
        return out
    }

    /// The evidence already holding this content: the same bytes, or the same bytes once decompressed
    /// (a log and its gzip are one piece of evidence).
    public func evidence(withContent sha: String, decompressed: String?) throws -> EvidenceRecord? {
        let contents = Set([sha, decompressed].compactMap { $0 })
        return try evidence().first { existing in
            contents.contains(existing.sha256) || existing.sha256Decompressed.map(contents.contains) == true
        }
    }

    public func requestCount() throws -> Int64 {
        try db.scalarInt("SELECT count(*) FROM requests") ?? 0
    }

    /// The per-case key used to fingerprint secrets.
    func fingerprintKey() throws -> [UInt8] {
        let stmt = try db.prepare("SELECT fingerprint_key FROM case_info WHERE singleton = 1")
        return try stmt.step() ? stmt.blob(0) : []
    }
}

/// Reads the malformed-line samples back from their JSON column.
enum EvidenceSamples {
    static func decode(_ json: String) -> [EvidenceRecord.MalformedSample] {
        guard let items = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] else { return [] }
        return items.compactMap { item in
            guard let line = (item["line"] as? NSNumber)?.int64Value, let text = item["text"] as? String else { return nil }
            return EvidenceRecord.MalformedSample(line: line, text: text, reason: item["reason"] as? String ?? "")
        }
    }
}

/// How far into a file earlier evidence reaches: the file's first `end` bytes (and `lines` lines)
/// hash to `sha256` and are already in the case as evidence `evidenceID`.
public struct EvidencePrefix: Equatable, Sendable {
    public var evidenceID: Int64
    public var end: Int64
    public var lines: Int64
    public var sha256: String
    /// The log format the evidence was read as, which its tail is read as too.
    public var format: String
}

extension CaseFile {
    /// The prefixes that a grown log could start with: every evidence read as plain bytes, with
    /// tails reaching from their file's start. A gzip is not a prefix of its grown log.
    public func evidencePrefixes() throws -> [EvidencePrefix] {
        let stmt = try db.prepare(
            """
            SELECT e.id, e.size, e.sha256, e.lines_read, a.details, e.format FROM evidence e JOIN actions a ON a.id = e.action_id
            WHERE e.sha256_decompressed IS NULL AND e.size > 0 ORDER BY e.id
            """)
        var out: [EvidencePrefix] = []
        while try stmt.step() {
            let details = ActionDetailFields(stmt.text(4))
            // Evidence read from its first byte is its own prefix; a tail records the whole prefix's digest.
            let offset = details.int("offset") ?? 0
            out.append(
                EvidencePrefix(
                    evidenceID: stmt.int(0), end: offset + stmt.int(1), lines: (details.int("line_offset") ?? 0) + stmt.int(3),
                    sha256: details.string("prefix_sha256") ?? stmt.text(2), format: stmt.text(5)))
        }
        return out
    }
}

extension CaseWriter {
    /// Begins importing one evidence file: takes the write lock and returns the session that
    /// receives its rows. Nothing is visible to others until `EvidenceImport.finish` commits.
    public func beginEvidenceImport() throws -> EvidenceImport {
        try db.execute("BEGIN IMMEDIATE")
        do {
            return try EvidenceImport(caseFile: self)
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }
}

extension CaseFile {
    /// The fingerprint this case gives a secret: what its requests hold in place of that value.
    public func fingerprint(ofSecret value: String) throws -> String {
        try secretRedactor().fingerprint(value)
    }

    /// The case's redactor: fingerprints secrets with the case's own key.
    public func secretRedactor() throws -> SecretRedactor {
        SecretRedactor(caseKey: try fingerprintKey())
    }
}
