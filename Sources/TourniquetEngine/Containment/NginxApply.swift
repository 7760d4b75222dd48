import Foundation
import TourniquetContainment
import TourniquetModel
import TourniquetStore

/// One apply to nginx: render both files from the measures in force, record the intent, write the
/// files atomically, test and reload, and check that nginx serves them. Any failure puts the
/// previous files back, so the running configuration and the files on disk stay the same.
struct NginxApply {
    let engine: CaseEngine
    let target: NginxTarget
    let reason: String

    private var caseFile: CaseWriter { engine.caseFile }
    private var httpPath: String { (target.confDir as NSString).appendingPathComponent(NginxArtifacts.httpFile) }
    private var serverPath: String { (target.confDir as NSString).appendingPathComponent(NginxArtifacts.serverFile) }

    func run() throws -> ApplyReport {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.confDir, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RefusedRequest("\(target.confDir) is not a directory: give the nginx configuration directory with --conf-dir")
        }
        let ledger = try CaseEngine.ledger(of: caseFile, nowMs: engine.context.clock.nowMs())
        let previous = (
            http: try? String(contentsOfFile: httpPath, encoding: .utf8), server: try? String(contentsOfFile: serverPath, encoding: .utf8)
        )
        let artifacts = try NginxArtifacts(
            caseID: caseFile.metadata.id, entries: ledger.inForce, keyValues: try keyValues(previousHTTP: previous.http), keyHeader: target.keyHeader)
        let skippedIDs = Set(artifacts.skipped.map(\.id))
        let puts = ledger.inForce.filter { !skippedIDs.contains($0.id) }

        let intent = try record(
            .containmentApplying,
            [
                "target": GatewayTarget.nginx(target).details,
                "gateway": "nginx", "conf_dir": .string(target.confDir), "reload": .bool(target.reload),
                "puts": .array(puts.map { .int($0.id) }), "removes": .array(ledger.toRemove.map { .int($0.id) }),
                "artifacts": .fields([
                    NginxArtifacts.httpFile: .string(artifacts.httpForTimeline), NginxArtifacts.serverFile: .string(artifacts.server),
                ]),
            ])
        var report = ApplyReport(
            gateway: "nginx", intent: intent, outcome: intent, verification: nil, puts: puts, removes: ledger.toRemove,
            files: [httpPath, serverPath], problem: nil, checks: [], skipped: artifacts.skipped)
        func fail(_ phase: String, _ problem: String) throws -> ApplyReport {
            restore(previous)
            report.problem = problem
            report.outcome = try record(.containmentFailed, ["apply": .int(intent.id), "phase": .string(phase), "error": .string(problem)])
            return report
        }
        do {
            try AtomicFile.write(artifacts.http, to: httpPath, mode: 0o600)
            try AtomicFile.write(artifacts.server, to: serverPath, mode: 0o644)
        } catch {
            return try fail("write", "cannot write the managed files: \(error)")
        }
        if target.reload {
            let test = try GatewayProcess.run(target.command + ["-t"])
            guard test.succeeded else { return try fail("test", "nginx -t refused the configuration: " + Self.tail(test.output)) }
            let reload = try GatewayProcess.run(target.command + ["-s", "reload"])
            guard reload.succeeded else { return try fail("reload", "nginx -s reload failed: " + Self.tail(reload.output)) }
        }
        report.outcome = try record(.containmentApplied, ["apply": .int(intent.id), "files": .array(report.files.map { .string($0) })])
        guard target.reload else { return report }

        let (checks, problem) = try verify(artifacts, ledger: ledger)
        report.checks = checks
        if let problem {
            report.problem = problem
            report.verification = try record(
                .containmentFailed,
                ["apply": .int(intent.id), "phase": "verify", "error": .string(problem), "checks": .array(checks.map { .string($0) })])
        } else {
            report.verification = try record(.containmentVerified, ["apply": .int(intent.id), "checks": .array(checks.map { .string($0) })])
        }
        return report
    }

    /// Key values by fingerprint: those the previous apply wrote, and those in the file given now.
    private func keyValues(previousHTTP: String?) throws -> [String: String] {
        var values = NginxArtifacts.keyValues(inHTTPFile: previousHTTP ?? "")
        guard let path = target.keyValuesPath else { return values }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RefusedRequest("cannot read the key values in \(path)")
        }
        for line in text.split(whereSeparator: \.isNewline) {
            let value = line.trimmingCharacters(in: .whitespaces)
            if !value.isEmpty { values[try caseFile.fingerprint(ofSecret: value)] = value }
        }
        return values
    }

    /// nginx's view of its configuration must hold both files as written, and the probes of the
    /// protected server must answer as the measures say.
    private func verify(_ artifacts: NginxArtifacts, ledger: ContainmentLedger) throws -> (checks: [String], problem: String?) {
        let dump = try GatewayProcess.run(target.command + ["-T"])
        guard dump.succeeded else { return ([], "nginx -T failed: " + Self.tail(dump.output)) }
        var checks: [String] = []
        for (name, text) in [(NginxArtifacts.httpFile, artifacts.http), (NginxArtifacts.serverFile, artifacts.server)] {
            guard dump.output.contains(text) else {
                return (checks, "nginx's configuration does not include \(name): add the include line the README gives")
            }
            checks.append("nginx -T includes \(name) as written")
        }
        guard let base = target.probeURL else { return (checks, nil) }
        for entry in ledger.inForce {
            guard case .disableEndpoint(let method, let route, let status, _) = entry.measure else { continue }
            let path = NginxApply.concretePath(route)
            let got = HTTPProbe.status(method: method, url: base + path, expecting: status)
            guard got == status else { return (checks, "\(method) \(path) answered \(got.map(String.init) ?? "nothing"), not \(status)") }
            checks.append("\(method) \(path) answers \(status)")
        }
        return (checks, nil)
    }

    private func restore(_ previous: (http: String?, server: String?)) {
        for (path, text) in [(httpPath, previous.http), (serverPath, previous.server)] {
            if let text { try? AtomicFile.write(text, to: path, mode: path == httpPath ? 0o600 : 0o644) } else { unlink(path) }
        }
    }

    private func record(_ kind: ActionKind, _ details: [String: JSONValue]) throws -> Action {
        try engine.recordApplyStep(kind, gateway: "nginx", details, reason: reason)
    }

    /// A path the route template matches, for a probe: each `{parameter}` becomes `1`.
    static func concretePath(_ route: String) -> String {
        var out = ""
        var inParameter = false
        for c in route {
            if c == "{" {
                inParameter = true
                out += "1"
            } else if c == "}" {
                inParameter = false
            } else if !inParameter {
                out.append(c)
            }
        }
        return out
    }

    /// The last lines of a tool's output: nginx puts the reason at the end.
    static func tail(_ output: String) -> String {
        output.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
    }
}
