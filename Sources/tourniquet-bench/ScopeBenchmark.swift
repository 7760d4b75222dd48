import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetSimulation

/// Times all detectors over a case built from a simulated incident (the ingest is not timed).
enum ScopeBenchmark {
    /// `benign`: a day without attacks, whose report must name nobody.
    static func run(lines: Int, directory: String?, benign: Bool = false) {
        let dir = directory ?? NSTemporaryDirectory() + "tourniquet-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let incidentDir = dir + "/incident-\(lines)\(benign ? "-benign" : "")"
        let casePath = dir + "/scope-\(lines)\(benign ? "-benign" : "").case"
        do {
            if !FileManager.default.fileExists(atPath: casePath) {
                let written = try IncidentFiles.write(SimulationSpec(seed: 7, lines: lines, benignOnly: benign), to: incidentDir)
                let engine = try CaseEngine.createCase(
                    at: casePath, title: "scope benchmark", severity: .low, detectedAtMs: nil, isDrill: true,
                    context: CommandContext(actor: "bench", clock: .live))
                try engine.execute(.ingest(path: written.log, format: nil, openAPISpec: written.openAPI, rationale: ""))
                try? FileManager.default.removeItem(atPath: written.log)
            }
            let engine = try CaseEngine.open(path: casePath, context: CommandContext(actor: "bench", clock: .live))
            var stages: [String] = []
            let start = Date()
            let outcome = try engine.execute(.runScope(fromMs: nil, toMs: nil)) { progress in
                if case .stage(let stage) = progress { stages.append(String(format: "%@ at %.2f s", stage, Date().timeIntervalSince(start))) }
            }
            guard case .scoped(let report, _) = outcome else { return }
            let seconds = Date().timeIntervalSince(start)
            print(
                String(
                    format: "scope: %lld requests in %.2f s (%.2f s per million): %d findings, %d attacker sources",
                    report.requests, seconds, seconds / Double(max(report.requests, 1)) * 1e6, report.findings.count, report.attackerIPs.count))
            print("stages: " + stages.joined(separator: ", "))
            let weak = report.findings.filter { $0.confidence == .weak }.count
            print("named: \(report.attackerIPs.count) sources, \(report.attackerClients.count) clients; \(weak) weak findings")
            print(String(format: "peak RSS %.1f MB", Double(IngestBenchmark.peakRSSKiB()) / 1024))
        } catch {
            print("benchmark failed: \(error)")
            exit(1)
        }
    }
}
