import TourniquetModel
import XCTest

@testable import TourniquetSimulation

/// The simulation writes only through the output it is handed: here, memory.
final class IncidentFilesTests: XCTestCase {
    final class MemoryOutput: SimulationOutput {
        final class File: SimulationFile {
            let output: MemoryOutput
            let path: String
            init(output: MemoryOutput, path: String) { (self.output, self.path) = (output, path) }
            func write(_ bytes: [UInt8]) throws { output.files[path, default: []] += bytes }
            func close() throws { output.closed.insert(path) }
        }
        var files: [String: [UInt8]] = [:]
        var directories: Set<String> = []
        var closed: Set<String> = []

        func exists(_ path: String) -> Bool { files[path] != nil || directories.contains(path) }
        func makeDirectory(_ path: String) throws { directories.insert(path) }
        func create(_ path: String, overwrite: Bool) throws -> any SimulationFile {
            if files[path] != nil && !overwrite { throw RefusedOverwrite(path: path) }
            files[path] = []
            return File(output: self, path: path)
        }
    }

    func testAnIncidentIsWrittenToTheOutputItIsHanded() throws {
        let output = MemoryOutput()
        let spec = SimulationSpec(seed: 3, lines: 2_000)
        let written = try IncidentFiles.write(spec, to: "drill", output: output)
        XCTAssertEqual(Set(output.files.keys), ["drill/access.log", "drill/openapi.yaml", "drill/kong.yaml", "drill/truth.json"])
        XCTAssertEqual(output.closed, Set(output.files.keys), "every file is closed")
        let log = try XCTUnwrap(output.files["drill/access.log"])
        XCTAssertEqual(log.filter { $0 == 0x0A }.count, written.lines)
        XCTAssertGreaterThan(written.lines, 1_500, "about the lines asked for")
        XCTAssertEqual(String(decoding: output.files["drill/truth.json"]!, as: UTF8.self), written.incident.truth.jsonText())

        // Again without overwrite: refused before anything is written.
        let before = output.files
        XCTAssertThrowsError(try IncidentFiles.write(spec, to: "drill", output: output)) { error in
            XCTAssertEqual(error as? RefusedOverwrite, RefusedOverwrite(path: "drill/access.log"))
        }
        XCTAssertEqual(output.files, before)
        // With it, the same seed writes the same bytes.
        _ = try IncidentFiles.write(spec, to: "drill", output: output, overwrite: true)
        XCTAssertEqual(output.files, before)
    }

    func testTheBenchmarkLogIsRepeatableCombinedLines() throws {
        let output = MemoryOutput()
        let bytes = try SyntheticAccessLog.write(lines: 500, to: output.create("a.log", overwrite: false))
        _ = try SyntheticAccessLog.write(lines: 500, to: output.create("b.log", overwrite: false))
        let log = try XCTUnwrap(output.files["a.log"])
        XCTAssertEqual(Int64(log.count), bytes)
        XCTAssertEqual(log, output.files["b.log"], "the same lines every time")
        let lines = String(decoding: log, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, 500)
        XCTAssertTrue(lines.allSatisfy { $0.contains("] \"") && $0.contains(" HTTP/1.1\" ") }, "combined log lines")
    }
}
