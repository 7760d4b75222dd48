import ArgumentParser
import Foundation
import TourniquetContainment
import TourniquetEngine
import TourniquetModel
import TourniquetStore

extension Tourniquet {
    struct GatewayCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "gateway", abstract: "The gateway's state: services, routes, consumers, credentials and policies.",
            subcommands: [Import.self, Show.self])

        struct Import: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Read a Kong decK file or an OpenAPI document into the case (secrets as fingerprints only).")
            @Argument(help: "The case file.") var casePath: String
            @Argument(help: "The decK file or OpenAPI document.") var file: String
            @Option(help: "kong or openapi (default: told from the file).") var kind: String?
            @Option(help: "Why.") var reason: String = "gateway state for the response"
            @OptionGroup var actorOptions: ActorOptions
            func run() throws {
                if let kind, !CaseEngine.gatewayKinds.contains(kind) { throw ValidationError("--kind: kong or openapi, not '\(kind)'") }
                let engine = try CaseEngine.open(path: casePath, context: actorOptions.context)
                guard case .recorded(let action) = try engine.execute(.importGateway(path: file, kind: kind, rationale: reason)) else { return }
                let details = (try? JSONLineReader.parse(action.details).get()) ?? .null
                let counts = ["services", "routes", "consumers", "credentials", "policies"].map {
                    "\(details[$0]?.int64Value ?? 0) \($0)"
                }
                print("imported \(DisplayText.sanitize(file).text) (action #\(action.id)): " + counts.joined(separator: ", "))
            }
        }

        struct Show: ParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The gateway state last imported.")
            @Argument(help: "The case file.") var casePath: String
            @Flag(help: "Print JSON.") var json = false
            func run() throws {
                guard let model = try CaseEngine.gatewayModel(of: CaseFile.openReadOnly(at: casePath)) else {
                    print("no gateway state yet (`tourniquet gateway import CASE FILE`)")
                    return
                }
                if json {
                    print(try JSONValueEncoder.encode(model).canonicalJSON)
                    return
                }
                func clean(_ s: String) -> String { DisplayText.sanitize(s).text }
                print("\(model.source) \(model.formatVersion ?? "")")
                for s in model.services { print("service \(clean(s.name)) \(clean(s.url ?? ""))") }
                for r in model.routes {
                    print(
                        "route \(clean(r.name)) \(clean(r.methods.joined(separator: ","))) \(clean(r.paths.joined(separator: ","))) → \(clean(r.service ?? "-"))"
                    )
                }
                for c in model.consumers {
                    let keys = model.credentials(of: c.username).map { "\($0.kind) \($0.fingerprint ?? $0.label ?? $0.id ?? "")" }
                    print(
                        "consumer \(clean(c.username))" + (c.contacts.isEmpty ? "" : " contacts \(clean(c.contacts.joined(separator: ", ")))")
                            + (keys.isEmpty ? "" : ": " + clean(keys.joined(separator: "; "))))
                }
                for p in model.policies { print("policy \(clean(p.plugin)) on \(clean(p.scope)) \(p.settings.canonicalJSON)") }
            }
        }
    }
}
