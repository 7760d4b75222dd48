import TourniquetContainment
import TourniquetModel

/// Object-level authorization (BOLA) and function-level authorization (admin routes).
enum AuthorizationChecks {
    static let objects = ReviewItem(
        id: "object-authorization", title: "Clients read only their own objects", reference: "API1:2023",
        fix: "Check on every request, at the data layer, that the caller owns or may see the object it names (a policy engine "
            + "such as OPA or Casbin keeps it consistent); answer 403 or 404 otherwise.")

    static let functions = ReviewItem(
        id: "function-authorization", title: "Admin routes answer only admins, on their own host", reference: "API5:2023",
        fix: "Require an admin role on every privileged route (403 for others), and serve admin and internal APIs on a host and "
            + "port of their own, not beside the public API.")

    /// A client that reached this many objects another client used first is walking objects.
    static let foreignObjectThreshold: Int64 = 10

    static func objects(_ input: ReviewInput) -> ReviewResult {
        var failures = listed(input.findings.filter { $0.detector == .bolaEnumeration && $0.state != .dismissed }) {
            "finding \($0.id): \($0.subject.kind.rawValue) \($0.subject.value) walked object ids (\($0.requests) requests, \($0.state.rawValue))"
        }
        if input.logsCarryIdentity, let logs = input.logs {
            failures += listed(logs.foreignObjects.filter { $0.objects >= foreignObjectThreshold && !input.benignClients.contains($0.client) }) {
                "\($0.client) got 2xx on \($0.objects) objects of \($0.route) that another client used first"
            }
            let benign = input.benignClients.intersection(logs.foreignObjects.map(\.client))
            if failures.isEmpty {
                return objects.result(
                    .pass,
                    ["no client got 2xx on \(foreignObjectThreshold) or more objects another client used first"]
                        + (benign.isEmpty ? [] : ["not counted, allowlisted as benign: \(benign.sorted().joined(separator: ", "))"]))
            }
            if !failures.isEmpty && !logs.foreignObjects.isEmpty {
                failures.append("a service account that reads others' records by design can be allowlisted (client:NAME) and the review run again")
            }
        } else if failures.isEmpty {
            return objects.result(.unknown, ["the logs carry no client identity, so whose objects were read cannot be told"])
        }
        return objects.result(.fail, failures)
    }

    static func functions(_ input: ReviewInput) -> ReviewResult {
        var failures: [String] = []
        var looked: [String] = []
        let admins = adminNames(input.kong)
        if let logs = input.logs {
            looked.append("\(Set(logs.privileged.map(\.route)).count) privileged routes in the logs")
            // Without identities in the logs, every answer looks anonymous: that says nothing.
            if input.logsCarryIdentity {
                failures += listed(logs.privileged.filter { $0.client == nil }) { "\($0.route) answered 2xx \($0.ok) times with no identity" }
            }
            let owners = keyOwners(input.kong)
            let others = logs.privileged.filter { use in use.client.map { !isAdmin(owners[$0] ?? $0, admins) } ?? false }
            failures += listed(others) { use in
                let who = use.client.map { client in owners[client].map { "\(client) (\($0)'s key)" } ?? client } ?? "?"
                return "\(use.route) answered 2xx \(use.ok) times to \(who), not an admin"
            }
        }
        if let kong = input.kong {
            let privileged = kong.routes.filter { $0.paths.contains(where: LogFacts.isPrivileged) }
            let publicHosts = Set(kong.routes.filter { !$0.paths.contains(where: LogFacts.isPrivileged) }.flatMap { $0.hosts ?? [] })
            looked.append("\(privileged.count) privileged Kong routes")
            for route in privileged {
                let hosts = route.hosts ?? []
                if hosts.isEmpty {
                    failures.append("Kong \(KongView.describe(route)) answers on any host, the public one included")
                } else if !publicHosts.isDisjoint(with: hosts) {
                    failures.append(
                        "Kong \(KongView.describe(route)) shares \(publicHosts.intersection(hosts).sorted().joined(separator: ", ")) with public routes"
                    )
                }
            }
        }
        // Logs without identities cannot say who an admin route answered.
        if input.kong == nil && !input.logsCarryIdentity && failures.isEmpty {
            return functions.result(.unknown, ["no Kong state, and the logs carry no client identity to tell admins from others"])
        }
        if looked.isEmpty { return functions.result(.unknown, ["no logs or Kong state to check"]) }
        return functions.result(failures.isEmpty ? .pass : .fail, failures.isEmpty ? ["checked " + looked.joined(separator: ", ")] : failures)
    }

    /// A logged key fingerprint's consumer, from the credentials in the Kong state.
    static func keyOwners(_ kong: GatewayModel?) -> [String: String] {
        var owners: [String: String] = [:]
        for credential in kong?.credentials ?? [] { if let print = credential.fingerprint { owners[print] = credential.consumer } }
        return owners
    }

    /// Consumers in an admin group or named as admins.
    static func adminNames(_ kong: GatewayModel?) -> Set<String> {
        Set((kong?.consumers ?? []).filter { c in c.groups.contains { $0.lowercased().contains("admin") } }.map(\.username))
    }

    static func isAdmin(_ client: String, _ admins: Set<String>) -> Bool {
        admins.contains(client) || client.lowercased().contains("admin")
    }
}
