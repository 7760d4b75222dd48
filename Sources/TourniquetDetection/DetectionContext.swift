/// What a route is, decided once per route from its template and the detector configuration.
public struct RouteTraits: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let authentication = RouteTraits(rawValue: 1)
    public static let privileged = RouteTraits(rawValue: 2)
    public static let passwordReset = RouteTraits(rawValue: 4)
    public static let health = RouteTraits(rawValue: 8)
    public static let templated = RouteTraits(rawValue: 16)
    /// The case's OpenAPI document describes this route: part of the API, so never a probe.
    public static let documented = RouteTraits(rawValue: 32)
    /// The OpenAPI document says reading this route needs no credentials: its objects are public.
    public static let publicRead = RouteTraits(rawValue: 64)
}

/// The strings behind dict ids, and route traits, for one scope run.
public struct DetectionContext: Sendable {
    public var strings: [Int64: String]
    /// Deprecated operations from the case's OpenAPI spec, as "METHOD /template".
    public var deprecatedOperations: Set<String>
    /// Each source's country from a GeoIP database, or nil when none was given (geo-anomaly is skipped).
    public var countries: [Int64: String]?

    /// `documentedRoutes` are the path templates of the case's OpenAPI document.
    public init(
        strings: [Int64: String], routes: [Int64: String], config: DetectorConfig, deprecatedOperations: Set<String> = [],
        documentedRoutes: Set<String> = [], publicRoutes: Set<String> = [], countries: [Int64: String]? = nil
    ) {
        self.strings = strings
        self.countries = countries
        self.deprecatedOperations = deprecatedOperations
        var traits: [Int64: RouteTraits] = [:]
        for (id, route) in routes {
            traits[id] = config.traits(ofRoute: route).union(documentedRoutes.contains(route) ? .documented : [])
                .union(publicRoutes.contains(route) ? .publicRead : [])
        }
        denseTraits = Array(repeating: [], count: Int(routes.keys.max() ?? -1) + 1)
        for (id, t) in traits { denseTraits[Int(id)] = t }
        if !deprecatedOperations.isEmpty {
            let methods = strings.filter { ["GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE"].contains($0.value) }
            for (methodID, method) in methods {
                for (routeID, route) in routes where deprecatedOperations.contains(method + " " + route) {
                    deprecatedIDs.insert(methodID << 32 | routeID)
                }
            }
        }
    }

    /// Deprecated operations as (method id, route id) pairs, so the per-row check is one lookup.
    private var deprecatedIDs = Set<Int64>()

    public func isDeprecated(method: Int64, route: Int64) -> Bool {
        !deprecatedIDs.isEmpty && deprecatedIDs.contains(method << 32 | route)
    }

    public func string(_ id: Int64) -> String { strings[id] ?? "#\(id)" }
    /// Route traits by dict id, in an array: read twice per request, so no hashing.
    private var denseTraits: [RouteTraits] = []

    public func traits(_ route: Int64) -> RouteTraits {
        Int(route) < denseTraits.count && route >= 0 ? denseTraits[Int(route)] : []
    }
}
