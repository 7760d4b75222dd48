import TourniquetModel

/// Writes a simulated incident to a folder: the log, the OpenAPI spec, the decK file and truth.json.
/// The files go to the `SimulationOutput` it is handed.
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
        let prefix = directory.isEmpty ? "" : directory.hasSuffix("/") ? directory : directory + "/"
        return [logName, "openapi.yaml", "kong.yaml", "truth.json"].map { prefix + $0 }
    }

    /// Throws for the first of `paths` that exists (a dangling link counts), so nothing is written
    /// over a responder's files unless they asked for it.
    public static func refuseExisting(_ paths: [String], in output: some SimulationOutput) throws {
        for path in paths where output.exists(path) { throw RefusedOverwrite(path: path) }
    }

    /// Simulates `spec` into `directory`. Unless `overwrite`, an existing file there is refused
    /// before anything is written.
    public static func write(
        _ spec: SimulationSpec, to directory: String, output: some SimulationOutput,
        overwrite: Bool = false
    ) throws -> Written {
        let targets = paths(for: spec, in: directory)
        if !overwrite { try refuseExisting(targets, in: output) }
        do { try output.makeDirectory(directory) } catch {
            throw RefusedRequest("\(DisplayText.sanitize(directory).text): cannot create this folder")
        }
        let logPath = targets[0]
        let log = try created(logPath, in: output, overwrite: overwrite)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var lines = 0
        var failure: Error?
        let incident = try IncidentSimulator.run(spec) { line in
            buffer.append(contentsOf: line.utf8)
            buffer.append(0x0A)
            lines += 1
            if buffer.count >= 1 << 20, failure == nil {
                do { try log.write(buffer) } catch { failure = error }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        do {
            if let failure { throw failure }
            try log.write(buffer)
            try log.close()
        } catch {
            throw RefusedRequest("\(DisplayText.sanitize(logPath).text): cannot be written")
        }
        let texts = [incident.openAPIYAML, incident.deckYAML, incident.truth.jsonText()]
        for (path, text) in zip(targets.dropFirst(), texts) {
            // Checked above; creating without overwrite also refuses a file that appeared since.
            let file = try created(path, in: output, overwrite: overwrite)
            do {
                try file.write(Array(text.utf8))
                try file.close()
            } catch {
                throw RefusedRequest("\(DisplayText.sanitize(path).text): cannot be written")
            }
        }
        return Written(log: logPath, openAPI: targets[1], deck: targets[2], truth: targets[3], incident: incident, lines: lines)
    }

    private static func created(_ path: String, in output: some SimulationOutput, overwrite: Bool) throws -> any SimulationFile {
        do { return try output.create(path, overwrite: overwrite) } catch let refused as RefusedOverwrite { throw refused } catch {
            throw RefusedRequest("\(DisplayText.sanitize(path).text): cannot be written")
        }
    }
}

/// A file that would have been overwritten; nothing was written.
public struct RefusedOverwrite: ResponderFacingError, Equatable {
    public var path: String
    public init(path: String) { self.path = path }
    public var exitCode: Int32 { 1 }
    public var description: String {
        "\(DisplayText.sanitize(path).text): already exists; nothing was written (give --force to overwrite the simulated files)"
    }
}
