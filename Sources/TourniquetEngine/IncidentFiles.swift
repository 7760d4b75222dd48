import Foundation
import TourniquetCore

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

    public static func write(_ spec: SimulationSpec, to directory: String) throws -> Written {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let logName = spec.format == "combined" ? "access.log" : "access.json"
        let logPath = (directory as NSString).appendingPathComponent(logName)
        FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: logPath) else { throw CocoaError(.fileWriteNoPermission) }
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
        let files = [("openapi.yaml", incident.openAPIYAML), ("kong.yaml", incident.deckYAML), ("truth.json", incident.truth.jsonText())]
        var paths: [String] = []
        for (name, text) in files {
            let path = (directory as NSString).appendingPathComponent(name)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        return Written(log: logPath, openAPI: paths[0], deck: paths[1], truth: paths[2], incident: incident, lines: lines)
    }
}
