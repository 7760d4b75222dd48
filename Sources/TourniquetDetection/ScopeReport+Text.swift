import TourniquetModel

/// The scope report as text for a responder at a terminal; every value is sanitised.
extension ScopeReport {
    public var text: String {
        func s(_ value: String) -> String { DisplayText.sanitize(value).text }
        func time(_ ms: Int64?) -> String { ms.map { UTCTime.format(ms: $0) } ?? "-" }
        var out = "Scope of \(requests) requests, \(time(fromMs)) to \(time(toMs))\n\n"
        out += "FINDINGS (\(findings.count))\n"
        if findings.isEmpty { out += "  none\n" }
        for f in findings {
            out += "  \(f.id)  \(f.severity.rawValue.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)) \(f.detector): "
            let weak = f.confidence == .weak ? ", weak" : ""
            out += "\(f.subject.kind.rawValue) \(s(f.subject.value))  [\(f.state.rawValue)\(weak)]\n"
            if f.confidence == .weak { out += "      weak: \(s(f.confidenceReason))\n" }
            out += "      \(f.requests) requests, \(time(f.firstMs)) to \(time(f.lastMs))\n"
            let evidence = s(DetailText.keyValues(fromCanonicalJSON: f.evidence.canonicalJSON))
            out += "      " + (evidence.count > 240 ? String(evidence.prefix(239)) + "…" : evidence) + "\n"
        }
        out += "\nATTACKERS\n"
        out += "  sources (\(attackerIPs.count)): " + (attackerIPs.isEmpty ? "none" : attackerIPs.map(s).joined(separator: ", ")) + "\n"
        out += "  clients (\(attackerClients.count)): " + (attackerClients.isEmpty ? "none" : attackerClients.map(s).joined(separator: ", ")) + "\n"
        out += "\nCOMPROMISED\n"
        out +=
            "  accounts (\(compromisedAccounts.count) of \(accountsTargeted.map(String.init) ?? "an unknown number of") targeted): "
            + (compromisedAccounts.isEmpty ? "none" : compromisedAccounts.map(s).joined(separator: ", ")) + "\n"
        out += "  credentials to revoke (\(compromisedCredentials.count)):" + (compromisedCredentials.isEmpty ? " none" : "") + "\n"
        for c in compromisedCredentials {
            let consumers = c.consumers.isEmpty ? "" : ", logged with " + c.consumers.prefix(3).map(s).joined(separator: ", ")
            out += "    \(s(c.credential)) (\(c.field == .apiKey ? "API key" : "identity whose credential others used")\(consumers))\n"
        }
        if !campaigns.isEmpty {
            out += "\nCAMPAIGNS\n"
            for c in campaigns {
                out += "  \(c.findingID) on \(s(c.route)): \(c.members) sources (\(c.memberFindings.count) with findings of their own)"
                out +=
                    c.gotIn.isEmpty
                    ? ", none got in\n"
                    : ", got in: " + c.gotIn.map { "\(s($0.source)) as \($0.accounts.map(s).joined(separator: ", "))" }.joined(separator: "; ") + "\n"
            }
        }
        out += "\nTARGETED ENDPOINTS\n"
        for e in targetedEndpoints.prefix(15) {
            out +=
                "  \(String(e.attackerRequests).leftPadded(8, with: " ")) of \(String(e.requests).leftPadded(8, with: " "))  \(s(e.method)) \(s(e.route))\n"
        }
        if targetedEndpoints.isEmpty { out += "  none\n" }
        out += "\nDATA ACCESSED\n"
        for d in dataAccessed.prefix(15) {
            let sample = d.objects.prefix(8).map(s).joined(separator: ", ") + (d.objects.count > 8 ? ", …" : "")
            out += "  \(s(d.route)): \(d.objects.count) objects, \(d.bytes) bytes (\(sample))\n"
        }
        if dataAccessed.isEmpty { out += "  none\n" }
        out += "\nSHADOW ENDPOINTS\n"
        for e in shadowEndpoints {
            let statuses = e.statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
            out += "  \(s(e.method)) \(s(e.path)) \(e.deprecated ? "(deprecated) " : "")\(e.requests) requests: \(statuses)\n"
        }
        if shadowEndpoints.isEmpty { out += "  none\n" }
        for (detector, reason) in skipped { out += "\nskipped \(detector): \(reason)\n" }
        return out
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
