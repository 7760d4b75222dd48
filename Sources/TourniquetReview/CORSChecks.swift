import TourniquetContainment
import TourniquetModel

/// CORS as the Kong cors plugin sets it.
enum CORSChecks {
    static let item = ReviewItem(
        id: "cors", title: "CORS allows only named origins, the methods and headers the API uses, and caches preflights",
        reference: "API8:2023",
        fix: "List each origin exactly (no *, no loose regex), never combine a wildcard with credentials, allow only the methods "
            + "and headers the spec uses, and set max_age (3600 s is reasonable).")

    /// Headers every API may allow beside those its spec names.
    static let ordinaryHeaders: Set<String> = ["accept", "authorization", "content-type", "if-match", "if-none-match", "x-request-id"]

    static func check(_ input: ReviewInput) -> ReviewResult {
        guard let kong = input.kong else { return item.result(.unknown, ["no Kong state to check"]) }
        let policies = kong.policies.filter { $0.kind == "cors" && $0.enabled }
        guard !policies.isEmpty else {
            return item.result(.pass, ["no cors plugin: browsers are given no cross-origin access"])
        }
        let specMethods = input.openAPI.map { Set($0.operations.map(\.method)).union(["OPTIONS"]) }
        let specHeaders = input.openAPI.map { $0.headerParameters.union(ordinaryHeaders) }
        var failures: [String] = []
        for policy in policies {
            let at = "cors at \(policy.scope)"
            let origins = (policy.settings["origins"]?.arrayValue ?? []).compactMap(\.stringValue)
            let credentials = policy.settings["credentials"] == .bool(true)
            if origins.isEmpty || origins.contains("*") {
                failures.append("\(at): any origin (\(origins.isEmpty ? "origins unset" : "*"))" + (credentials ? " together with credentials" : ""))
            }
            let loose = origins.filter { $0 != "*" && ($0.contains("*") || $0.contains { "^$()[]|+?\\".contains($0) }) }
            if !loose.isEmpty { failures.append("\(at): wildcard or regex origins \(loose.joined(separator: ", "))") }
            // Kong allows every method when the list is unset.
            let methods = Set((policy.settings["methods"]?.arrayValue ?? []).compactMap { $0.stringValue?.uppercased() })
            let allowed = methods.isEmpty ? ["GET", "HEAD", "PUT", "PATCH", "POST", "DELETE", "OPTIONS", "TRACE", "CONNECT"] : methods
            if let specMethods {
                let extra = allowed.subtracting(specMethods)
                if !extra.isEmpty { failures.append("\(at): allows \(extra.sorted().joined(separator: ", ")), which the spec never uses") }
            } else if methods.isEmpty {
                failures.append("\(at): methods unset, so every method is allowed")
            }
            let headers = Set((policy.settings["headers"]?.arrayValue ?? []).compactMap { $0.stringValue?.lowercased() })
            if headers.isEmpty {
                failures.append("\(at): headers unset, so any header the browser asks for is allowed")
            } else if let specHeaders {
                let extra = headers.subtracting(specHeaders)
                if !extra.isEmpty { failures.append("\(at): allows headers \(extra.sorted().joined(separator: ", ")) the spec does not name") }
            }
            if (policy.settings["max_age"]?.doubleValue ?? 0) <= 0 { failures.append("\(at): max_age unset, so every call is preflighted anew") }
        }
        return item.result(
            failures.isEmpty ? .pass : .fail,
            failures.isEmpty ? policies.map { "cors at \($0.scope): named origins, methods and headers, max_age set" } : failures)
    }
}
