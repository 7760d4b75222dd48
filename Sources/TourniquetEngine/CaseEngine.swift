import Foundation
import TourniquetModel
import TourniquetStore

/// Executes case commands and records each as one action. The only way a case changes.
public final class CaseEngine {
    public let caseFile: CaseFile
    public let context: CommandContext

    public init(caseFile: CaseFile, context: CommandContext) {
        self.caseFile = caseFile
        self.context = context
    }

    /// Opens a case for writing (integrity-checked) and returns an engine over it.
    public static func open(path: String, context: CommandContext) throws -> CaseEngine {
        CaseEngine(caseFile: try CaseFile.open(at: path, forWriting: true, actor: context.actor, clock: context.clock), context: context)
    }

    /// Creates a new case; the creation is the first action on its timeline.
    public static func createCase(
        at path: String, title: String, severity: Severity, detectedAtMs: Int64?, isDrill: Bool,
        context: CommandContext, ids: IDGenerator = .live
    ) throws -> CaseEngine {
        let now = context.clock.nowMs()
        let metadata = CaseMetadata(
            id: ids.caseID(), title: title, severity: severity, detectedAtMs: detectedAtMs ?? now, createdAtMs: now, isDrill: isDrill)
        let file = try CaseFile.create(at: path, metadata: metadata, actor: context.actor, clock: context.clock, fingerprintKey: ids.secretKey())
        return CaseEngine(caseFile: file, context: context)
    }

    /// Executes a command; when this returns, its action is committed.
    @discardableResult
    public func execute(_ command: CaseCommand) throws -> Action {
        switch command {
        case .note:
            return try caseFile.record(command.draft, actor: context.actor, clock: context.clock)
        case .setFindingState(let id, let state, let rationale):
            guard state != .new else { throw RefusedRequest("a finding can be confirmed or dismissed, not made new again") }
            guard !rationale.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw RefusedRequest("a rationale is required to \(state == .confirmed ? "confirm" : "dismiss") a finding")
            }
            return try caseFile.setFindingState(id, to: state, rationale: rationale, actor: context.actor, clock: context.clock)
        case .changeAllowlist(let add, let entry, let rationale):
            return try caseFile.changeAllowlist(add: add, entry, rationale: rationale, actor: context.actor, clock: context.clock)
        }
    }
}

/// Where case ids and per-case secret keys come from; injected so tests are repeatable.
public struct IDGenerator: Sendable {
    public var caseID: @Sendable () -> String
    public var secretKey: @Sendable () -> [UInt8]

    public init(caseID: @escaping @Sendable () -> String, secretKey: @escaping @Sendable () -> [UInt8]) {
        self.caseID = caseID
        self.secretKey = secretKey
    }

    public static let live = IDGenerator(
        caseID: { UUID().uuidString.lowercased() },
        secretKey: {
            var generator = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        })

    public static func test(seed: UInt8 = 1) -> IDGenerator {
        IDGenerator(caseID: { "00000000-0000-4000-8000-0000000000\(String(format: "%02x", seed))" },
                    secretKey: { Array(repeating: seed, count: 32) })
    }
}
