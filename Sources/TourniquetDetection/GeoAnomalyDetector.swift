import TourniquetIngest
import TourniquetModel

/// **geo-anomaly**: a client seen from a country it never used before, once it has a baseline.
/// Runs only with a GeoIP database; the caller supplies each source's country.
struct GeoAnomalyDetector {
    struct Client {
        var baseline = Set<String>()
        var seen = 0
        var novel: [String: (first: Int64, last: Int64, requests: Int64, sources: Set<Int64>)] = [:]
    }
    private var clients: [Int64: Client] = [:]
    private let minBaseline: Int

    init(minBaselineRequests: Int) { minBaseline = minBaselineRequests }

    mutating func observe(_ row: ScanRow, country: String?) {
        guard row.client != 0, let country else { return }
        GeoAnomalyDetector.update(&clients[row.client, default: Client()], row, country, minBaseline)
    }

    private static func update(_ c: inout Client, _ row: ScanRow, _ country: String, _ minBaseline: Int) {
        c.seen += 1
        if c.seen <= minBaseline {
            c.baseline.insert(country)
        } else if !c.baseline.contains(country) {
            var entry = c.novel[country] ?? (row.timestampMs, row.timestampMs, 0, [])
            entry.last = row.timestampMs
            entry.requests += 1
            entry.sources.insert(row.ip)
            c.novel[country] = entry
        }
    }

    func findings(_ c: DetectorConfig.GeoAnomaly, _ ctx: DetectionContext) -> [FindingDraft] {
        guard c.enabled else { return [] }
        return clients.compactMap { id, client in
            guard !client.novel.isEmpty else { return nil }
            let countries = client.novel.keys.sorted()
            let sources = client.novel.values.reduce(into: Set<Int64>()) { $0.formUnion($1.sources) }
            var draft = FindingDraft(
                Finding(
                    detector: .geoAnomaly, severity: .configured(c.severity), subject: .init(kind: .client, value: ctx.string(id)),
                    firstMs: client.novel.values.map(\.first).min() ?? 0, lastMs: client.novel.values.map(\.last).max() ?? 0,
                    requests: client.novel.values.reduce(0) { $0 + $1.requests },
                    evidence: [
                        "usual_countries": .array(client.baseline.sorted().map { .string($0) }),
                        "new_countries": .array(countries.map { .string($0) }),
                        "sources": .array(sources.sorted().prefix(10).map { .string(ctx.string($0)) }),
                    ]))
            draft.attackerIPs = sources
            return draft
        }
    }
}
