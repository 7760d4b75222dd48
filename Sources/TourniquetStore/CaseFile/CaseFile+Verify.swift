import Foundation
import TourniquetIngest
import TourniquetModel

/// What `verify` found: the head hash to keep elsewhere, and every problem if any.
public struct VerifyReport: Equatable, Sendable {
    public var actions: Int64
    public var headHash: String
    public var evidenceChecked: Int
    public var problems: [String]
    /// Evidence that could be checked only partly (imported before row digests were recorded);
    /// not a problem, but said so the responder knows what the verdict rests on.
    public var uncovered: [String] = []
    /// Requests whose rows were re-hashed (only with `deep`).
    public var requestsRehashed: Int64 = 0
    /// The first row of the action log that failed, when the chain itself is broken.
    public var firstBadRow: Int64?
    public var isIntact: Bool { problems.isEmpty }
}

extension CaseFile {
    /// Recomputes the action chain and checks the rest of the case against it.
    ///
    /// The header must say what action 1 recorded. What actions decide (evidence rows, the
    /// allowlist, finding states) is re-derived from them and compared with the tables. Each
    /// import's requests are counted and the dictionary strings it added re-hashed against its
    /// action's digests; `deep` also re-hashes every request row. Evidence files still on disk must
    /// still start with the imported bytes (`rehash` gives the SHA-256 of a file's first bytes).
    /// `expectedHead` (kept outside the case, for example from an export) also catches a truncated log.
    public func verify(
        expectedHead: String? = nil, deep: Bool = false,
        rehash: (_ path: String, _ bytes: Int64) -> String? = { _, _ in nil }
    ) throws -> VerifyReport {
        var report = VerifyReport(actions: 0, headHash: ActionChain.genesisHash(caseID: metadata.id), evidenceChecked: 0, problems: [])
        var expectedPrev = report.headHash
        var expectedID: Int64 = 1
        var creation: Action?
        let evidence = EvidenceReplay()
        let replays: [VerifyReplay] = [evidence, AllowlistReplay(), FindingStateReplay()]
        try forEachAction { action in
            report.actions += 1
            if report.firstBadRow == nil {
                let problem = ActionChain.firstProblem(in: [action], startingAfter: expectedID - 1, previousHash: expectedPrev)
                if let problem {
                    report.firstBadRow = problem.firstBadRow
                    report.problems.append(problem.explanation)
                }
            }
            expectedPrev = action.hash
            expectedID = action.id + 1
            report.headHash = action.hash
            if action.id == 1 { creation = action }
            for replay in replays { replay.observe(action) }
        }
        if report.actions == 0 { report.problems.append("the action log is empty: the case.created row is missing") }
        if let expectedHead, expectedHead.lowercased() != report.headHash {
            report.problems.append("head hash \(report.headHash) differs from the expected \(expectedHead) (rows were removed or added at the end)")
        }
        if report.firstBadRow == nil, let creation { checkHeader(against: creation, into: &report) }
        for replay in replays { try replay.compare(db, into: &report) }
        try checkRows(of: evidence.expected, deep: deep, into: &report)
        // Never read the case's own files from outside SQLite (see `isOneOfItsFiles`).
        evidence.rehashFiles({ path, bytes in isOneOfItsFiles(path) ? nil : rehash(path, bytes) }, into: &report)
        try checkScanChunks(into: &report)
        return report
    }

    /// The header row must say what the chained `case.created` action says.
    private func checkHeader(against creation: Action, into report: inout VerifyReport) {
        guard creation.kind == ActionKind.caseCreated.rawValue, creation.details == metadata.creationDetails.canonicalJSON else {
            report.problems.append("the case header (title, severity, detection time or drill flag) differs from what action 1 recorded")
            return
        }
    }

    /// Scope reads the packed chunks, not `requests`: each must decode whole, and each evidence
    /// file's chunks must hold as many requests as it parsed.
    private func checkScanChunks(into report: inout VerifyReport) throws {
        // A case from before the chunks existed gets them when it is next opened for writing.
        guard try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'scan_chunks'") == 1 else { return }
        var packed: [Int64: Int64] = [:]
        let chunks = try db.prepare("SELECT evidence, first_id, rows, data FROM scan_chunks ORDER BY first_id")
        while try chunks.step() {
            let (evidence, firstID, rows) = (chunks.int(0), chunks.int(1), Int(chunks.int(2)))
            let chunk = ScanChunk(firstID: firstID, rows: rows, firstMs: .min, lastMs: .max, signatures: "", data: chunks.blob(3))
            do {
                try chunk.forEachRow(fromMs: nil, toMs: nil) { _ in }
                packed[evidence, default: 0] += Int64(rows)
            } catch {
                report.problems.append("evidence \(evidence): the packed requests from request \(firstID) on do not decode; scope cannot read them")
            }
        }
        let parsed = try db.prepare("SELECT id, parsed FROM evidence ORDER BY id")
        while try parsed.step() {
            let (id, count) = (parsed.int(0), parsed.int(1))
            let rows = packed[id] ?? 0
            if rows != count {
                report.problems.append("evidence \(id): scope's packed requests hold \(rows) requests, but \(count) were ingested")
            }
        }
    }
}
