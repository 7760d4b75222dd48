import Foundation
import TourniquetCore
import TourniquetEngine

/// Times all detectors over a case built from a generated log (the ingest is not timed).
enum ScopeBenchmark {
    static func run(lines: Int, directory: String?) {
        let dir = directory ?? NSTemporaryDirectory() + "tourniquet-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = dir + "/access-\(lines).log"
        let casePath = dir + "/scope-\(lines).case"
        do {
            if !FileManager.default.fileExists(atPath: log) { _ = try SyntheticAccessLog.write(lines: lines, to: log) }
            if !FileManager.default.fileExists(atPath: casePath) {
                let engine = try CaseEngine.createCase(at: casePath, title: "scope benchmark", severity: .low, detectedAtMs: nil, isDrill: true,
                                                       context: CommandContext(actor: "bench", clock: .live))
                _ = try engine.ingest(path: log, options: IngestOptions())
            }
            let engine = try CaseEngine.open(path: casePath, context: CommandContext(actor: "bench", clock: .live))
            var stages: [String] = []
            let start = Date()
            let (report, _) = try engine.runScope(ScopeOptions()) { stages.append(String(format: "%@ at %.2f s", $0, Date().timeIntervalSince(start))) }
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "scope: %lld requests in %.2f s (%.2f s per million): %d findings, %d attacker sources",
                         report.requests, seconds, seconds / Double(max(report.requests, 1)) * 1e6, report.findings.count, report.attackerIPs.count))
            print("stages: " + stages.joined(separator: ", "))
            print(String(format: "peak RSS %.1f MB", Double(IngestBenchmark.peakRSSKiB()) / 1024))
        } catch {
            print("benchmark failed: \(error)")
            exit(1)
        }
    }
}
