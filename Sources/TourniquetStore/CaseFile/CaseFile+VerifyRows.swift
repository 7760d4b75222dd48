import TourniquetIngest

extension CaseFile {
    /// Checks `requests` and `dict` against what each import's action recorded.
    ///
    /// Always: every request belongs to recorded evidence, each evidence holds as many requests as
    /// it parsed in the id range it was given, and the dictionary strings each import added still
    /// hash to its digest (the dictionary is small, so this is cheap). With `deep`, every request
    /// row is re-hashed too, which reads the whole table.
    func checkRows(of evidence: [EvidenceReplay.Expected], deep: Bool, into report: inout VerifyReport) throws {
        var counts: [Int64: (rows: Int64, first: Int64, last: Int64)] = [:]
        let grouped = try db.prepare("SELECT evidence, count(*), min(id), max(id) FROM requests GROUP BY evidence")
        while try grouped.step() { counts[grouped.int(0)] = (grouped.int(1), grouped.int(2), grouped.int(3)) }
        let recorded = Set(evidence.map(\.id))
        for (id, found) in counts.sorted(by: { $0.key < $1.key }) where !recorded.contains(id) {
            report.problems.append("requests \(found.first)-\(found.last): \(found.rows) rows belong to evidence \(id), which no action recorded")
        }
        for e in evidence {
            let found = counts[e.id] ?? (0, 0, 0)
            if found.rows != e.parsed {
                report.problems.append("evidence \(e.id): \(found.rows) requests are stored, but action \(e.actionID) recorded \(e.parsed) parsed")
                continue
            }
            guard let digests = e.digests else {
                report.uncovered.append(
                    "evidence \(e.id): not covered by a row digest (imported before row digests were recorded); its requests were counted only")
                continue
            }
            let last = digests.firstRequestID + e.parsed - 1
            if e.parsed > 0 && (found.first != digests.firstRequestID || found.last != last) {
                report.problems.append(
                    "evidence \(e.id): its requests are ids \(found.first)-\(found.last), but action \(e.actionID) recorded \(digests.firstRequestID)-\(last)"
                )
                continue
            }
            if try dictDigest(from: digests.firstDictID, count: digests.dictAdded) != digests.dictSHA256 {
                let range = "ids \(digests.firstDictID)-\(digests.firstDictID + digests.dictAdded - 1)"
                report.problems.append(
                    "evidence \(e.id): the dictionary strings it added (\(range)) differ from the digest action \(e.actionID) recorded")
            }
            if deep {
                report.requestsRehashed += e.parsed
                if try requestDigest(from: digests.firstRequestID, count: e.parsed) != digests.requestsSHA256 {
                    report.problems.append(
                        "evidence \(e.id): its requests (ids \(digests.firstRequestID)-\(last)) differ from the digest action \(e.actionID) recorded")
                }
            }
        }
        try checkUnclaimedStrings(evidence, into: &report)
    }

    /// Strings no import added: only checkable once every import recorded what it added.
    private func checkUnclaimedStrings(_ evidence: [EvidenceReplay.Expected], into report: inout VerifyReport) throws {
        guard evidence.allSatisfy({ $0.digests != nil }) else { return }
        let claimed = evidence.reduce(Int64(0)) { $0 + ($1.digests?.dictAdded ?? 0) }
        let stored = try db.scalarInt("SELECT count(*) FROM dict") ?? 0
        if stored != claimed {
            report.problems.append("dictionary: \(stored) strings are stored, but the imports recorded adding \(claimed)")
        }
    }

    private func dictDigest(from first: Int64, count: Int64) throws -> String {
        var digest = RowDigest()
        let stmt = try db.prepare("SELECT id, kind, value FROM dict WHERE id >= ? AND id < ? ORDER BY id")
        stmt.bind(1, first)
        stmt.bind(2, first + count)
        while try stmt.step() {
            digest.int(stmt.int(0))
            stmt.withTextBytes(1) { digest.text($0 ?? UnsafeBufferPointer(start: nil, count: 0)) }
            stmt.withTextBytes(2) { digest.text($0 ?? UnsafeBufferPointer(start: nil, count: 0)) }
            digest.endRow()
        }
        return digest.finalize()
    }

    /// Re-hashes requests in the encoding of `RowDigest.add(_:text:)`, in `requests` column order.
    private func requestDigest(from first: Int64, count: Int64) throws -> String {
        var digest = RowDigest()
        let stmt = try db.prepare(
            """
            SELECT id, line, ts_ms, utc_offset_min, ip, xff, client, api_key, method, path, route, query,
                   status, bytes, latency_us, user_agent, flags
            FROM requests WHERE id >= ? AND id < ? ORDER BY id
            """)
        stmt.bind(1, first)
        stmt.bind(2, first + count)
        while try stmt.step() {
            for column: Int32 in 0...4 { digest.int(stmt.int(column)) }
            for column: Int32 in 5...7 { digest.optionalInt(stmt.optionalInt(column)) }
            digest.int(stmt.int(8))
            stmt.withTextBytes(9) { digest.text($0 ?? UnsafeBufferPointer(start: nil, count: 0)) }
            digest.int(stmt.int(10))
            stmt.withTextBytes(11) { digest.optionalText($0) }
            digest.int(stmt.int(12))
            digest.int(stmt.int(13))
            digest.optionalInt(stmt.optionalInt(14))
            digest.optionalInt(stmt.optionalInt(15))
            digest.int(stmt.int(16))
            digest.endRow()
        }
        return digest.finalize()
    }
}
