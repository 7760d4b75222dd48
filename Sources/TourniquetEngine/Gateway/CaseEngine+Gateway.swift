import Foundation
import TourniquetContainment
import TourniquetIngest
import TourniquetModel
import TourniquetStore

extension CaseEngine {
    /// The gateway state kinds `gateway import` reads.
    public static let gatewayKinds = ["kong", "openapi"]
    /// How the neutral model is stored in `gateway_state`.
    static let gatewayModelKind = "gateway-model"

    /// Reads a Kong decK file or an OpenAPI document into the neutral model and keeps it in the
    /// case, with the file's digest; the file itself is not kept (it holds secrets). An OpenAPI
    /// document is also kept (redacted) as the spec later ingests template their routes with.
    func importGateway(path: String, kind: String?, rationale: String) throws -> Action {
        let text = try BoundedYAML.readText(path: path)
        let resolved = kind ?? CaseEngine.sniffGatewayKind(text)
        guard let resolved, CaseEngine.gatewayKinds.contains(resolved) else {
            throw RefusedRequest(
                "\(path): cannot tell what gateway state this is (a decK file starts with _format_version, an OpenAPI document has openapi:); "
                    + "say which with --kind kong|openapi")
        }
        let redactor = try caseFile.secretRedactor()
        var documents: [GatewayDocument] = []
        let model: GatewayModel
        switch resolved {
        case "kong":
            model = try DeckReader(path: path, fingerprint: redactor.fingerprint).read(text)
        default:
            let spec = try OpenAPILoader.parse(text, path: path)
            var openapi = GatewayModel(source: "openapi", formatVersion: nil)
            openapi.routes = spec.operations.map {
                .init(
                    name: "\($0.method) \($0.path)", id: nil, service: nil, paths: [$0.path], methods: [$0.method],
                    tags: $0.deprecated ? ["deprecated"] : [])
            }
            model = openapi
            documents.append(GatewayDocument(kind: "openapi", path: path, content: try OpenAPIRedaction.redact(text, path: path, redactor: redactor)))
        }
        let json = try JSONValueEncoder.encode(model)
        documents.append(GatewayDocument(kind: CaseEngine.gatewayModelKind, path: path, content: json.canonicalJSON))
        let details: JSONValue = .fields([
            "kind": .string(resolved), "path": .string(path), "sha256": .string(ContentDigest.sha256Hex(Array(text.utf8))),
            "services": .int(Int64(model.services.count)), "routes": .int(Int64(model.routes.count)),
            "consumers": .int(Int64(model.consumers.count)), "credentials": .int(Int64(model.credentials.count)),
            "policies": .int(Int64(model.policies.count)),
        ])
        return try caseFile.recordGatewayImport(
            documents, draft: ActionDraft(kind: .gatewayImported, target: path, details: details, rationale: rationale), actor: context.actor,
            clock: context.clock)
    }

    static func sniffGatewayKind(_ text: String) -> String? {
        for line in text.split(whereSeparator: \.isNewline).prefix(200) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("_format_version") || trimmed.hasPrefix("\"_format_version\"") { return "kong" }
            if trimmed.hasPrefix("openapi:") || trimmed.hasPrefix("\"openapi\"") { return "openapi" }
        }
        return nil
    }

    /// The latest imported gateway model, if any.
    public static func gatewayModel(of caseFile: CaseFile) throws -> GatewayModel? {
        guard let latest = try caseFile.gatewayState(kind: gatewayModelKind).first else { return nil }
        return try JSONValueDecoder.decode(GatewayModel.self, fromText: latest.content)
    }
}
