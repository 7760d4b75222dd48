import TourniquetModel
import Yams

/// One thing wrong with a playbook, where it is (1-based, as editors count) and what was expected.
public struct PlaybookProblem: Equatable, Sendable, CustomStringConvertible {
    public var path: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "\(DisplayText.sanitize(path).text):\(line):\(column): \(DisplayText.sanitize(message).text)" }
}

/// Reads a playbook from its YAML tree, collecting every problem rather than stopping at the first,
/// so that `playbook check` lists them all. The tree comes already bounded (the engine reads files).
public struct PlaybookReader {
    public let path: String
    /// Obligations a notify step may name; nil skips the check.
    public let knownObligations: Set<String>?
    private var fields: FieldReader
    public var problems: [PlaybookProblem] { fields.problems }

    public init(path: String, knownObligations: Set<String>?) {
        self.path = path
        self.knownObligations = knownObligations
        fields = FieldReader(path: path)
    }

    /// The playbook, or nil with `problems` saying why; a playbook is returned only when it has none.
    public mutating func read(_ root: Node) -> Playbook? {
        guard case .mapping = root else {
            fields.problem(root, "expected a mapping with tourniquet_playbook, id, title, version and steps")
            return nil
        }
        fields.allowOnly(root, ["tourniquet_playbook", "id", "title", "version", "description", "applies_to", "steps"], in: "a playbook")
        if let format = fields.require(root, "tourniquet_playbook", "the format version, 1") {
            if format.int != Playbook.formatVersion {
                fields.problem(format, "tourniquet_playbook \(format.string ?? "?") is not a format this version reads: expected 1")
            }
        }
        let id = fields.identifier(root, "id") ?? ""
        let title = fields.text(root, "title", required: true) ?? ""
        let version = fields.text(root, "version", required: true) ?? ""
        let description = fields.text(root, "description", required: false) ?? ""
        var detectors: [DetectorID] = []
        if let applies = root["applies_to"] {
            fields.allowOnly(applies, ["detectors"], in: "applies_to")
            for node in fields.sequence(applies["detectors"], "applies_to.detectors", "a list of detector names") {
                guard let name = node.string, let detector = DetectorID(rawValue: name) else {
                    fields.problem(
                        node,
                        "'\(node.string ?? "?")' is not a detector: expected one of \(DetectorID.allCases.map(\.rawValue).joined(separator: ", "))")
                    continue
                }
                detectors.append(detector)
            }
        }
        var steps: [Playbook.Step] = []
        var stepNodes: [Node] = []
        if let stepsNode = fields.require(root, "steps", "a list of steps") {
            stepNodes = fields.sequence(stepsNode, "steps", "a list of steps")
            if case .sequence(let items) = stepsNode, items.isEmpty { fields.problem(stepsNode, "expected at least one step") }
            for node in stepNodes { if let step = self.step(node) { steps.append(step) } }
        }
        let playbook = Playbook(id: id, title: title, version: version, description: description, detectors: detectors, steps: steps)
        checkReferences(playbook, stepsNode: root["steps"], nodes: stepNodes)
        return problems.isEmpty ? playbook : nil
    }

    // MARK: - Steps

    private mutating func step(_ node: Node) -> Playbook.Step? {
        guard case .mapping = node else {
            fields.problem(node, "expected a step: a mapping with id, kind and title")
            return nil
        }
        let id = fields.identifier(node, "id")
        let title = fields.text(node, "title", required: true)
        let detail = fields.text(node, "detail", required: false) ?? ""
        guard let kindNode = fields.require(node, "kind", "question, contain, checklist, decision or notify") else { return nil }
        let common = ["id", "kind", "title", "detail"]
        let kind: Playbook.Kind?
        switch kindNode.string {
        case "question":
            fields.allowOnly(node, common + ["answer", "next"], in: "a question step")
            let answer = question(node, "answer")
            let next = self.next(node)
            kind = answer.flatMap { a in next.map { .question(answer: a, next: $0) } }
        case "contain":
            fields.allowOnly(node, common + ["action", "from", "status", "duration", "next"], in: "a contain step")
            kind = contain(node).flatMap { c in next(node).map { .contain(c, next: $0) } }
        case "checklist":
            fields.allowOnly(node, common + ["next"], in: "a checklist step")
            kind = next(node).map { .checklist(next: $0) }
        case "decision":
            fields.allowOnly(node, common + ["options"], in: "a decision step")
            kind = options(node).map { .decision(options: $0) }
        case "notify":
            fields.allowOnly(node, common + ["obligation", "next"], in: "a notify step")
            let obligation = fields.identifier(node, "obligation")
            if let obligation, let known = knownObligations, !known.contains(obligation), let at = node["obligation"] {
                fields.problem(at, "'\(obligation)' is no notification regime: expected one of \(known.sorted().joined(separator: ", "))")
            }
            kind = obligation.flatMap { o in next(node).map { .notify(obligation: o, next: $0) } }
        default:
            fields.problem(kindNode, "'\(kindNode.string ?? "?")' is not a step kind: expected question, contain, checklist, decision or notify")
            kind = nil
        }
        guard let id, let title, let kind else { return nil }
        return Playbook.Step(id: id, title: title, detail: detail, kind: kind, line: node.mark?.line ?? 0)
    }

