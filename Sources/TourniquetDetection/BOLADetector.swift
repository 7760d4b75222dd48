import TourniquetIngest
import TourniquetModel

/// **bola-enumeration**: one client walking object ids on a templated route: many distinct ids,
/// sequential runs, and 2xx answers for objects that are not its own.
struct BOLADetector {
    struct Walk {
        /// Numeric ids → answered 2xx; most APIs number their objects.
        var numeric: [Int64: Bool] = [:]
        /// Other ids (UUIDs, slugs) → answered 2xx.
        var opaque: [String: Bool] = [:]
        /// Numeric ids in the order they were first requested: a walk steps through them one by one.
        var order: [Int64] = []
        var sources = Set<Int64>()
        /// The source of the previous request: a walk rarely changes source, so most rows skip the set.
        var lastSource: Int64 = -1
        var first: Int64 = .max
        var last: Int64 = .min
        var requests: Int64 = 0

        var objects: [String: Bool] {
            var all = opaque
            for (id, ok) in numeric { all[String(id)] = ok }
            return all
        }
        var distinct: Int { numeric.count + opaque.count }
    }
    struct Key: Hashable {
        var actor: Int64  // client id, or the negated ip id when the request had no identity
        var route: Int64
    }
    /// Walks by identity, then by source for requests without one; each actor's walks by route.
    private var byClient = DenseTable<[(route: Int64, walk: Walk)]>()
    private var bySource = DenseTable<[(route: Int64, walk: Walk)]>()

    mutating func observe(_ row: ScanRow, traits: RouteTraits) {
        // Objects anyone may read (a public catalogue) cannot be read without authorisation.
        guard traits.contains(.templated), !traits.contains(.authentication), !traits.contains(.publicRead), let object = row.objectID
        else { return }
        if row.client != 0 {
            BOLADetector.update(&byClient[row.client, default: []], row, object)
        } else {
            BOLADetector.update(&bySource[row.ip, default: []], row, object)
        }
    }

    /// An actor walks few routes: a short list searched in place beats a dictionary per row.
    private static func update(_ walks: inout [(route: Int64, walk: Walk)], _ row: ScanRow, _ object: ObjectID) {
        if let i = walks.firstIndex(where: { $0.route == row.route }) {
            update(&walks[i].walk, row, object)
        } else {
            var walk = Walk()
            update(&walk, row, object)
            walks.append((row.route, walk))
        }
    }

    /// In place, so the walk's collections are never copied per row.
    private static func update(_ walk: inout Walk, _ row: ScanRow, _ object: ObjectID) {
        switch object {
        case .number(let id):
            if walk.numeric[id] == nil {
                walk.order.append(id)
                walk.numeric[id] = row.isSuccess
            } else if row.isSuccess {
                walk.numeric[id] = true
            }
        case .text(let text):
            if row.isSuccess {
                walk.opaque[text] = true
            } else if walk.opaque[text] == nil {
                walk.opaque[text] = false
            }
        }
        if row.ip != walk.lastSource {
            walk.sources.insert(row.ip)
            walk.lastSource = row.ip
        }
        walk.first = min(walk.first, row.timestampMs)
        walk.last = max(walk.last, row.timestampMs)
        walk.requests += 1
    }

    private var walks: [(key: Key, walk: Walk)] {
        var out: [(Key, Walk)] = []
        for (client, routes) in byClient.entries { for entry in routes { out.append((Key(actor: client, route: entry.route), entry.walk)) } }
        for (ip, routes) in bySource.entries { for entry in routes { out.append((Key(actor: -ip, route: entry.route), entry.walk)) } }
        return out
    }

    func findings(_ c: DetectorConfig.BOLAEnumeration, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        var drafts: [FindingDraft] = []
        for (key, walk) in walks where walk.distinct >= c.minDistinctObjects {
            let sequential = BOLADetector.sequentialFraction(walk.order)
            let successes = walk.numeric.values.reduce(0) { $0 + ($1 ? 1 : 0) } + walk.opaque.values.reduce(0) { $0 + ($1 ? 1 : 0) }
            let successFraction = Double(successes) / Double(walk.distinct)
            // Random ids (a busy service account) are not a walk; opaque ids need twice the breadth.
            let looksLikeWalk =
                walk.numeric.count * 2 >= walk.distinct
                ? sequential >= c.minSequentialFraction
                : walk.distinct >= 2 * c.minDistinctObjects
            guard looksLikeWalk, successFraction >= c.minSuccessFraction else { continue }
            let numeric = walk.numeric.keys.sorted()
            let succeeded = walk.objects.filter(\.value).map(\.key)
            let subject: FindingSubject =
                key.actor > 0
                ? .init(kind: .client, value: ctx.string(key.actor)) : .init(kind: .ip, value: ctx.string(-key.actor))
            var draft = FindingDraft(
                Finding(
                    detector: .bolaEnumeration, severity: .configured(c.severity), subject: subject, route: ctx.string(key.route),
                    firstMs: walk.first, lastMs: walk.last,
                    requests: walk.requests,
                    evidence: [
                        "route": .string(ctx.string(key.route)), "distinct_objects": .int(Int64(walk.distinct)),
                        "objects_2xx": .int(Int64(succeeded.count)), "sequential_fraction": .string(String(format: "%.2f", sequential)),
                        "id_ranges": .string(BOLADetector.ranges(numeric.isEmpty ? [] : succeeded.compactMap { Int64($0) }.sorted())),
                        "sources": .array(walk.sources.sorted().prefix(10).map { .string(ctx.string($0)) }),
                    ]))
            draft.attackerIPs = walk.sources
            if key.actor > 0 { draft.attackerClients = [key.actor] }
            draft.objects[key.route] = Set(succeeded)
            drafts.append(draft)
        }
        return drafts
    }

    /// The share of newly requested ids that are 1 to 3 away from the id requested before them.
    ///
    /// Measured in request order, not sorted: a busy client reading random objects from a dense
    /// range looks sequential once sorted, but only a walk steps from one id to the next.
    static func sequentialFraction(_ arrival: [Int64]) -> Double {
        guard arrival.count > 1 else { return 0 }
        var steps = 0
        for i in 1..<arrival.count where (1...3).contains(abs(arrival[i] - arrival[i - 1])) { steps += 1 }
        return Double(steps) / Double(arrival.count - 1)
    }

    /// `[1, 2, 3, 7, 9, 10]` → `1-3, 7, 9-10`.
    static func ranges(_ sorted: [Int64]) -> String {
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
            parts.append(i == j ? "\(sorted[i])" : "\(sorted[i])-\(sorted[j])")
            i = j + 1
        }
        return parts.joined(separator: ", ")
    }
}
