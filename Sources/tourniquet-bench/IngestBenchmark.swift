import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetSimulation

/// Times `ingest` of a generated log into a fresh case, in process, and prints the rates.
enum IngestBenchmark {
    static func run(lines: Int, directory: String?, keep: Bool) {
        let dir = directory ?? NSTemporaryDirectory() + "tourniquet-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = dir + "/access-\(lines).log"
        let casePath = dir + "/bench-\(Date().timeIntervalSince1970).case"
        do {
            if !FileManager.default.fileExists(atPath: log) {
                let bytes = try SyntheticAccessLog.write(lines: lines, to: LocalFiles().create(log, overwrite: true))
                print("generated \(lines) lines, \(bytes / 1_000_000) MB: \(log)")
            }
            let size = (try FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber)?.int64Value ?? 0
            let rssBefore = peakRSSKiB()
            let start = Date()
            var engine: CaseEngine? = try CaseEngine.createCase(
                at: casePath, title: "benchmark", severity: .low, detectedAtMs: nil, isDrill: true,
                context: CommandContext(actor: "bench", clock: .live))
            var lastProgress = 0.0
            var timeline: [String] = []
            let executed = try engine!.execute(.ingest(path: log, format: nil, openAPISpec: nil, rationale: "")) { progress in
                switch progress {
                case .reading: lastProgress = Date().timeIntervalSince(start)
                case .phase(let name, let at): timeline.append(String(format: "%@ %.2f s", name, at))
                case .stage: break
                }
            }
            guard case .ingested(let outcome) = executed else { return }
            let committed = Date().timeIntervalSince(start)
            engine = nil  // closing checkpoints the WAL into the case file, as the CLI does on exit
            let seconds = Date().timeIntervalSince(start)
            guard case .imported(let record, _) = outcome else {
                print("unexpected duplicate")
                exit(1)
            }
            var caseBytes: Int64 = 0
            for suffix in ["", "-wal"] {
                caseBytes += (try? FileManager.default.attributesOfItem(atPath: casePath + suffix)[.size] as? NSNumber)?.int64Value ?? 0
            }
            print(
                String(
                    format: "ingest: %d lines (%.0f MB) in %.2f s (last batch ~%.2f s, committed %.2f s, then closed): %.0f lines/s, %.1f MB/s",
                    record.parsed, Double(size) / 1e6, seconds, lastProgress, committed, Double(record.parsed) / seconds, Double(size) / 1e6 / seconds
                ))
            print("phases: " + timeline.joined(separator: ", "))
            print(
                String(
                    format: "peak RSS %.1f MB (%.1f MB before the ingest); case %.1f MB, %.1f bytes/request; malformed %d",
                    Double(peakRSSKiB()) / 1024, Double(rssBefore) / 1024, Double(caseBytes) / 1e6,
                    Double(caseBytes) / Double(max(record.parsed, 1)), record.malformed))
            if !keep {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: casePath + suffix) }
            }
        } catch {
            print("benchmark failed: \(error)")
            exit(1)
        }
    }

    static func peakRSSKiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss
    }
}
