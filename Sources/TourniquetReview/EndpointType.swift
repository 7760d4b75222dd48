/// The kinds of endpoint the hardening checklist sets different rate limits for.
enum EndpointType: String, CaseIterable, Sendable {
    case authentication
    case passwordReset = "password reset"
    case search, write, data

    /// Read from a path and its methods (an empty list means every method).
    static func of(path: String, methods: [String]) -> EndpointType {
        let lower = path.lowercased()
        if ["reset", "forgot", "recover"].contains(where: lower.contains) && lower.contains("password") || lower.contains("password-reset") {
            return .passwordReset
        }
        if ["login", "signin", "sign-in", "/token", "oauth", "/auth", "/session"].contains(where: lower.contains) { return .authentication }
        if ["search", "filter", "/query"].contains(where: lower.contains) { return .search }
        let writes: Set<String> = ["POST", "PUT", "PATCH", "DELETE"]
        if methods.isEmpty || methods.contains(where: { writes.contains($0.uppercased()) }) { return .write }
        return .data
    }

    /// The checklist's loosest acceptable limit, as (requests, per seconds).
    var ceiling: (requests: Double, seconds: Double) {
        switch self {
        case .authentication: return (10, 60)
        case .passwordReset: return (3, 3600)
        case .search: return (60, 60)
        case .write: return (50, 60)
        case .data: return (1000, 60)
        }
    }

    var ceilingText: String {
        switch self {
        case .authentication: return "10 a minute per source address"
        case .passwordReset: return "3 an hour per account"
        case .search: return "60 a minute per token"
        case .write: return "50 a minute per token"
        case .data: return "1,000 a minute per token"
        }
    }
}
