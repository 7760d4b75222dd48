import Foundation
import TourniquetDetection
import TourniquetIngest
import TourniquetModel
import TourniquetStore

/// Options for one scope run, resolved from the case's settings.
struct ScopeOptions: Sendable {
    var fromMs: Int64?
    var toMs: Int64?
    var config: DetectorConfig
    /// A MaxMind GeoLite2/GeoIP2 database for geo-anomaly; without one that detector is skipped.
    var geoDatabase: String?

    init(fromMs: Int64? = nil, toMs: Int64? = nil, config: DetectorConfig = .defaults, geoDatabase: String? = nil) {
        self.fromMs = fromMs
        self.toMs = toMs
        self.config = config
        self.geoDatabase = geoDatabase
    }
}

extension CaseEngine {
    /// Runs every detector over the case, stores the findings (keeping responders' states) and
    /// records the run as one action.
    func runScope(_ options: ScopeOptions, progress: ((String) -> Void)? = nil) throws -> (report: ScopeReport, action: Action) {
        let report = try CaseEngine.analyzeScope(caseFile, options, progress: progress)
        progress?("recording")
        return (report, try record(report))
    }

    /// Runs scope on the case at `path`. The detectors read through a read-only connection while
    /// the writer opens on another thread: its integrity check takes seconds on a large case and
    /// now overlaps the scan. The run is recorded only once that check has passed.
    static func runScope(
        path: String, context: CommandContext, fromMs: Int64?, toMs: Int64?,
        progress: ((String) -> Void)?
    ) throws -> (report: ScopeReport, action: Action) {
        let reader = try CaseFile.openReadOnly(at: path)
        if reader.needsMigration {
            let engine = try open(path: path, context: context)
            return try engine.runScope(scopeOptions(engine.caseFile.settings(), fromMs: fromMs, toMs: toMs), progress: progress)
        }
        let options = try scopeOptions(reader.settings(), fromMs: fromMs, toMs: toMs)
        let writer = InBackground { try CaseEngine.open(path: path, context: context) }
        let report: ScopeReport
        do {
            report = try analyzeScope(reader, options, progress: progress)
        } catch {
            // A damaged case fails both ways; the integrity check's account of it is the clearer.
            if case .failure(let opening) = writer.result { throw opening }
            throw error
        }
        let engine = try writer.result.get()
        progress?("recording")
        return (report, try engine.record(report))
    }

    /// The detectors, the conclusion and the attackers' footprint, read from `caseFile` (which
    /// may be read-only); nothing is written.
    static func analyzeScope(_ caseFile: CaseFile, _ options: ScopeOptions, progress: ((String) -> Void)?) throws -> ScopeReport {
        let dict = try caseFile.dictionary()
        let spec = try caseFile.gatewayState(kind: "openapi").first.flatMap { try? OpenAPILoader.parse($0.content, path: $0.path) }
        let deprecated = Set(spec?.operations.filter(\.deprecated).map { "\($0.method) \($0.path)" } ?? [])
        var countries: [Int64: String]?
        if options.config.geoAnomaly.enabled, let path = options.geoDatabase {
            progress?("looking up countries")
            let database = try GeoIPDatabase(path: path)
            countries = try caseFile.dictionary(kind: .ip).reduce(into: [:]) { map, entry in map[entry.key] = database.country(of: entry.value) }
        }
        let detection = DetectionContext(
            strings: dict.all, routes: dict.routes, config: options.config, deprecatedOperations: deprecated,
            documentedRoutes: Set(spec?.paths ?? []),
            publicRoutes: Set(spec?.operations.filter { $0.method == "GET" && $0.isPublic }.map(\.path) ?? []),
            countries: countries)
        let analyzer = ScopeAnalyzer(config: options.config, context: detection)
        progress?("scanning requests")
        // Two workers, each running half of the detectors over every request.
        let (from, to) = (options.fromMs, options.toMs)
        try ChunkWorkers.run(
            caseFile, fromMs: from, toMs: to, signatures: analyzer.signatures.digest, split: .everyChunkToEach,
            workers: [
                { try $0.forEachRow(fromMs: from, toMs: to, analyzer.observeFirstHalf) },
                { try $0.forEachRow(fromMs: from, toMs: to, analyzer.observeSecondHalf) },
            ])
        progress?("concluding")
        var conclusion = analyzer.conclude(allowlist: try caseFile.allowlist()) { try? caseFile.requestText(id: $0) }
        let states = try caseFile.findingStates()
        for i in conclusion.findings.indices { conclusion.findings[i].state = states[conclusion.findings[i].id] ?? .new }

        progress?("measuring what the attackers touched")
        let footprint = try measureFootprint(of: conclusion, in: caseFile, options: options, context: detection)
        var skipped: [(String, String)] = []
        if !options.config.geoAnomaly.enabled {
            skipped.append(("geo-anomaly", "disabled in the detector configuration"))
        } else if options.geoDatabase == nil {
            skipped.append(("geo-anomaly", "no GeoIP database given (--geoip FILE.mmdb)"))
        }
        return ScopeReport(
            analyzer: analyzer, conclusion: conclusion, footprint: footprint, skipped: skipped,
            window: (options.fromMs, options.toMs))
    }

    /// Stores a run's findings and records it as one action.
    private func record(_ report: ScopeReport) throws -> Action {
        let draft = ActionDraft(
            kind: .scopeRun, target: "case",
            details: [
                "requests": .int(report.requests), "findings": .int(Int64(report.findings.count)),
                "attacker_ips": .int(Int64(report.attackerIPs.count)), "compromised_accounts": .int(Int64(report.compromisedAccounts.count)),
                "compromised_keys": .int(Int64(report.compromisedKeys.count)),
                "from": report.fromMs.map { .string(UTCTime.format(ms: $0)) } ?? .null,
                "to": report.toMs.map { .string(UTCTime.format(ms: $0)) } ?? .null,
            ])
        return try caseFile.recordScopeRun(report, draft: draft, actor: context.actor, clock: context.clock)
    }

    /// What the attackers touched: a second pass, split between two workers, over the requests
    /// of the sources and clients scope concluded were attackers.
    private static func measureFootprint(
        of conclusion: ScopeConclusion, in caseFile: CaseFile, options: ScopeOptions,
        context: DetectionContext
    ) throws -> AttackerFootprint {
        guard !conclusion.attackerIPs.isEmpty || !conclusion.attackerClients.isEmpty else { return AttackerFootprint() }
        let (from, to) = (options.fromMs, options.toMs)
        let (ips, clients) = (conclusion.attackerIPs, conclusion.attackerClients)
        final class Part { var footprint = AttackerFootprint() }  // one per worker thread
        let parts = [Part(), Part()]
        func measure(_ part: Part, _ chunk: ScanChunk) throws {
            try chunk.forEachRow(fromMs: from, toMs: to) { row in
                if ips.contains(row.ip) || (row.client != 0 && clients.contains(row.client)) { part.footprint.observe(row, context: context) }
            }
        }
        try ChunkWorkers.run(caseFile, fromMs: from, toMs: to, split: .inTurn, workers: parts.map { part in { try measure(part, $0) } })
        var footprint = parts[0].footprint
        footprint.merge(parts[1].footprint)
        return footprint
    }
}
