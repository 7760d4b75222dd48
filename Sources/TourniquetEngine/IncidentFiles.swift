import Foundation
import TourniquetModel
import TourniquetSimulation

/// Writes a simulated incident to a folder: the log, the OpenAPI spec, the decK file and truth.json.
public enum IncidentFiles {
    public struct Written: Sendable {
        public var log: String
        public var openAPI: String
        public var deck: String
        public var truth: String
        public var incident: SimulatedIncident
        public var lines: Int
    }

    /// The files `write` would write for `spec` in `directory`: the log, the spec, the decK file and truth.json.
    public static func paths(for spec: SimulationSpec, in directory: String) -> [String] {
        let logName = spec.format == "combined" ? "access.log" : "access.json"
        return [logName, "openapi.yaml", "kong.yaml", "truth.json"].map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Throws for the first of `paths` that exists (a dangling link counts), so nothing is written
    /// over a responder's files unless they asked for it.
    public static func refuseExisting(_ paths: [String]) throws {
        for path in paths {
            var info = stat()
            if lstat(path, &info) == 0 { throw RefusedOverwrite(path: path) }
        }
    }

    /// Simulates `spec` into `directory`. Unless `overwrite`, an existing file there is refused
    /// before anything is written.
    public static func write(_ spec: SimulationSpec, to directory: String, overwrite: Bool = false) throws -> Written {
        let targets = paths(for: spec, in: directory)
        if !overwrite { try refuseExisting(targets) }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw RefusedRequest("\(DisplayText.sanitize(directory).text): cannot create this folder")
        }
        let logPath = targets[0]
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: logPath) else { throw RefusedRequest("\(DisplayText.sanitize(logPath).text): cannot be written") }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var lines = 0
        let incident = try IncidentSimulator.run(spec) { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            lines += 1
            if buffer.count >= 1 << 20 {
                handle.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(Data(buffer))
        try handle.close()
        let texts = [incident.openAPIYAML, incident.deckYAML, incident.truth.jsonText()]
        for (path, text) in zip(targets.dropFirst(), texts) {
            // Checked above; this also refuses a file that appeared since.
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: overwrite ? [] : [.withoutOverwriting]) } catch {
                throw RefusedRequest("\(DisplayText.sanitize(path).text): cannot be written")
            }
        }
        return Written(log: logPath, openAPI: targets[1], deck: targets[2], truth: targets[3], incident: incident, lines: lines)
    }
}

/// A file that would have been overwritten; nothing was written.
public struct RefusedOverwrite: ResponderFacingError, Equatable {
    public var path: String
    public var exitCode: Int32 { 1 }
    public var description: String {
        "\(DisplayText.sanitize(path).text): already exists; nothing was written (give --force to overwrite the simulated files)"
    }
}
