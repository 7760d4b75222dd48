import Foundation
import TourniquetEngine
import TourniquetModel
import TourniquetSimulation
import TourniquetStore

// Benchmarks for Tourniquet, run as whole processes: `swift run -c release tourniquet-bench <name> …`.
// Each generates its own data and prints rates. Tests also use `actions` as a crash and
// concurrency driver, because it reports every committed action on its own line as it happens.

func usage() -> Never {
    FileHandle.standardError.write(
        Data(
            """
            usage: tourniquet-bench actions CASE --count N [--label TEXT]
              records N notes, one transaction each, printing "committed <id>" after each commit
            usage: tourniquet-bench ingest [--lines N] [--dir DIR] [--keep]
              writes an N-line nginx combined API log (default 1,000,000) and ingests it into a fresh case
            usage: tourniquet-bench scope [--lines N] [--dir DIR] [--benign]
              times all detectors over a case of N generated requests (built once and kept in DIR);
              --benign: a day without attacks, and says how many it named (it should name none)
            usage: tourniquet-bench console CASE [--keys N]
              times the console's first screen and its redraw per navigation key on an existing case
            usage: tourniquet-bench generate FILE [--lines N]
              only writes the log, for timing the CLI as a whole process

            """.utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first else { usage() }

func option(_ flag: String) -> String? {
    guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

switch name {
case "actions":
    guard arguments.count >= 2, let count = Int(option("--count") ?? "") else { usage() }
    let label = option("--label") ?? "bench"
    setvbuf(stdout, nil, _IOLBF, 0)
    do {
        let engine = try CaseEngine.open(path: arguments[1], context: CommandContext(actor: label, clock: .live))
        let start = Date()
        for i in 1...max(count, 1) {
            guard case .recorded(let action) = try engine.execute(.note(text: "\(label) note \(i)", corrects: nil)) else { continue }
            print("committed \(action.id)")
        }
        let seconds = Date().timeIntervalSince(start)
        FileHandle.standardError.write(Data(String(format: "%d actions in %.2f s: %.0f actions/s\n", count, seconds, Double(count) / seconds).utf8))
    } catch {
        FileHandle.standardError.write(Data("tourniquet-bench: \(error)\n".utf8))
        exit(1)
    }
case "ingest":
    IngestBenchmark.run(lines: Int(option("--lines") ?? "") ?? 1_000_000, directory: option("--dir"), keep: arguments.contains("--keep"))
case "scope":
    ScopeBenchmark.run(lines: Int(option("--lines") ?? "") ?? 1_000_000, directory: option("--dir"), benign: arguments.contains("--benign"))
case "console":
    guard arguments.count >= 2 else { usage() }
    ConsoleBenchmark.run(casePath: arguments[1], keys: Int(option("--keys") ?? "") ?? 2000)
case "generate":
    guard arguments.count >= 2 else { usage() }
    let bytes = try SyntheticAccessLog.write(lines: Int(option("--lines") ?? "") ?? 1_000_000, to: LocalFiles().create(arguments[1], overwrite: true))
    print("wrote \(bytes) bytes to \(arguments[1])")
default:
    usage()
}
