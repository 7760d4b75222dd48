/// The kinds of endpoint the hardening checklist sets different rate limits for.
enum EndpointType: String, CaseIterable, Sendable {
    case authentication
    case passwordReset = "password reset"
    case search, write, data

    static let signInSegments: Set<String> = [
        "login", "logon", "signin", "sign-in", "sign_in", "token", "oauth", "oauth2", "auth", "authenticate", "session", "sessions",
    ]
    static let searchSegments: Set<String> = ["search", "filter", "query", "find"]

    /// Read from a path's segments and its methods (an empty list means every method):
    /// `/v1/login` is sign-in, `/v1/authors/{id}` and `/v1/login-history` are not.
    static func of(path: String, methods: [String]) -> EndpointType {
        let segments = path.lowercased().split(whereSeparator: { $0 == "/" || $0 == " " }).map(String.init)
        let resetWords = ["reset", "forgot", "recover"]
        if segments.contains(where: { $0.contains("password") && resetWords.contains(where: $0.contains) })
            || (segments.contains("password") && segments.contains(where: resetWords.contains))
        {
            return .passwordReset
        }
        if segments.contains(where: signInSegments.contains) { return .authentication }
        if segments.contains(where: searchSegments.contains) { return .search }
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

    /// Sign-in and password reset are called before anyone is signed in.
    var isAnonymousByDesign: Bool { self == .authentication || self == .passwordReset }

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
