import TourniquetDetection
import TourniquetModel

extension ScopeQuestion {
    /// The values the report gives, in its order, without repeats.
    public func answer(from report: ScopeReportDocument) -> [String] {
        var values: [String]
        switch self {
        case .attackerSources: values = report.attackers.ips
        case .attackerClients: values = report.attackers.clients
        case .compromisedAccounts: values = report.accounts.compromised
        case .compromisedKeys: values = report.keys.compromised
        case .campaignLogins: values = report.campaigns.flatMap { $0.gotIn.flatMap(\.accounts) }
        case .targetedEndpoints: values = report.targetedEndpoints.map { "\($0.method) \($0.route)" }
        case .exploitedEndpoints: values = report.dataAccessed.map { "GET \($0.route)" }
        case .dataAccessed: values = report.dataAccessed.map { "\($0.route): \($0.objects.count) objects, \($0.bytes) bytes" }
        case .shadowEndpoints: values = report.shadowEndpoints.map { "\($0.method) \($0.path)" }
        }
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}
