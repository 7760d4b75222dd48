import TourniquetModel

/// The containment measure a key asks for on the selected finding or subject, or why there is none.
enum ContainmentChoice {
    /// How long the gateway denies revoked tokens when the console revokes them: a day, the longest
    /// access-token lifetime in common use (the CLI's --for sets another).
    static let tokenDenyMs: Int64 = 86_400_000

    static func measure(for command: ConsoleCommand, subject: FindingSubject, nowMs: Int64) -> Result<ContainmentMeasure, ChoiceRefusal> {
        switch command {
        case .blockSource:
            guard subject.kind == .ip, let network = CIDR(subject.value) else { return .failure(.init("b blocks a source: select an address")) }
            return .success(.blockAddress(network: network, expiresAtMs: nil))
        case .blockKey:
            guard subject.kind == .key else { return .failure(.init("k blocks a key: select a compromised key (s lists them)")) }
            return .success(.blockKey(fingerprint: subject.value, consumer: nil))
        case .disableRoute:
            guard subject.kind == .route else { return .failure(.init("x disables a route: select one")) }
            let parts = subject.value.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2 else {
                return .failure(
                    .init("this finding names no method: tourniquet contain CASE disable-endpoint \"METHOD \(subject.value)\" --status 503"))
            }
            return .success(.disableEndpoint(method: parts[0], route: parts[1], status: 503, message: nil))
        case .revokeTokens:
            guard subject.kind == .account || subject.kind == .client else {
                return .failure(.init("t revokes a user's tokens: select an account or a client"))
            }
            return .success(.revokeTokens(.subject(subject.value, issuedBeforeMs: nowMs), untilMs: nowMs + tokenDenyMs))
        default:
            return .failure(.init("not a containment key"))
        }
    }

    /// The subject under the cursor on the Scope screen, in either of its lists.
    static func selectedSubject(_ state: ConsoleState, _ data: ConsoleData) -> FindingSubject? {
        let row = state.selected(on: state.screen)
        if state.scopeShowsSubjects { return ScopeScreen.subjects(data)[safe: row]?.subject }
        return FindingList.visible(state, data)[safe: row]?.subject
    }
}

struct ChoiceRefusal: Error, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
