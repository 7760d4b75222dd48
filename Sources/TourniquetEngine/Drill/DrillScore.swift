import Foundation
import TourniquetDetection
import TourniquetModel
import TourniquetSimulation
import TourniquetStore

/// How a drill's response measures up against the simulated incident's truth.
///
/// What the responder **named** is what they confirmed (a finding's subject) or contained (a
/// measure in force): addresses, clients, keys and accounts. Each kind is scored by precision (how
/// much of what was named was an attacker's) and recall (how much of the truth was named). The
/// measures in force are replayed over the evidence together, for **leakage** (attack requests they
/// would still let through) and **collateral** (everyone else's requests and identities they stop).
/// The overall score is the mean of the precisions and recalls that apply and the share of attack
/// requests stopped, so a drill that follows the truth scores 1.
public struct DrillScore: Sendable {
    public struct Kind: Sendable {
        public var name: String
        public var truth: Int
        public var named: Int
        public var correct: Int
        public var missed: [String]
        public var wrong: [String]
        public var recall: Double? { truth == 0 ? nil : Double(truth - missed.count) / Double(truth) }
        public var precision: Double? { named == 0 ? nil : Double(correct) / Double(named) }
    }

    public var kinds: [Kind]
    public var attackRequests: Int64
    public var attackStopped: Int64
    public var benignStopped: Int64
    public var benignIdentities: Int
    /// Decoys (odd but innocent sources and clients) a measure or a confirmation hits.
    public var decoysHit: [String]
    /// From the case's detection to its first planned measure, and to the case marked contained.
    public var firstContainmentSeconds: Int64?
    public var containedSeconds: Int64?
    public var obligations: Int
    public var obligationsOnTime: Int
    public var stepsDone: Int
    public var stepsSkipped: Int
    public var playbooksFinished: Int
    public var playbooksStarted: Int
    /// Every playbook step recorded: which, how it ended, and when after detection.
    public var steps: [(playbook: String, step: String, outcome: String, seconds: Int64?)] = []

    public var attackStoppedShare: Double? { attackRequests == 0 ? nil : Double(attackStopped) / Double(attackRequests) }

    public var overall: Double {
        let parts = kinds.flatMap { [$0.recall, $0.precision] }.compactMap { $0 } + [attackStoppedShare].compactMap { $0 }
        return parts.isEmpty ? 0 : parts.reduce(0, +) / Double(parts.count)
    }

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue {
            value.map { .number(($0 * 10_000).rounded() / 10_000, raw: String(format: "%.4f", $0)) } ?? .null
        }
        return .fields([
            "overall": number(overall),
            "kinds": .array(
                kinds.map { kind in
                    .fields([
                        "name": .string(kind.name), "truth": .int(Int64(kind.truth)), "named": .int(Int64(kind.named)),
                        "correct": .int(Int64(kind.correct)), "recall": number(kind.recall), "precision": number(kind.precision),
                        "missed": .array(kind.missed.map { .string($0) }), "wrong": .array(kind.wrong.map { .string($0) }),
                    ])
                }),
            "leakage": .fields([
                "attack_requests": .int(attackRequests), "stopped": .int(attackStopped), "let_through": .int(attackRequests - attackStopped),
                "stopped_share": number(attackStoppedShare),
            ]),
            "collateral": .fields([
                "benign_requests": .int(benignStopped), "benign_identities": .int(Int64(benignIdentities)),
                "decoys_hit": .array(decoysHit.map { .string($0) }),
            ]),
            "time": .fields([
                "first_containment_seconds": firstContainmentSeconds.map { .int($0) } ?? .null,
                "contained_seconds": containedSeconds.map { .int($0) } ?? .null,
            ]),
            "obligations": .fields(["total": .int(Int64(obligations)), "on_time": .int(Int64(obligationsOnTime))]),
            "playbooks": .fields([
                "started": .int(Int64(playbooksStarted)), "finished": .int(Int64(playbooksFinished)), "steps_done": .int(Int64(stepsDone)),
                "steps_skipped": .int(Int64(stepsSkipped)),
                "steps": .array(
                    steps.map { step in
                        .fields([
                            "playbook": .string(step.playbook), "step": .string(step.step), "outcome": .string(step.outcome),
                            "seconds_after_detection": step.seconds.map { .int($0) } ?? .null,
                        ])
                    }),
            ]),
        ])
    }
}

