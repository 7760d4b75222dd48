/// The questions a playbook may ask of the latest scope report, by name. Each answer is a list of
/// values (addresses, accounts, key fingerprints, endpoints) that a containment step can act on.
public enum ScopeQuestion: String, CaseIterable, Sendable {
    case attackerSources = "attacker-sources"
    case attackerClients = "attacker-clients"
    case compromisedAccounts = "compromised-accounts"
    case compromisedKeys = "compromised-keys"
    /// Accounts that logged in from a campaign's sources.
    case campaignLogins = "campaign-logins"
    case targetedEndpoints = "targeted-endpoints"
    /// Endpoints that gave attackers data: the routes objects were read from (as GET), which is
    /// what a disable step should close, not every path a scanner tried.
    case exploitedEndpoints = "exploited-endpoints"
    case dataAccessed = "data-accessed"
    case shadowEndpoints = "shadow-endpoints"

    /// The question as the responder reads it.
    public var wording: String {
        switch self {
        case .attackerSources: return "Which source addresses attacked?"
        case .attackerClients: return "Which clients (API consumers) attacked?"
        case .compromisedAccounts: return "Which accounts are compromised?"
        case .compromisedKeys: return "Which API keys are compromised?"
        case .campaignLogins: return "Which accounts logged in from campaign sources?"
        case .targetedEndpoints: return "Which endpoints were targeted?"
        case .exploitedEndpoints: return "Which endpoints gave attackers data?"
        case .dataAccessed: return "What data was touched?"
        case .shadowEndpoints: return "Which undocumented endpoints answered?"
        }
    }

}