    private mutating func contain(_ node: Node) -> Playbook.ContainStep? {
        guard let actionNode = fields.require(node, "action", "block-ip, block-key, revoke-token or disable-endpoint") else { return nil }
        guard let action = actionNode.string.flatMap(Playbook.ContainStep.Action.init) else {
            fields.problem(
                actionNode,
                "'\(actionNode.string ?? "?")' is not a containment action: expected block-ip, block-key, revoke-token or disable-endpoint")
            return nil
        }
        guard let from = question(node, "from") else { return nil }
        if !action.accepts.contains(from), let at = node["from"] {
            fields.problem(
                at, "\(action.rawValue) cannot act on \(from.rawValue): expected \(action.accepts.map(\.rawValue).joined(separator: " or "))")
            return nil
        }
        var step = Playbook.ContainStep(action: action, from: from)
        if let status = node["status"] {
            guard action == .disableEndpoint else {
                fields.problem(status, "status is for disable-endpoint only")
                return nil
            }
            guard let code = status.int, code == 410 || code == 503 else {
                fields.problem(status, "expected 410 or 503")
                return nil
            }
            step.status = code
        }
        if let duration = node["duration"] {
            guard action == .blockIP || action == .revokeToken else {
                fields.problem(duration, "duration is for block-ip and revoke-token only")
                return nil
            }
            guard let ms = duration.string.flatMap(Durations.milliseconds) else {
                fields.problem(duration, "expected a duration such as 30m, 24h or 7d")
                return nil
            }
            step.durationMs = ms
        }
        return step
    }

    private mutating func options(_ node: Node) -> [Playbook.Option]? {
        guard let list = fields.require(node, "options", "a list of options, each with label and next") else { return nil }
        let nodes = fields.sequence(list, "options", "a list of options, each with label and next")
        if nodes.count < 2 {
            fields.problem(list, "a decision needs at least two options")
            return nil
        }
        var options: [Playbook.Option] = []
        for option in nodes {
            guard case .mapping = option else {
                fields.problem(option, "expected an option: a mapping with label and next")
                continue
            }
            fields.allowOnly(option, ["label", "next"], in: "an option")
            if let label = fields.text(option, "label", required: true), let next = next(option) { options.append(.init(label: label, next: next)) }
        }
        let labels = options.map(\.label)
        if Set(labels).count != labels.count { fields.problem(list, "two options have the same label") }
        return options.count == nodes.count ? options : nil
    }

    // MARK: - References

    /// Every `next` names a step or `end`; ids are unique; every step is reached from the first;
    /// and from every step some path ends (no loop without a way out).
    private mutating func checkReferences(_ playbook: Playbook, stepsNode: Node?, nodes: [Node]) {
        func at(_ step: Playbook.Step) -> Node? { nodes.first { $0.mark?.line == step.line } }
        var ids = Set<String>()
        for step in playbook.steps where !ids.insert(step.id).inserted {
            fields.problem(at(step)?["id"] ?? stepsNode, "a second step with the id '\(step.id)': expected each id once")
        }
        // Steps that did not read still have ids: a reference to one is not dangling.
        for node in nodes { if let id = node["id"]?.string { ids.insert(id) } }
        if ids.contains(Playbook.end) { fields.problem(stepsNode, "'end' is where a playbook ends and cannot be a step's id") }
        for step in playbook.steps {
            for target in step.successors where target != Playbook.end && !ids.contains(target) {
                let node = at(step)
                let place = node?["next"] ?? node?["options"] ?? node
                fields.problem(place, "step '\(step.id)' goes to '\(target)', which is no step of this playbook: expected a step id or end")
            }
        }
        guard problems.isEmpty, let first = playbook.steps.first else { return }
        var reached: Set<String> = [first.id]
        var queue = [first.id]
        while let id = queue.popLast() {
            for next in playbook.step(id)?.successors ?? [] where next != Playbook.end && reached.insert(next).inserted { queue.append(next) }
        }
        for step in playbook.steps where !reached.contains(step.id) {
            fields.problem(at(step), "step '\(step.id)' is never reached from the first step '\(first.id)'")
        }
        // Steps from which `end` can be reached, found backwards from `end`.
        var ends: Set<String> = []
        var changed = true
        while changed {
            changed = false
            for step in playbook.steps where !ends.contains(step.id) {
                if step.successors.contains(where: { $0 == Playbook.end || ends.contains($0) }) {
                    ends.insert(step.id)
                    changed = true
                }
            }
        }
        for step in playbook.steps where reached.contains(step.id) && !ends.contains(step.id) {
            fields.problem(at(step), "no path from step '\(step.id)' ends: its steps loop back without a way to end")
        }
    }

    // MARK: - Fields

    private mutating func next(_ node: Node) -> String? {
        guard let value = node["next"] else {
            fields.problem(node, "missing 'next': expected the id of the step that follows, or end")
            return nil
        }
        guard let string = value.string, !string.isEmpty else {
            fields.problem(value, "'next' must be a step id or end")
            return nil
        }
        return string
    }

    private mutating func question(_ node: Node, _ key: String) -> ScopeQuestion? {
        guard let value = fields.require(node, key, "a scope answer") else { return nil }
        guard let question = value.string.flatMap(ScopeQuestion.init) else {
            fields.problem(
                value,
                "'\(value.string ?? "?")' is not a scope answer: expected one of \(ScopeQuestion.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return question
    }
}
