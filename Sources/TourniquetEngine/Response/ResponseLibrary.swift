import Foundation
import TourniquetDetection
import TourniquetModel
import TourniquetResponse
import Yams

/// A playbook as read from its file.
public struct LoadedPlaybook: Sendable {
    public var playbook: Playbook
    public var path: String
    /// SHA-256 of the file, recorded when the playbook starts so the timeline names the exact text.
    public var digest: String
}

/// The playbooks and notification regimes a run can use: the shipped ones (`playbooks/` and
/// `playbooks/notifications/`) and those of each `--playbooks DIR`, later directories overriding
/// earlier ones by id. Files that do not read are kept as problems, never dropped silently.
public struct ResponseLibrary: Sendable {
    public private(set) var playbooks: [LoadedPlaybook] = []
    public private(set) var regimes: [NotificationRegime] = []
    public private(set) var problems: [PlaybookProblem] = []
    public private(set) var directories: [String] = []

    /// The shipped playbooks: `TOURNIQUET_PLAYBOOKS` when set, else the `playbooks` directory of the
    /// checkout or installation the executable runs from (`share/tourniquet/playbooks` installed).
    public static func shippedDirectory() -> String? {
        if let given = ProcessInfo.processInfo.environment["TOURNIQUET_PLAYBOOKS"], !given.isEmpty { return given }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in ["playbooks", "share/tourniquet/playbooks"] {
                let path = dir.appendingPathComponent(candidate).path
                if FileManager.default.fileExists(atPath: path + "/api-breach.yaml") { return path }
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }

    public static func load(extra: [String] = []) -> ResponseLibrary {
        var library = ResponseLibrary()
        library.directories = (shippedDirectory().map { [$0] } ?? []) + extra
        for dir in library.directories {
            for path in yamlFiles(in: (dir as NSString).appendingPathComponent("notifications")) {
                if let regime = library.readRegime(path) {
                    library.regimes.removeAll { $0.id == regime.id }
                    library.regimes.append(regime)
                }
            }
        }
        let known = Set(library.regimes.map(\.id))
        for dir in library.directories {
            for path in yamlFiles(in: dir) {
                if let loaded = library.readPlaybook(path, knownObligations: known) {
                    library.playbooks.removeAll { $0.playbook.id == loaded.playbook.id }
                    library.playbooks.append(loaded)
                }
            }
        }
        return library
    }

    /// Checks files as `playbook check` does: a notification regime when it says
    /// `tourniquet_notification`, a playbook otherwise (its notify steps checked against the
    /// regimes this library knows).
    public mutating func check(_ paths: [String]) -> [PlaybookProblem] {
        let before = problems.count
        let known = Set(regimes.map(\.id))
        for path in paths {
            guard let text = try? BoundedYAML.readText(path: path) else {
                problems.append(PlaybookProblem(path: path, line: 1, column: 1, message: "cannot read the file"))
                continue
            }
            if text.contains("tourniquet_notification:") {
                _ = readRegime(path)
            } else {
                _ = readPlaybook(path, knownObligations: known)
            }
        }
        return Array(problems[before...])
    }

    public func playbook(_ idOrPath: String) throws -> LoadedPlaybook {
        if let found = playbooks.first(where: { $0.playbook.id == idOrPath }) { return found }
        if FileManager.default.fileExists(atPath: idOrPath) {
            var copy = self
            if let loaded = copy.readPlaybook(idOrPath, knownObligations: Set(regimes.map(\.id))) { return loaded }
            throw RefusedRequest(copy.problems.suffix(from: problems.count).map(\.description).joined(separator: "\n"))
        }
        throw RefusedRequest(
            "no playbook '\(DisplayText.escaped(idOrPath))': \(playbooks.map(\.playbook.id).sorted().joined(separator: ", "))"
                + (directories.isEmpty ? " (the shipped playbooks were not found: give --playbooks DIR or set TOURNIQUET_PLAYBOOKS)" : ""))
    }

    public func regime(_ id: String) throws -> NotificationRegime {
        guard let regime = regimes.first(where: { $0.id == id }) else {
            throw RefusedRequest("no notification regime '\(DisplayText.escaped(id))': \(regimes.map(\.id).sorted().joined(separator: ", "))")
        }
        return regime
    }

    /// How many findings of the report (dismissed ones aside) each playbook's detectors made.
    public func fits(_ report: ScopeReportDocument?) -> [String: Int] {
        var counts: [DetectorID: Int] = [:]
        for finding in report?.findings ?? [] where finding.state != .dismissed { counts[finding.detector, default: 0] += 1 }
        return Dictionary(
            playbooks.map { ($0.playbook.id, $0.playbook.detectors.reduce(0) { $0 + (counts[$1] ?? 0) }) }, uniquingKeysWith: { a, _ in a })
    }

    // MARK: - Reading

    private mutating func readPlaybook(_ path: String, knownObligations: Set<String>) -> LoadedPlaybook? {
        guard let (text, root) = compose(path) else { return nil }
        var reader = PlaybookReader(path: path, knownObligations: knownObligations)
        let playbook = reader.read(root)
        problems += reader.problems
        return playbook.map { LoadedPlaybook(playbook: $0, path: path, digest: ContentDigest.sha256Hex(Array(text.utf8))) }
    }

    private mutating func readRegime(_ path: String) -> NotificationRegime? {
        guard let (_, root) = compose(path) else { return nil }
        var reader = RegimeReader(path: path)
        let regime = reader.read(root)
        problems += reader.problems
        return regime
    }

    /// The file's text and tree; a file that is not YAML becomes a problem at the place its parser names.
    private mutating func compose(_ path: String) -> (String, Node)? {
        do {
            let text = try BoundedYAML.readText(path: path, limits: ResponseLibrary.limits)
            guard let root = try BoundedYAML.compose(text, path: path, limits: ResponseLibrary.limits) else {
                problems.append(PlaybookProblem(path: path, line: 1, column: 1, message: "the file is empty: expected a playbook"))
                return nil
            }
            return (text, root)
        } catch let error as YAMLDocumentError {
            let (line, column) = ResponseLibrary.place(in: error.reason)
            problems.append(PlaybookProblem(path: path, line: line, column: column, message: error.reason))
            return nil
        } catch {
            problems.append(PlaybookProblem(path: path, line: 1, column: 1, message: "\(error)"))
            return nil
        }
    }

    /// Playbooks are small: a megabyte and a few thousand nodes are far more than any needs.
    static let limits = BoundedYAML.Limits(maxBytes: 1 << 20, maxDepth: 32, maxAliases: 100, maxNodes: 100_000)

    /// "… at line 3, column 7" → (3, 7).
    static func place(in reason: String) -> (Int, Int) {
        guard let range = reason.range(of: "at line ") else { return (1, 1) }
        let numbers = reason[range.upperBound...].split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
        return (numbers.first ?? 1, numbers.count > 1 ? numbers[1] : 1)
    }

    static func yamlFiles(in dir: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (dir as NSString).appendingPathComponent($0) }
    }
}
