import TourniquetDetection

/// Assembles the incident's cast of traffic sources, and records the ground truth as they act.
enum SimulationCast {
    /// Every source, in a fixed order (the merge breaks time ties by this order).
    static func sources(world: SimulatedWorld, ledger: TruthLedger) -> [TrafficSource] {
        let plan = world.plan
        let staged = plan.scenarios
        var sources: [TrafficSource] = []
        sources.reserveCapacity(world.users.count + 100)
        for u in world.users.indices { sources.append(UserScript(world: world, userIndex: u)) }
        sources.append(HealthScript(world: world))
        sources.append(ServiceScript(world: world))
        let leak = staged.contains(.scraping) ? LeakSchedule(plan: plan) : nil
        sources.append(PartnerScript(world: world, leak: leak))
        sources.append(strayForbidden(world))

        ledger.decoyIPs = [world.natIP, world.healthIP, world.users[world.stray403User].ip] + world.serviceIPs
        ledger.decoyClients = [world.serviceKey.consumer, world.users[world.stray403User].name]
        sources += BenignQuirks.sources(world: world, ledger: ledger)

        if staged.contains(.credentialStuffing) { sources += stuffing(world, ledger) }
        if staged.contains(.bola) {
            ledger.attackerClients.insert(world.mallory.name)
            sources.append(BolaScript(world: world, ledger: ledger))
        }
        if staged.contains(.adminProbing) {
            let scannerShare = plan.adminProbes * 65 / 100
            sources.append(ProbeScript.scanner(world: world, ledger: ledger, count: scannerShare))
            sources.append(ProbeScript.privileged(world: world, ledger: ledger, count: plan.adminProbes - scannerShare))
        }
        if staged.contains(.scraping), let leak {
            sources.append(ScraperScript(world: world, leak: leak, ledger: ledger))
            ledger.decoyIPs += world.partnerIPs
            ledger.compromisedKeys = [
                GroundTruth.CompromisedKey(
                    id: world.keyID(world.partnerKey),
                    secret: world.keySecret(world.partnerKey))
            ]
        }
        if staged.contains(.shadowEndpoints) { sources.append(ShadowScript(world: world, ledger: ledger)) }
        return sources
    }

    /// The decoy who once follows a stale link to the admin page: one 403 in a normal day.
    private static func strayForbidden(_ world: SimulatedWorld) -> TrafficSource {
        let user = world.users[world.stray403User]
        var rng = SimulationRandom(seed: world.plan.spec.seed, stream: SimulationRandom.label("stray-403"))
        let shape = ResponseBody.account.shape(status: 403, &rng)
        return FixedScript([
            SimulatedRequest(
                timestampMs: world.plan.at(0.52), ip: user.ip, identity: user.name, method: "GET", path: SimulatedAPI.adminUsers,
                status: 403, bytes: shape.bytes, latencyMs: shape.latencyMs, userAgent: user.userAgent, route: SimulatedAPI.adminUsers)
        ])
    }

    /// Single-address bursts back to back, then the distributed wave, then the brute force.
    private static func stuffing(_ world: SimulatedWorld, _ ledger: TruthLedger) -> [TrafficSource] {
        let plan = world.plan
        let campaign = StuffingCampaign(world: world, ledger: ledger)
        var rng = SimulationRandom(seed: plan.spec.seed, stream: SimulationRandom.label("stuffing-pool"))
        var sources: [TrafficSource] = []
        let bursts = min(3 + rng.below(3), max(1, campaign.burstAttempts))
        let burstInterval = plan.intervalMs(count: campaign.burstAttempts, minPerSecond: 2.5, maxFraction: 0.04)
        var start = plan.at(SimulationPlan.stuffingBurstStart)
        var first = 0
        for b in 0..<bursts {
            let size = campaign.burstAttempts / bursts + (b < campaign.burstAttempts % bursts ? 1 : 0)
            let ip = world.newAddress(SimulatedWorld.hosting, &rng)
            sources.append(
                StuffingScript(
                    campaign: campaign, index: b, ip: ip, first: first, stride: 1, limit: first + size,
                    start: start, intervalMs: burstInterval, rotatesAgents: false))
            first += size
            start += Int64(Double(size) * burstInterval) + 30_000 + Int64(rng.below(90_000))
        }
        // The wave: 20–60 addresses in all, each taking every `pool`-th remaining attempt.
        let waveAttempts = campaign.total - campaign.burstAttempts
        let pool = max(1, min(20 + rng.below(41) - bursts, waveAttempts / 3))
        let waveInterval = plan.intervalMs(count: waveAttempts, minPerSecond: 3, maxFraction: 0.12) * Double(pool)
        let waveStart = plan.at(SimulationPlan.stuffingWaveStart)
        for k in 0..<pool {
            let ip = world.newAddress(rng.chance(0.7) ? SimulatedWorld.hosting : SimulatedWorld.residential, &rng)
            sources.append(
                StuffingScript(
                    campaign: campaign, index: bursts + k, ip: ip, first: campaign.burstAttempts + k,
                    stride: pool, limit: campaign.total, start: waveStart + Int64(rng.below(Int(waveInterval) + 1)),
                    intervalMs: waveInterval, rotatesAgents: true))
        }
        sources.append(BruteForceScript(campaign: campaign))
        return sources
    }
}

/// Ground truth gathered while the scripts run, so it describes the log actually written.
final class TruthLedger {
    var attackerIPs: Set<String> = []
    var attackerClients: Set<String> = []
    var triedUsernames: Set<String> = []
    var compromised: Set<String> = []
    var bolaIDs: [Int] = []
    var shadowEndpoints: Set<GroundTruth.ShadowEndpoint> = []
    var compromisedKeys: [GroundTruth.CompromisedKey] = []
    var decoyIPs: [String] = []
    var decoyClients: [String] = []

    func truth(spec: SimulationSpec, world: SimulatedWorld) -> GroundTruth {
        GroundTruth(
            seed: spec.seed, scenarios: spec.resolvedScenarios, format: spec.format,
            attackers: .init(ips: attackerIPs.sorted(), clients: attackerClients.sorted()),
            accounts: .init(compromised: compromised.sorted(), targeted: triedUsernames.count),
            keys: .init(compromised: compromisedKeys),
            objects: bolaIDs.isEmpty ? [] : [.init(route: SimulatedAPI.order, ids: bolaIDs.sorted().map(String.init))],
            shadowEndpoints: shadowEndpoints.sorted { ($0.path, $0.method) < ($1.path, $1.method) },
            decoys: .init(ips: Set(decoyIPs).sorted(), clients: Set(decoyClients).sorted()))
    }
}
