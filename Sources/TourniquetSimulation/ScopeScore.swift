import TourniquetDetection

/// How a scope report measures up against a simulated incident's ground truth: what it missed,
/// what it named wrongly, and the rates drills and the accuracy suite judge it by.
public struct ScopeScore: Equatable, Sendable {
    public var missedSources: [String]
    public var extraSources: [String]
    /// Attacker sources found over attacker sources in the truth; nil when the truth names none.
    public var sourceRecall: Double?
    /// Attacker sources found over sources named; nil when scope named none.
    public var sourcePrecision: Double?
    public var missedClients: [String]
    public var extraClients: [String]
    /// Attacker clients found over attacker clients in the truth; nil when the truth names none.
    public var clientRecall: Double?
    /// Attacker clients found over clients named; nil when scope named none.
    public var clientPrecision: Double?
    public var missedAccounts: [String]
    public var wrongAccounts: [String]
    public var missedKeys: [String]
    public var wrongKeys: [String]
    /// Per templated route the attackers read: the share of the objects they got that scope names.
    public var objectRecall: [String: Double]
    /// Decoy sources and clients (odd but innocent) that scope flagged anyway.
    public var flaggedDecoys: [String]
    public var missedShadowEndpoints: [String]

    /// Scores `report` against `truth`. `fingerprint` turns a leaked key's secret into the
    /// case's fingerprint, since reports name keys only by fingerprint.
    public init(report: ScopeReport, truth: GroundTruth, fingerprint: (String) -> String) {
        let flagged = Set(report.attackerIPs)
        let expected = Set(truth.attackers.ips)
        let hits = flagged.intersection(expected).count
        missedSources = expected.subtracting(flagged).sorted()
        extraSources = flagged.subtracting(expected).sorted()
        sourceRecall = expected.isEmpty ? nil : Double(hits) / Double(expected.count)
        sourcePrecision = flagged.isEmpty ? nil : Double(hits) / Double(flagged.count)
        let clients = Set(report.attackerClients)
        let trueClients = Set(truth.attackers.clients)
        missedClients = trueClients.subtracting(clients).sorted()
        extraClients = clients.subtracting(trueClients).sorted()
        clientRecall = trueClients.isEmpty ? nil : Double(trueClients.intersection(clients).count) / Double(trueClients.count)
        clientPrecision = clients.isEmpty ? nil : Double(trueClients.intersection(clients).count) / Double(clients.count)
        let accounts = Set(report.compromisedAccounts)
        let trueAccounts = Set(truth.accounts.compromised)
        missedAccounts = trueAccounts.subtracting(accounts).sorted()
        wrongAccounts = accounts.subtracting(trueAccounts).sorted()
        let keys = Set(report.compromisedKeys)
        let trueKeys = Set(truth.keys.compromised.map { $0.secret.map(fingerprint) ?? $0.id })
        missedKeys = trueKeys.subtracting(keys).sorted()
        wrongKeys = keys.subtracting(trueKeys).sorted()
        var taken: [String: Set<String>] = [:]
        for access in truth.objects { taken[access.route, default: []].formUnion(access.ids) }
        objectRecall = taken.mapValues { _ in 0 }
        for (route, ids) in taken {
            let found = Set(report.dataAccessed.filter { $0.route == route }.flatMap(\.objects))
            objectRecall[route] = Double(ids.intersection(found).count) / Double(max(ids.count, 1))
        }
        let subjects = Set(report.findings.map(\.subject.value))
        flaggedDecoys =
            truth.decoys.ips.filter { flagged.contains($0) || subjects.contains($0) }
            + truth.decoys.clients.filter { report.attackerClients.contains($0) || subjects.contains($0) }
        let shadow = Set(report.shadowEndpoints.map { "\($0.method) \($0.path)" })
        missedShadowEndpoints = truth.shadowEndpoints.map { "\($0.method) \($0.path)" }.filter { !shadow.contains($0) }
    }
}
