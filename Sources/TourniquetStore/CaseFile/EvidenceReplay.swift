import TourniquetModel

/// Evidence as its `evidence.ingested` actions recorded it: the rows of `evidence`, and the
/// requests and dictionary strings each import wrote.
final class EvidenceReplay: VerifyReplay {
    struct Expected {
        var actionID: Int64
        var id: Int64
        var path: String
        var sha256: String
        var sha256Decompressed: String?
        var size: Int64
        var format: String
        var lines: Int64
        var parsed: Int64
        var malformed: Int64
        var digests: EvidenceRowDigests?
        /// Where the evidence ends in its file, and the digest of the file up to there.
        var prefixEnd: Int64
        var prefixSHA256: String
    }
    private(set) var expected: [Expected] = []

    func observe(_ action: Action) {
        guard action.kind == ActionKind.evidenceIngested.rawValue else { return }
        let d = ActionDetailFields(action.details)
        var digests: EvidenceRowDigests?
        if let requests = d.string("requests_sha256"), let firstRequest = d.int("first_request_id"), let dict = d.string("dict_sha256"),
            let firstDict = d.int("first_dict_id"), let added = d.int("dict_added")
        {
            digests = EvidenceRowDigests(
                requestsSHA256: requests, firstRequestID: firstRequest, dictSHA256: dict,
                firstDictID: firstDict, dictAdded: added)
        }
        let sha = d.string("sha256") ?? ""
        let size = d.int("size") ?? -1
        expected.append(
            Expected(
                actionID: action.id, id: d.int("evidence_id") ?? -1, path: d.string("path") ?? action.target, sha256: sha,
                sha256Decompressed: d.string("sha256_decompressed"), size: size, format: d.string("format") ?? "",
                lines: d.int("lines") ?? -1, parsed: d.int("parsed") ?? -1, malformed: d.int("malformed") ?? -1, digests: digests,
                prefixEnd: (d.int("offset") ?? 0) + size, prefixSHA256: d.string("prefix_sha256") ?? sha))
    }

    func compare(_ db: SQLiteDatabase, into report: inout VerifyReport) throws {
        var unseen = Dictionary(expected.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let rows = try db.prepare(
            """
            SELECT id, path, sha256, sha256_decompressed, size, format, lines_read, parsed, malformed, action_id FROM evidence ORDER BY id
            """)
        while try rows.step() {
            let id = rows.int(0)
            report.evidenceChecked += 1
            guard let e = unseen.removeValue(forKey: id) else {
                report.problems.append("evidence \(id) (\(rows.text(1))) was recorded by no evidence.ingested action")
                continue
            }
            let fields: [(String, String, String)] = [
                ("action", String(rows.int(9)), String(e.actionID)), ("path", rows.text(1), e.path), ("SHA-256", rows.text(2), e.sha256),
                ("decompressed SHA-256", rows.optionalText(3) ?? "none", e.sha256Decompressed ?? "none"),
                ("size", String(rows.int(4)), String(e.size)), ("format", rows.text(5), e.format),
                ("line count", String(rows.int(6)), String(e.lines)), ("parsed count", String(rows.int(7)), String(e.parsed)),
                ("malformed count", String(rows.int(8)), String(e.malformed)),
            ]
            if let (name, table, recorded) = fields.first(where: { $0.1 != $0.2 }) {
                report.problems.append("evidence \(id): its \(name) is \(table), but action \(e.actionID) recorded \(recorded)")
            }
        }
        for e in unseen.values.sorted(by: { $0.id < $1.id }) {
            report.problems.append("evidence \(e.id) (\(e.path)), recorded by action \(e.actionID), has no row in the evidence table")
        }
    }

    /// Files still on disk must still start with the bytes that were imported (a log may have grown since).
    func rehashFiles(_ rehash: (_ path: String, _ bytes: Int64) -> String?, into report: inout VerifyReport) {
        for e in expected {
            if let current = rehash(e.path, e.prefixEnd), current != e.prefixSHA256 {
                report.problems.append("evidence \(e.id): \(e.path) on disk no longer matches the SHA-256 recorded at ingest")
            }
        }
    }
}
