import ArgumentParser
import Foundation
import TourniquetDetection
import TourniquetEngine
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    /// `tourniquet contain CASE ACTION …`: the case comes first, as in every other command, so the
    /// actions are dispatched here rather than as ArgumentParser subcommands (which come first).
    struct Contain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan containment measures, list them, see what they would hit, and undo them.",
            discussion: """
                Actions: block-ip, block-key, disable-endpoint, revoke-token, undo, list, what-if \
                (`tourniquet contain CASE ACTION --help` tells each one's options).

                A measure is recorded with your reason and changes nothing on a gateway until `tourniquet apply` puts \
                every measure in force there at once. Blocks of an allowlisted, private or shared address, or of one \
                scope does not name, are refused unless --force gives your reason.
                """)

        static let actions: [String: ParsableCommand.Type] = [
            "block-ip": BlockIP.self, "block-key": BlockKey.self, "disable-endpoint": DisableEndpoint.self, "undo": Undo.self,
            "list": List.self, "what-if": WhatIf.self, "revoke-token": RevokeToken.self,
        ]

        @Argument(help: "The case file.") var casePath: String
        @Argument(help: "block-ip, block-key, disable-endpoint, revoke-token, undo, list or what-if.") var action: String
        @Argument(parsing: .captureForPassthrough, help: "The action's arguments and options.") var arguments: [String] = []

        func run() throws {
            guard let type = Contain.actions[action] else {
                throw RefusedRequest("'\(action)' is not an action of contain: " + Contain.actions.keys.sorted().joined(separator: ", "))
            }
            var command: ParsableCommand
            do {
                command = try type.parse([casePath] + arguments)
            } catch {
                // The action's own help and usage errors, not the whole tool's.
                guard type.exitCode(for: error) == .success else { throw RefusedRequest(type.message(for: error)) }
                print(type.helpMessage().replacingOccurrences(of: "USAGE: \(action) ", with: "USAGE: tourniquet contain \(action) "))
                return
            }
            try command.run()
        }

        struct BlockIP: ParsableCommand {
            static let configuration = CommandConfiguration(commandName: "block-ip", abstract: "Block an address or a CIDR range.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "An address (203.0.113.7) or range (203.0.113.0/24).") var address: String
            @Option(help: "Why.") var reason: String
            @Option(help: "How long the block lasts (90s, 30m, 12h, 7d); it is removed by the first apply after that.") var ttl: String?
            @Option(help: "Your reason for going ahead when a guard refuses.") var force: String?
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                guard let network = CIDR(address) else { throw ValidationError("'\(address)' is not an address or a CIDR range") }
                let expires = try ttl.map { try caseNow(casePath) + parseDuration($0) }
                try plan(.blockAddress(network: network.masked, expiresAtMs: expires), casePath, reason, force, actorOptions)
            }
        }

        struct BlockKey: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "block-key", abstract: "Block an API key, by its fingerprint or by the consumer whose compromised keys scope found.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "A key fingerprint (fp:…), a key id as the log names it, or a consumer name.") var key: String
            @Option(help: "Why.") var reason: String
            @Option(help: "Your reason for going ahead when a guard refuses.") var force: String?
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let measures = try keyMeasures(key, casePath: casePath)
                for measure in measures { try plan(measure, casePath, reason, force, actorOptions) }
            }
        }

        struct DisableEndpoint: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "disable-endpoint", abstract: "Answer an endpoint with 410 (gone) or 503 (down for now).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "\"METHOD ROUTE\", the route as scope names it: \"GET /v1/orders/{id}\".") var endpoint: String
            @Option(help: "410 or 503.") var status: Int
            @Option(help: "Why.") var reason: String
            @Option(help: "The body of the answer.") var message: String?
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let parts = endpoint.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("give the endpoint as \"METHOD ROUTE\", such as \"GET /v1/orders/{id}\"") }
                try plan(
                    .disableEndpoint(method: parts[0].uppercased(), route: parts[1], status: status, message: message), casePath, reason, nil,
                    actorOptions)
            }
        }

        struct RevokeToken: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "revoke-token",
                abstract: "Revoke tokens at the authorization server (apply --gateway oauth) and deny them at the gateway until they expire.",
                discussion:
                    "Kong denies a client's tokens through its consumer; nginx cannot read a token's claims, so an nginx apply leaves this out.")
            @Argument(help: "The case file.") var casePath: String
            @Option(help: "One token, by its JWT id.") var jti: String?
            @Option(help: "Every token of a subject (a user).") var subject: String?
            @Option(help: "With --subject: only tokens issued before this time (RFC 3339).") var issuedBefore: String?
            @Option(help: "Every token issued to an OAuth client (its consumer on Kong).") var consumer: String?
            @Option(name: .customLong("for"), help: "How long the gateway denies them: the longest lifetime of the tokens (90m, 24h, 7d).")
            var lifetime: String = "24h"
            @Option(help: "Why.") var reason: String
            @OptionGroup var actorOptions: ActorOptions

            func run() throws {
                let chosen = [jti, subject, consumer].compactMap { $0 }
                guard chosen.count == 1 else { throw ValidationError("give one of --jti, --subject or --consumer") }
                if issuedBefore != nil && subject == nil { throw ValidationError("--issued-before goes with --subject") }
                let selector: TokenSelector
                if let jti {
                    selector = .jti(jti)
                } else if let subject {
                    selector = .subject(subject, issuedBeforeMs: try issuedBefore.map { try parseCommandLineTime($0, option: "--issued-before") })
                } else {
                    selector = .client(consumer!)
                }
                try plan(.revokeTokens(selector, untilMs: caseNow(casePath) + parseDuration(lifetime)), casePath, reason, nil, actorOptions)
            }
        }

        struct Undo: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Take a measure back; the next apply removes it from the gateway.")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The measure's id, as `list` shows it.") var id: Int64
            @Option(help: "Why.") var reason: String
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard case .recorded(let action) = try engine.execute(.undoContainment(id: id, reason: reason)) else { return }
                print("undid measure #\(id) (action #\(action.id)); run `tourniquet apply` to remove it from the gateway")
            }
        }

        struct List: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Every measure and its state.")
            @Argument(help: "The case file.") var casePath: String
            @Flag(help: "Print JSON.") var json = false
            func run() throws {
                let file = try CaseFile.openReadOnly(at: casePath)
                let ledger = try CaseEngine.ledger(of: file, nowMs: CaseEngine.clock(for: file).nowMs())
                if json {
                    print(JSONValue.array(ledger.entries.map(\.json)).canonicalJSON)
                    return
                }
                if ledger.entries.isEmpty { print("no containment measures yet (`tourniquet contain CASE block-ip …` plans one)") }
                for entry in ledger.entries {
                    let gateway = entry.onGateway.map { $0 ? "on gateway" : "not on gateway" } ?? "gateway state unknown"
                    var line = "#\(entry.id)\t\(entry.state.rawValue)\t\(DisplayText.sanitize(entry.measure.summary).text)\t\(gateway)"
                    if !entry.note.isEmpty { line += "\t" + DisplayText.sanitize(entry.note).text }
                    print(line)
                    print("\treason: \(DisplayText.sanitize(entry.reason).text) (\(DisplayText.sanitize(entry.actor).text), \(entry.plannedAt))")
                }
                let stale = ledger.toRemove
                if !stale.isEmpty { print("\(stale.count) expired or undone measures are still on the gateway: the next apply removes them") }
            }
        }

        struct WhatIf: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "what-if",
                abstract: "Replay the case's evidence through the measures in force: what each stops, and whom else it hits.")
            @Argument(help: "The case file.") var casePath: String
            @Flag(help: "Print JSON.") var json = false
            func run() throws {
                let file = try CaseFile.openReadOnly(at: casePath)
                let entries = try CaseEngine.ledger(of: file, nowMs: CaseEngine.clock(for: file).nowMs()).inForce
                let figures = try CaseEngine.whatIf(file, measures: entries.map(\.measure))
                if json {
                    let rows = zip(entries, figures).map { entry, f in
                        JSONValue.fields(["id": .int(entry.id), "measure": entry.measure.details, "what_if": f.json])
                    }
                    print(JSONValue.array(rows).canonicalJSON)
                    return
                }
                if entries.isEmpty { print("no measures in force") }
                for (entry, f) in zip(entries, figures) {
                    print("#\(entry.id)\t\(DisplayText.sanitize(entry.measure.summary).text)")
                    print(
                        "\tstops \(f.requests) requests: \(f.attackerRequests) attackers', \(f.benignRequests) others' "
                            + "(\(f.benignIdentities) identities, \(f.benignUserAgents) user agents)")
                    if !f.benignSample.isEmpty {
                        print("\talso hits: " + f.benignSample.map { DisplayText.sanitize($0).text }.joined(separator: ", "))
                    }
                }
            }
        }
    }
}