extension CaseEngine {
    /// Scores the drill against `truth` and records the score as an action. `deadlines` gives, per
    /// obligation, the first deadline it had (nil when it had none), for counting those met in time.
    func scoreDrill(_ truth: GroundTruth, deadlines: [String: Int64?]) throws -> (DrillScore, Action) {
        guard caseFile.metadata.isDrill else { throw RefusedRequest("this case is not a drill: only a drill is scored against a truth") }
        let now = context.clock.nowMs()
        let inForce = try CaseEngine.ledger(of: caseFile, nowMs: now).inForce.map(\.measure)
        let named = try CaseEngine.named(caseFile, inForce: inForce)
        let redactor = try caseFile.secretRedactor()
        let truthIPs = truth.attackers.ips.compactMap { ip in IPAddress(ip).map { (ip, $0) } }
        let covered = Set(truthIPs.filter { _, address in named.networks.contains { $0.contains(address) } }.map(\.0))
        let addresses = DrillScore.Kind(
            name: "addresses", truth: truth.attackers.ips.count, named: named.networks.count,
            correct: named.networks.filter { network in truthIPs.contains { network.contains($0.1) } }.count,
            missed: truth.attackers.ips.filter { !covered.contains($0) }.sorted(),
            wrong: named.networks.filter { network in !truthIPs.contains { network.contains($0.1) } }.map(\.description).sorted())
        func kind(_ name: String, named: Set<String>, truth: Set<String>) -> DrillScore.Kind {
            DrillScore.Kind(
                name: name, truth: truth.count, named: named.count, correct: named.intersection(truth).count,
                missed: truth.subtracting(named).sorted(), wrong: named.subtracting(truth).sorted())
        }
        let trueKeys = Set(truth.keys.compromised.map { $0.secret.map(redactor.fingerprint) ?? $0.id })
        let kinds = [
            addresses, kind("clients", named: named.clients, truth: Set(truth.attackers.clients)), kind("keys", named: named.keys, truth: trueKeys),
            kind("accounts", named: named.accounts, truth: Set(truth.accounts.compromised)),
        ]

        let replay = try WhatIfReplay.together(
            caseFile, measures: inForce, attackerIPs: Set(truth.attackers.ips), attackerClients: Set(truth.attackers.clients))
        let decoysHit =
            truth.decoys.ips.filter { ip in IPAddress(ip).map { address in named.networks.contains { $0.contains(address) } } ?? false }
            + truth.decoys.clients.filter { named.clients.contains($0) }

        let actions = try caseFile.actions(ofKinds: [.containmentPlanned, .caseStatusChanged])
        let detected = caseFile.metadata.detectedAtMs
        func seconds(_ action: Action?) -> Int64? { action?.atMs.map { max(0, $0 - detected) / 1000 } }
        let firstPlanned = actions.first { $0.kind == ActionKind.containmentPlanned.rawValue }
        let contained = actions.first {
            $0.kind == ActionKind.caseStatusChanged.rawValue && (try? JSONLineReader.parse($0.details).get())?["to"]?.stringValue == "contained"
        }

        let ledger = try CaseEngine.notifications(of: caseFile)
        let onTime = ledger.obligations.filter { obligation in
            guard obligation.state.isMet else { return false }
            guard let due = deadlines[obligation.regime] ?? nil else { return true }
            return (Timestamps.parseRFC3339(obligation.changedAt)?.ms ?? .max) <= due
        }.count

        var done = 0
        var skipped = 0
        var walked: [(playbook: String, step: String, outcome: String, seconds: Int64?)] = []
        var started = 0
        var finished = 0
        let steps = try caseFile.actions(ofKinds: [.playbookStarted, .playbookStep])
        for action in steps {
            if action.kind == ActionKind.playbookStarted.rawValue { started += 1 }
            guard action.kind == ActionKind.playbookStep.rawValue, case .success(let details) = JSONLineReader.parse(action.details) else { continue }
            if details["outcome"]?.stringValue == "skipped" { skipped += 1 } else { done += 1 }
            walked.append(
                (details["playbook"]?.stringValue ?? "", details["step"]?.stringValue ?? "", details["outcome"]?.stringValue ?? "", seconds(action)))
            if details["next"]?.stringValue == Playbook.end { finished += 1 }
        }

        let score = DrillScore(
            kinds: kinds, attackRequests: replay.attack, attackStopped: replay.attackStopped, benignStopped: replay.benignStopped,
            benignIdentities: replay.benignIdentities, decoysHit: decoysHit, firstContainmentSeconds: seconds(firstPlanned),
            containedSeconds: seconds(contained), obligations: ledger.obligations.count, obligationsOnTime: onTime, stepsDone: done,
            stepsSkipped: skipped, playbooksFinished: finished, playbooksStarted: started, steps: walked)
        let action = try caseFile.record(
            ActionDraft(
                kind: .drillScored, target: "drill", details: score.json, rationale: "scored against the simulation's truth (seed \(truth.seed))"),
            actor: context.actor, clock: context.clock)
        return (score, action)
    }

    /// What a responder named on a case: confirmed findings' subjects and measures in force.
    public struct Named: Sendable {
        public var networks: [CIDR] = []
        public var clients = Set<String>()
        public var keys = Set<String>()
        public var accounts = Set<String>()
    }

    public static func named(_ caseFile: CaseFile, inForce: [ContainmentMeasure]) throws -> Named {
        var named = Named()
        var networks: [CIDR] = []
        for measure in inForce {
            switch measure {
            case .blockAddress(let network, _): networks.append(network)
            case .blockKey(let fingerprint, _): named.keys.insert(fingerprint)
            case .revokeTokens(.client(let client), _): named.clients.insert(client)
            case .revokeTokens(.subject(let subject, _), _): named.accounts.insert(subject)
            case .revokeTokens(.jti, _), .disableEndpoint: break
            }
        }
        for subject in try caseFile.findings().filter({ $0.state == .confirmed }).map(\.subject) {
            switch subject.kind {
            case .ip: if let single = CIDR(subject.value) { networks.append(single) }
            case .client: named.clients.insert(subject.value)
            case .account: named.accounts.insert(subject.value)
            case .key: named.keys.insert(subject.value)
            case .route: break
            }
        }
        for network in networks where !named.networks.contains(where: { $0.description == network.masked.description }) {
            named.networks.append(network.masked)
        }
        return named
    }
}
