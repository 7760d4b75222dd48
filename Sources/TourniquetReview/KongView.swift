import TourniquetContainment
import TourniquetModel

/// The Kong state as the review asks about it: which enabled plugins apply to a route (its own,
/// its service's and the global ones; consumer-scoped ones depend on who calls).
struct KongView {
    let model: GatewayModel

    /// Authentication that names a person or a signed grant, not just an application.
    static let strongPlugins: Set<String> = ["jwt", "openid-connect", "oauth2", "oauth2-introspection", "mtls-auth", "saml", "session"]

    func policies(for route: GatewayModel.Route) -> [GatewayModel.Policy] {
        model.policies.filter { policy in
            policy.enabled
                && (policy.scope == "global" || policy.scope == "route:\(route.name)"
                    || route.service.map { policy.scope == "service:\($0)" } == true)
        }
    }

    /// The authentication a route requires. A plugin with `anonymous` set lets callers without
    /// credentials through as that consumer, so it does not require anything.
    func authentication(for route: GatewayModel.Route) -> [GatewayModel.Policy] {
        policies(for: route).filter { policy in
            GatewayModel.authenticationPlugins.contains(policy.plugin) && (policy.settings["anonymous"]?.stringValue ?? "").isEmpty
        }
    }

    /// The rate limits that govern a route: of each plugin, the most specific instance (route,
    /// then service, then global), as Kong runs one instance of a plugin per request; different
    /// plugins (rate-limiting and rate-limiting-advanced) all apply.
    func rateLimits(for route: GatewayModel.Route) -> [GatewayModel.Policy] {
        let limits = policies(for: route).filter { $0.kind == "rate-limiting" }
        return Set(limits.map(\.plugin)).sorted().compactMap { plugin in
            let instances = limits.filter { $0.plugin == plugin }
            return instances.first { $0.scope.hasPrefix("route:") } ?? instances.first { $0.scope.hasPrefix("service:") }
                ?? instances.first { $0.scope == "global" }
        }
    }

    var routes: [GatewayModel.Route] { model.routes }

    static func describe(_ route: GatewayModel.Route) -> String {
        let methods = route.methods.isEmpty ? "any method" : route.methods.joined(separator: ",")
        return "route \(route.name) (\(route.paths.joined(separator: " ")), \(methods))"
    }
}

/// How many requests a rate-limiting policy lets through at most in a window of `seconds`.
enum RateLimit {
    /// The tightest bound over the windows it sets: within any window of `seconds`, no more than
    /// a shorter window's count scaled up, nor a longer window's whole count.
    static func allowance(_ settings: JSONValue, within seconds: Double) -> Double? {
        var windows: [(count: Double, seconds: Double)] = []
        let named: [(String, Double)] = [("second", 1), ("minute", 60), ("hour", 3600), ("day", 86_400), ("month", 2_592_000), ("year", 31_536_000)]
        for (name, length) in named {
            if let count = settings[name]?.doubleValue, count > 0 { windows.append((count, length)) }
        }
        // rate-limiting-advanced: parallel lists of limits and window sizes.
        if let limits = settings["limit"]?.arrayValue, let sizes = settings["window_size"]?.arrayValue {
            for (limit, size) in zip(limits, sizes) {
                if let count = limit.doubleValue, let length = size.doubleValue, count > 0, length > 0 { windows.append((count, length)) }
            }
        }
        guard !windows.isEmpty else { return nil }
        return windows.map { window in window.seconds <= seconds ? window.count * (seconds / window.seconds).rounded(.up) : window.count }.min()
    }

    /// The least any of the limits lets through within `seconds`: all of them apply.
    static func allowance(_ policies: [GatewayModel.Policy], within seconds: Double) -> Double? {
        policies.compactMap { allowance($0.settings, within: seconds) }.min()
    }

    /// What a limit counts by: `limit_by` (rate-limiting) or `identifier` (rate-limiting-advanced).
    static func countedBy(_ policy: GatewayModel.Policy) -> String {
        policy.settings["limit_by"]?.stringValue ?? policy.settings["identifier"]?.stringValue ?? "consumer"
    }

    static func describe(_ policy: GatewayModel.Policy) -> String {
        let parts = ["second", "minute", "hour", "day"].compactMap { name in policy.settings[name]?.scalarText.map { "\($0)/\(name)" } }
        let advanced = zip(policy.settings["limit"]?.arrayValue ?? [], policy.settings["window_size"]?.arrayValue ?? []).compactMap { limit, size in
            limit.scalarText.flatMap { l in size.scalarText.map { "\(l)/\($0)s" } }
        }
        let by = countedBy(policy)
        return "\(policy.plugin) at \(policy.scope): \((parts + advanced).joined(separator: ", ")) by \(by)"
    }
}
