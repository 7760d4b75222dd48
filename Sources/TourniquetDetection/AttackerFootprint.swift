import TourniquetIngest

/// What the attackers did, measured over their own requests only, in a second pass once scope
/// knows who they are.
public struct AttackerFootprint: Sendable {
    public private(set) var requestsByEndpoint: [ScopeAnalyzer.EndpointKey: Int64] = [:]
    public private(set) var objects: [Int64: Set<String>] = [:]
    public private(set) var bytesByRoute: [Int64: Int64] = [:]

    public init() {}

    /// Counts one attacker request; the caller passes each request once.
    public mutating func observe(_ row: ScanRow, context: DetectionContext) {
        requestsByEndpoint[ScopeAnalyzer.EndpointKey(method: row.method, route: row.route), default: 0] += 1
        let traits = context.traits(row.route)
        if row.isSuccess && traits.contains(.templated) && !traits.contains(.authentication), let object = row.objectID {
            objects[row.route, default: []].insert(object.description)
            bytesByRoute[row.route, default: 0] += row.bytes
        }
    }

    /// Adds what another worker measured over other requests.
    public mutating func merge(_ other: AttackerFootprint) {
        requestsByEndpoint.merge(other.requestsByEndpoint, uniquingKeysWith: +)
        objects.merge(other.objects) { $0.union($1) }
        bytesByRoute.merge(other.bytesByRoute, uniquingKeysWith: +)
    }
}
