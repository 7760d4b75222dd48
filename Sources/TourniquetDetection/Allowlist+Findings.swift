import TourniquetModel

extension Allowlist {
    /// Drops findings about allowlisted subjects and allowlisted sources from the rest.
    func apply(to drafts: [FindingDraft], context: DetectionContext) -> [FindingDraft] {
        guard !entries.isEmpty else { return drafts }
        return drafts.compactMap { draft in
            let subject = draft.finding.subject
            if subject.kind == .ip && allows(ip: subject.value) { return nil }
            if (subject.kind == .client || subject.kind == .account) && allows(client: subject.value) { return nil }
            var kept = draft
            kept.attackerIPs = draft.attackerIPs.filter { !allows(ip: context.string($0)) }
            kept.attackerClients = draft.attackerClients.filter { !allows(client: context.string($0)) }
            return kept
        }
    }
}
