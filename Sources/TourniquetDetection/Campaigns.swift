import TourniquetModel

/// One credential-stuffing campaign: the distributed finding on its route, the per-address
/// findings of its member sources, and the sources that got in.
public struct Campaign: Equatable, Sendable {
    /// The id of the campaign's own (route) finding.
    public var findingID: String
    public var route: String
    /// How many sources took part.
    public var members: Int
    /// The ids of the per-address findings grouped under it.
    public var memberFindings: [String]
    /// Member sources that logged into an account and used it, with the accounts.
    public var gotIn: [ScopeReportDocument.CampaignEntry.GotIn]
}

enum Campaigns {
    /// Groups per-address stuffing findings under the distributed finding whose sources they are,
    /// and marks, in both, which sources got in. Evidence gains `campaign` (the campaign's finding
    /// id) and `got_in` on members, and `members_with_findings` and `sources_got_in` on the campaign.
    static func group(_ drafts: inout [FindingDraft], takenOver: [Int64: Set<Int64>], context: DetectionContext) -> [Campaign] {
        var campaigns: [Campaign] = []
        let perAddress = drafts.indices.filter { drafts[$0].finding.detector == .credentialStuffing && drafts[$0].finding.subject.kind == .ip }
        for c in drafts.indices where drafts[c].finding.detector == .credentialStuffing && drafts[c].finding.subject.kind == .route {
            let members = drafts[c].attackerIPs
            let campaignID = drafts[c].finding.id
            var memberFindings: [String] = []
            for i in perAddress where !drafts[i].attackerIPs.isDisjoint(with: members) {
                let ip = drafts[i].attackerIPs.first!
                drafts[i].finding.evidence = drafts[i].finding.evidence.adding([
                    ("campaign", .string(campaignID)), ("got_in", .bool(!(takenOver[ip] ?? []).isEmpty)),
                ])
                memberFindings.append(drafts[i].finding.id)
            }
            let gotIn = members.filter { !(takenOver[$0] ?? []).isEmpty }.map { ip in
                ScopeReportDocument.CampaignEntry.GotIn(source: context.string(ip), accounts: takenOver[ip]!.map(context.string).sorted())
            }.sorted { $0.source < $1.source }
            drafts[c].finding.evidence = drafts[c].finding.evidence.adding([
                ("members_with_findings", .int(Int64(memberFindings.count))),
                ("sources_got_in", .array(gotIn.map { .string($0.source) })),
            ])
            campaigns.append(
                Campaign(
                    findingID: campaignID, route: drafts[c].finding.subject.value, members: members.count, memberFindings: memberFindings.sorted(),
                    gotIn: gotIn))
        }
        return campaigns.sorted { $0.findingID < $1.findingID }
    }
}