private func plan(_ measure: ContainmentMeasure, _ casePath: String, _ reason: String, _ force: String?, _ actor: ActorOptions) throws {
    let engine = try CaseEngine.open(path: casePath, context: actor.context)
    guard case .recorded(let action) = try engine.execute(.planContainment(measure, reason: reason, force: force)) else { return }
    // The figures the engine measured for the guards are in the action: no second pass over the evidence.
    let whatIf = (try? JSONLineReader.parse(action.details).get())?["what_if"]
    func figure(_ key: String) -> Int64 { whatIf?[key]?.int64Value ?? 0 }
    print("planned measure #\(action.id): \(DisplayText.sanitize(measure.summary).text)")
    print(
        "  in the evidence it stops \(figure("requests")) requests: \(figure("attacker_requests")) attackers', "
            + "\(figure("benign_requests")) others' (\(figure("benign_identities")) identities)")
    print("  run `tourniquet apply` to put it on the gateway")
}

/// A fingerprint as it is, or a consumer's keys: from the imported gateway state (every key-auth
/// credential it has), else the compromised keys the latest scope run found for it.
private func keyMeasures(_ key: String, casePath: String) throws -> [ContainmentMeasure] {
    if key.hasPrefix("fp:") { return [.blockKey(fingerprint: key, consumer: nil)] }
    let file = try CaseFile.openReadOnly(at: casePath)
    // A key as the log names it: an AWS apiKeyId, a Kong credential id.
    if try file.subjectStats(.apiKey, value: key) != nil { return [.blockKey(fingerprint: key, consumer: nil)] }
    if let model = try CaseEngine.gatewayModel(of: file), model.consumers.contains(where: { $0.username == key }) {
        let keys = model.credentials(of: key).filter { $0.kind == "key-auth" }.compactMap(\.fingerprint)
        guard !keys.isEmpty else { throw ValidationError("the gateway state gives '\(key)' no key-auth credential") }
        return keys.map { .blockKey(fingerprint: $0, consumer: key) }
    }
    guard let latest = try file.latestScopeReport() else {
        throw ValidationError("'\(key)' is no consumer of the imported gateway state and no scope has run: give the key's fingerprint")
    }
    let report = try ScopeReportDocument.decode(latest.json)
    let keys = report.credentials.compromised.filter { $0.field == .apiKey && $0.consumers.contains(key) }.map(\.credential)
    guard !keys.isEmpty else {
        throw ValidationError(
            "'\(key)' is no consumer of the imported gateway state, and scope found no compromised key of it: give the key's fingerprint")
    }
    return keys.map { .blockKey(fingerprint: $0, consumer: key) }
}

/// `90s`, `30m`, `12h`, `7d` in milliseconds.
func parseDuration(_ text: String) throws -> Int64 {
    guard let milliseconds = Durations.milliseconds(text) else { throw ValidationError("'\(text)' is not a duration such as 90s, 30m, 12h or 7d") }
    return milliseconds
}

extension ContainmentEntry {
    var json: JSONValue {
        .fields([
            "id": .int(id), "measure": measure.details, "summary": .string(measure.summary), "state": .string(state.rawValue),
            "on_gateway": onGateway.map { .bool($0) } ?? .null, "reason": .string(reason), "actor": .string(actor), "planned_at": .string(plannedAt),
            "forced": forced.map { .string($0) } ?? .null, "note": .string(note), "undone_by": undoneBy.map { .int($0) } ?? .null,
            "last_apply": lastApply.map { .int($0) } ?? .null,
        ])
    }
}
