/// A playbook: the steps a responder walks through for one kind of incident, as data
/// (`playbooks/*.yaml`, format described in docs/PLAYBOOKS.md). Steps run in order from the first,
/// each naming the one after it (`next`), or branching (a decision's options); `end` ends.
public struct Playbook: Equatable, Sendable {
    /// The format this reader understands (`tourniquet_playbook: 1`).
    public static let formatVersion = 1
    public static let end = "end"

    public var id: String
    public var title: String
    public var version: String
    public var description: String
    /// The detectors whose findings make this playbook fit a case.
    public var detectors: [DetectorID]
    public var steps: [Step]

    public init(id: String, title: String, version: String, description: String, detectors: [DetectorID], steps: [Step]) {
        self.id = id
        self.title = title
        self.version = version
        self.description = description
        self.detectors = detectors
        self.steps = steps
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }

    public struct Step: Equatable, Sendable {
        public var id: String
        public var title: String
        public var detail: String
        public var kind: Kind
        /// Where the source file defines the step, for messages.
        public var line: Int

        public init(id: String, title: String, detail: String = "", kind: Kind, line: Int = 0) {
            self.id = id
            self.title = title
            self.detail = detail
            self.kind = kind
            self.line = line
        }

        /// The steps this one may lead to.
        public var successors: [String] {
            switch kind {
            case .question(_, let next), .contain(_, let next), .checklist(let next), .notify(_, let next): return [next]
            case .decision(let options): return options.map(\.next)
            }
        }

        public var kindName: String {
            switch kind {
            case .question: return "question"
            case .contain: return "contain"
            case .checklist: return "checklist"
            case .decision: return "decision"
            case .notify: return "notify"
            }
        }
    }

    public enum Kind: Equatable, Sendable {
        /// A question the scope report answers.
        case question(answer: ScopeQuestion, next: String)
        /// Containment measures, one per value the named answer gives.
        case contain(ContainStep, next: String)
        /// Something to do and tick off.
        case checklist(next: String)
        /// A choice whose options branch.
        case decision(options: [Option])
        /// A notification obligation to open (a regime of `playbooks/notifications`).
        case notify(obligation: String, next: String)
    }

    public struct Option: Equatable, Sendable {
        public var label: String
        public var next: String

        public init(label: String, next: String) {
            self.label = label
            self.next = next
        }
    }

    /// A containment step: which action, and the answer whose values become its parameters.
    public struct ContainStep: Equatable, Sendable {
        public enum Action: String, CaseIterable, Sendable {
            case blockIP = "block-ip"
            case blockKey = "block-key"
            case revokeToken = "revoke-token"
            case disableEndpoint = "disable-endpoint"

            /// The answers whose values this action takes.
            public var accepts: [ScopeQuestion] {
                switch self {
                case .blockIP: return [.attackerSources]
                case .blockKey: return [.compromisedKeys]
                case .revokeToken: return [.compromisedAccounts, .campaignLogins, .attackerClients]
                case .disableEndpoint: return [.exploitedEndpoints, .targetedEndpoints, .shadowEndpoints]
                }
            }
        }

        public var action: Action
        public var from: ScopeQuestion
        /// disable-endpoint: 410 or 503.
        public var status: Int
        /// block-ip and revoke-token: how long the measure lasts, in milliseconds.
        public var durationMs: Int64?

        public init(action: Action, from: ScopeQuestion, status: Int = 503, durationMs: Int64? = nil) {
            self.action = action
            self.from = from
            self.status = status
            self.durationMs = durationMs
        }
    }
}
