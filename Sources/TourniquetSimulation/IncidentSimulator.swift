/// Generates a simulated API incident: a streamed access log, its ground truth and gateway documents.
///
/// The log is the time-ordered merge of many small scripts (``TrafficSource``s): one per user, one
/// per decoy and one per attacker or attacking address. Each script draws from its own random
/// stream derived from the seed and its name, and the merge breaks time ties by script order, so
/// the output depends only on the spec. Only the scripts' next requests are held in memory, which
/// keeps a 10-million-line run at a few megabytes.
public enum IncidentSimulator {
    /// Streams the log: calls `emit` once per line (no trailing newline), in time order, and
    /// returns the incident. Memory stays bounded whatever `spec.lines` is.
    public static func run(_ spec: SimulationSpec, emit: (String) throws -> Void) rethrows -> SimulatedIncident {
        try generate(spec) { request in
            try emit(SimulatedLogWriter.line(for: request, format: spec.format))
        }
    }

    /// The requests behind ``run(_:emit:)``, before they are written as lines (for tests and tools
    /// that want the fields rather than the text).
    static func generate(_ spec: SimulationSpec, emit: (SimulatedRequest) throws -> Void) rethrows -> SimulatedIncident {
        precondition(SimulationSpec.formats.contains(spec.format), "unknown simulated log format \(spec.format)")
        let plan = SimulationPlan(spec)
        let world = SimulatedWorld(plan: plan)
        let ledger = TruthLedger()
        var merge = SourceMerge(SimulationCast.sources(world: world, ledger: ledger))
        while let request = merge.next() {
            try emit(request)
        }
        return SimulatedIncident(
            truth: ledger.truth(spec: spec, world: world),
            openAPIYAML: SimulatedAPI.openAPIYAML(),
            deckYAML: SimulatedGateway.deckYAML(world: world),
            logFileName: spec.format == "combined" ? "access.log" : "access.json")
    }
}

/// One simulated party's requests, in time order.
protocol TrafficSource: AnyObject {
    /// The next request, never earlier than the previous one; nil when the script is over.
    func next() -> SimulatedRequest?
}

/// A k-way merge of sources by (time, source index): a binary min-heap of each source's next request.
struct SourceMerge {
    private let sources: [TrafficSource]
    private var pending: [SimulatedRequest?]
    /// The pending requests' times, apart so heap comparisons touch no strings.
    private var times: [Int64]
    /// Heap of source indexes ordered by their pending request's time, then index.
    private var heap: [Int] = []

    init(_ sources: [TrafficSource]) {
        self.sources = sources
        pending = sources.map { $0.next() }
        times = pending.map { $0?.timestampMs ?? .max }
        heap.reserveCapacity(sources.count)
        for i in sources.indices where pending[i] != nil { push(i) }
    }

    mutating func next() -> SimulatedRequest? {
        guard let top = heap.first, let request = pending[top] else { return nil }
        pending[top] = sources[top].next()
        if let following = pending[top] {
            precondition(following.timestampMs >= request.timestampMs, "a traffic source went back in time")
            times[top] = following.timestampMs
            siftDown(0)
        } else {
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
        }
        return request
    }

    @inline(__always)
    private func less(_ a: Int, _ b: Int) -> Bool {
        let ta = times[a]
        let tb = times[b]
        return ta < tb || (ta == tb && a < b)
    }

    private mutating func push(_ source: Int) {
        heap.append(source)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            var smallest = left
            if left + 1 < count, less(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard less(heap[smallest], heap[parent]) else { return }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
    }
}
