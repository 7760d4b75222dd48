import Foundation
import TourniquetCore
import TourniquetEngine

/// Times `ingest` of a generated log into a fresh case, in process, and prints the rates.
enum IngestBenchmark {
    static func run(lines: Int, directory: String?, keep: Bool) {
        let dir = directory ?? NSTemporaryDirectory() + "tourniquet-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let log = dir + "/access-\(lines).log"
        let casePath = dir + "/bench-\(Date().timeIntervalSince1970).case"
        do {
            if !FileManager.default.fileExists(atPath: log) {
                let bytes = try SyntheticAccessLog.write(lines: lines, to: log)
                print("generated \(lines) lines, \(bytes / 1_000_000) MB: \(log)")
            }
            let size = (try FileManager.default.attributesOfItem(atPath: log)[.size] as? NSNumber)?.int64Value ?? 0
            let rssBefore = peakRSSKiB()
            let start = Date()
            let engine = try CaseEngine.createCase(at: casePath, title: "benchmark", severity: .low, detectedAtMs: nil, isDrill: true,
                                                   context: CommandContext(actor: "bench", clock: .live))
            let outcome = try engine.ingest(path: log, options: IngestOptions())
            let seconds = Date().timeIntervalSince(start)
            guard case .imported(let record, _) = outcome else { print("unexpected duplicate"); exit(1) }
            var caseBytes: Int64 = 0
            for suffix in ["", "-wal"] {
                caseBytes += (try? FileManager.default.attributesOfItem(atPath: casePath + suffix)[.size] as? NSNumber)?.int64Value ?? 0
            }
            print(String(format: "ingest: %d lines (%.0f MB) in %.2f s: %.0f lines/s, %.1f MB/s", record.parsed, Double(size) / 1e6, seconds,
                         Double(record.parsed) / seconds, Double(size) / 1e6 / seconds))
            print(String(format: "peak RSS %.1f MB (%.1f MB before the ingest); case %.1f MB, %.1f bytes/request; malformed %d",
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
