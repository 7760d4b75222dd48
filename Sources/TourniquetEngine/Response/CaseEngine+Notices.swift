import Foundation
import TourniquetContainment
import TourniquetDetection
import TourniquetModel
import TourniquetResponse
import TourniquetStore

extension CaseEngine {
    /// What a notice says, from the latest scope report, the measures in force and the clocks.
    public static func noticeFacts(of caseFile: CaseFile, nowMs: Int64, zone: TimeZone) throws -> NoticeFacts {
        let report = try caseFile.latestScopeReport().map { try ScopeReportDocument.decode($0.json) }
        let ledger = try ledger(of: caseFile, nowMs: nowMs)
        let clocks = try notifications(of: caseFile).clocks
        let strong = Set((report?.findings ?? []).filter { $0.confidence == .strong }.map(\.detector.rawValue))
        let window = [report?.window.from, report?.window.to].compactMap { $0 }.joined(separator: " and ")
        let data = report?.dataAccessed.map { "\($0.route) (\($0.objects.count) \($0.objects.count == 1 ? "object" : "objects"))" } ?? []
        let actions = measuresInWords(ledger.inForce.map(\.measure))
        return NoticeFacts(
            title: caseFile.metadata.title, attack: strong.isEmpty ? "an attack" : strong.sorted().joined(separator: ", "),
            window: window.isEmpty ? "[the window: run scope]" : window, accountsCount: report?.accounts.compromised.count ?? 0,
            keysCount: report?.keys.compromised.count ?? 0, data: data.isEmpty ? "[not established]" : data.joined(separator: "; "),
            actions: actions.isEmpty ? "[no containment measure yet]" : actions.joined(separator: "; "),
            awareness: clocks["awareness"].map { Deadlines.format($0, in: zone) } ?? "[awareness not recorded]")
    }

    /// The measures as a notice says them: counted by kind, not one line per address.
    static func measuresInWords(_ measures: [ContainmentMeasure]) -> [String] {
        let counts = MeasureCounts(measures)
        let (addresses, keys, tokens, endpoints) = (counts.addresses, counts.keys, counts.tokens, counts.endpoints)
        func plural(_ n: Int, _ one: String, _ many: String) -> String { "\(n) \(n == 1 ? one : many)" }
        var out: [String] = []
        if addresses > 0 { out.append("blocked \(plural(addresses, "source address", "source addresses"))") }
        if keys > 0 { out.append("blocked \(plural(keys, "API key", "API keys"))") }
        if tokens > 0 { out.append("revoked the tokens of \(plural(tokens, "account or client", "accounts or clients"))") }
        if !endpoints.isEmpty {
            out.append(
                "disabled \(endpoints.prefix(5).joined(separator: ", "))" + (endpoints.count > 5 ? " and \(endpoints.count - 5) more endpoints" : ""))
        }
        return out
    }

    /// The compromised accounts, one row each.
    public static func accountRecipients(of caseFile: CaseFile) throws -> [[String]] {
        guard let latest = try caseFile.latestScopeReport() else { return [] }
        let report = try ScopeReportDocument.decode(latest.json)
        let logins = Set(report.campaigns.flatMap { $0.gotIn.flatMap(\.accounts) })
        return report.accounts.compromised.map { [$0, logins.contains($0) ? "logged in from a campaign source" : "named by scope"] }
    }

    /// The blocked and compromised keys' consumers with the contacts the gateway keeps for them.
    public static func keyRecipients(of caseFile: CaseFile, nowMs: Int64) throws -> [[String]] {
        let model = try gatewayModel(of: caseFile)
        var fingerprints: [String] = []
        for entry in try ledger(of: caseFile, nowMs: nowMs).inForce {
            if case .blockKey(let fingerprint, _) = entry.measure { fingerprints.append(fingerprint) }
        }
        if let latest = try caseFile.latestScopeReport() { fingerprints += try ScopeReportDocument.decode(latest.json).keys.compromised }
        var seen = Set<String>()
        return fingerprints.filter { seen.insert($0).inserted }.map { fingerprint in
            let credential = model?.credentials.first { $0.fingerprint == fingerprint || $0.id == fingerprint }
            let consumer = credential.flatMap { c in model?.consumers.first { $0.username == c.consumer } }
            return [
                fingerprint, consumer?.username ?? "[no consumer in the imported gateway state]", consumer?.customID ?? "",
                consumer?.contacts.joined(separator: "; ") ?? "",
            ]
        }
    }
}
