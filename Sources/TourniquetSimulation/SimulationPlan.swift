/// How big each part of a simulated incident is and when it happens, derived from the spec alone.
///
/// Everything scales with `lines` so a 2,000-line drill and a 10-million-line benchmark tell the
/// same story. The window is 6 hours once `lines` reaches 20,000 and shorter below that (1.08 s
/// per line), because the health checker alone writes one line every 10 s. Attacks sit in the
/// middle of the window, after a benign baseline; their start times are fractions of the window
/// (`at(_:)`) and their rates are the larger of a floor and what fits their share of the window.
struct SimulationPlan {
    let spec: SimulationSpec
    let scenarios: Set<SimulatedScenario>
    let lines: Int
    let startMs: Int64
    let windowMs: Int64

    // Benign population.
    let userCount: Int
    let natUserCount: Int
    let healthIntervalMs: Int64 = 10_000
    let serviceRequests: Int
    let partnerRequests: Int
    let benignUserRequests: Int

    // Attack volumes (0 when the scenario is not staged).
    let stuffingAttempts: Int
    let bruteForceAttempts: Int
    let bolaIDs: Int
    let adminProbes: Int
    let scrapeRequests: Int
    let shadowRequests: Int

    /// Ids per account block: a user owns the first 3–5 order ids of its block; the rest never
    /// existed, which is what gives an id walk its 404 gaps.
    static let orderBlock = 5

    init(_ spec: SimulationSpec) {
        self.spec = spec
        scenarios = Set(spec.resolvedScenarios)
        let lines = max(spec.lines, 1_000)
        self.lines = lines
        startMs = spec.startMs
        windowMs = min(21_600_000, Int64(lines) * 1_080)
        let l = Double(lines)
        func scaled(_ fraction: Double, min low: Int, max high: Int = .max) -> Int {
            Swift.min(high, Swift.max(low, Int(l * fraction)))
        }
        userCount = scaled(1.0 / 40, min: 200, max: 8_000)
        // An office or carrier NAT: hundreds of people behind one address.
        natUserCount = Swift.min(400, userCount * 2 / 5)
        serviceRequests = scaled(0.05, min: 60)
        partnerRequests = scaled(0.004, min: 30)

        let staged = scenarios
        stuffingAttempts = staged.contains(.credentialStuffing) ? scaled(0.05, min: 120) : 0
        bruteForceAttempts = staged.contains(.credentialStuffing) ? scaled(0.01, min: 30, max: 100_000) : 0
        bolaIDs =
            staged.contains(.bola)
            ? Swift.min(scaled(0.02, min: 100, max: 20_000), userCount * SimulationPlan.orderBlock * 4 / 5) : 0
        adminProbes = staged.contains(.adminProbing) ? scaled(0.005, min: 30, max: 5_000) : 0
        scrapeRequests = staged.contains(.scraping) ? scaled(0.04, min: 80) : 0
        shadowRequests = staged.contains(.shadowEndpoints) ? scaled(0.003, min: 20, max: 3_000) : 0

        let health = Int(windowMs / healthIntervalMs)
        let attacks = stuffingAttempts + bruteForceAttempts + bolaIDs + adminProbes + scrapeRequests + shadowRequests
        // The innocent oddities (`BenignQuirks`): the export walks every customer, the crawler the
        // catalogue, the rest are a hundred or two.
        let quirks = userCount + SimulatedWorld.productCount + 200
        let others = health + serviceRequests + partnerRequests + attacks + quirks
        // The rest is the users'; never less than a third of the log, so benign traffic dominates.
        benignUserRequests = Swift.max(lines / 3, lines - others)
    }

    /// The instant a fraction of the way through the window.
    func at(_ fraction: Double) -> Int64 { startMs + Int64(Double(windowMs) * fraction) }

    var endMs: Int64 { startMs + windowMs }

    /// Mean milliseconds between requests for `count` requests at no less than `minPerSecond`,
    /// fitted into at most `maxFraction` of the window.
    func intervalMs(count: Int, minPerSecond: Double, maxFraction: Double) -> Double {
        let fitted = Double(count) / (Double(windowMs) * maxFraction / 1000)
        return 1000 / Swift.max(minPerSecond, fitted)
    }

    // MARK: - Attack timeline (fractions of the window)

    static let adminScannerStart = 0.30
    static let adminUserStart = 0.33
    static let shadowStart = 0.36
    static let stuffingBurstStart = 0.40
    static let stuffingWaveStart = 0.44
    static let bruteForceStart = 0.47
    static let bolaLoginStart = 0.48
    static let bolaWalkStart = 0.50
    static let leakStart = 0.58
    /// The 429 storm runs over this part of the leak's duration, at three times its base rate.
    static let stormSpan = 0.35...0.55
}
