import Foundation
import TourniquetModel
import TourniquetStore

/// A closed real case replayed as a drill: a new DRILL case with the same evidence (read again from
/// the files the original imported, each checked against its recorded SHA-256) and settings, a
/// fresh timeline, and an answer key from what the original responders named: the addresses,
/// clients and accounts they confirmed or contained. `drill score` judges the new response by it.
public enum DrillReplay {
    public struct Outcome {
        public var engine: CaseEngine
        public var evidence: Int
        public var answerKeyPath: String
        public var named: CaseEngine.Named
    }

    public static func replay(original path: String, as newPath: String, context: CommandContext) throws -> Outcome {
        let original = try CaseFile.openReadOnly(at: path)
        guard try original.currentStatus() == .closed else {
            throw RefusedRequest(
                "only a closed case is replayed as a drill (its responders' answers are then final): `tourniquet case status CASE closed`")
        }
        let evidence = try original.evidence()
        guard !evidence.isEmpty else { throw RefusedRequest("the case holds no evidence to replay") }
        for record in evidence where !FileManager.default.fileExists(atPath: record.path) {
            throw RefusedRequest("the evidence file \(DisplayText.escaped(record.path)) is gone: put it back where it was imported from")
        }
        let folder = newPath + ".incident"
        let key = (folder as NSString).appendingPathComponent("truth.json")
        var info = stat()
        if lstat(newPath, &info) == 0 { throw CaseFileError.alreadyExists(newPath) }
        if lstat(key, &info) == 0 { throw RefusedRequest("\(key) exists; give a new case path") }

        let named = try CaseEngine.named(original, inForce: CaseEngine.ledger(of: original, nowMs: context.clock.nowMs()).inForce.map(\.measure))
        let engine = try CaseEngine.createCase(
            at: newPath, title: "Replay of: \(original.metadata.title)", severity: original.metadata.severity, detectedAtMs: context.clock.nowMs(),
            isDrill: true, context: context)
        try engine.execute(.changeSettings(try original.settings(), rationale: "the original case's settings"))
        for record in evidence {
            guard
                case .ingested(let outcome) = try engine.execute(
                    .ingest(path: record.path, format: record.format, openAPISpec: nil, rationale: "replayed evidence"))
            else { continue }
            if case .imported(let imported, _) = outcome, imported.sha256 != record.sha256 {
                throw RefusedRequest(
                    "\(DisplayText.escaped(record.path)) changed since the original imported it (SHA-256 differs): the replay would not be the same incident"
                )
            }
        }
        try engine.execute(.runScope(fromMs: nil, toMs: nil))

        // The answer key, in the simulation's truth layout: blocked ranges become the addresses of
        // the evidence inside them. Keys are fingerprinted with each case's own key, so they cannot
        // be carried over; they are left out of the key.
        let ips = try original.dictionary(kind: .ip).values.filter { ip in
            IPAddress(ip).map { address in named.networks.contains { $0.contains(address) } } ?? false
        }
        let truth: JSONValue = .fields([
            "seed": 0, "scenarios": [], "format": .string(evidence.first?.format ?? "combined"),
            "attackers": .fields(["ips": .array(ips.sorted().map { .string($0) }), "clients": .array(named.clients.sorted().map { .string($0) })]),
            "accounts": .fields(["compromised": .array(named.accounts.sorted().map { .string($0) }), "targeted": 0]),
            "keys": .fields(["compromised": []]), "objects": [], "shadow_endpoints": [],
            "decoys": .fields(["ips": [], "clients": []]),
        ])
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try AtomicFile.write(truth.canonicalJSON + "\n", to: key, mode: 0o644)
        return Outcome(engine: engine, evidence: evidence.count, answerKeyPath: key, named: named)
    }
}
