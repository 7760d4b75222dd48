import TourniquetModel

/// A CACAO v2.0 playbook read back into Tourniquet's form. Steps that carry Tourniquet's step
/// extension come back exactly; others are mapped as far as they go: `action` steps become
/// checklist items (their commands in the detail, since their parameters cannot be known),
/// `switch-condition` and `if-condition` steps become decisions. Parallel, while and
/// playbook-action steps have no Tourniquet form and are refused with the step named.
public enum CACAOImport {
    public struct Refusal: ResponderFacingError {
        public var description: String
        public var exitCode: Int32 { 1 }
    }

    public static func playbook(_ document: JSONValue) throws -> Playbook {
        guard document["type"]?.stringValue == "playbook", document["spec_version"]?.stringValue == "cacao-2.0" else {
            throw Refusal(description: "not a CACAO 2.0 playbook (type playbook, spec_version cacao-2.0)")
        }
        let problems = CACAOCheck.problems(document)
        guard problems.isEmpty else { throw Refusal(description: "the CACAO playbook is not consistent: " + problems.joined(separator: "; ")) }
        let steps = Dictionary(CACAOCheck.members(document["workflow"]), uniquingKeysWith: { first, _ in first })
        let ours = document["playbook_extensions"]?[CACAOExport.extensionID]
        let name = document["name"]?.stringValue ?? "Imported playbook"
        let id = ours?["id"]?.stringValue ?? slug(name)

        // Tourniquet ids for every step reached, in the order the workflow walks them.
        var order: [String] = []
        var seen = Set<String>()
        var queue = [document["workflow_start"]?.stringValue ?? ""]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            guard seen.insert(next).inserted, let step = steps[next] else { continue }
            if !["start", "end"].contains(step["type"]?.stringValue ?? "") { order.append(next) }
            queue += CACAOCheck.successors(step)
        }
        var names: [String: String] = [:]
        for (index, key) in order.enumerated() {
            let step = steps[key]!
            var candidate =
                step["step_extensions"]?[CACAOExport.extensionID]?["id"]?.stringValue ?? slug(step["name"]?.stringValue ?? "step-\(index + 1)")
            if candidate.isEmpty || names.values.contains(candidate) { candidate = "step-\(index + 1)" }
            names[key] = candidate
        }
        func tourniquetID(_ target: String) -> String {
            steps[target]?["type"]?.stringValue == "end" ? Playbook.end : names[target] ?? Playbook.end
        }

        var out: [Playbook.Step] = []
        for key in order {
            let step = steps[key]!
            let title = step["name"]?.stringValue ?? names[key]!
            let detail = step["description"]?.stringValue ?? ""
            if let fields = step["step_extensions"]?[CACAOExport.extensionID], let kind = exact(fields) {
                out.append(.init(id: names[key]!, title: title, detail: detail, kind: kind))
                continue
            }
            switch step["type"]?.stringValue {
            case "action":
                let commands = (step["commands"]?.arrayValue ?? []).map { command -> String in
                    let type = command["type"]?.stringValue ?? "?"
                    return "\(type): \(command["command"]?.stringValue ?? command["description"]?.stringValue ?? "")"
                }
                let imported = ([detail] + commands.map { "imported command — \($0)" }).filter { !$0.isEmpty }.joined(separator: "; ")
                out.append(
                    .init(
                        id: names[key]!, title: title, detail: imported,
                        kind: .checklist(next: tourniquetID(step["on_completion"]?.stringValue ?? step["on_success"]?.stringValue ?? ""))))
            case "switch-condition":
                let options = CACAOCheck.members(step["cases"]).map { Playbook.Option(label: $0.0, next: tourniquetID($0.1.stringValue ?? "")) }
                out.append(.init(id: names[key]!, title: title, detail: detail, kind: .decision(options: options)))
            case "if-condition":
                let options = [
                    Playbook.Option(label: "true", next: tourniquetID(step["on_true"]?.stringValue ?? "")),
                    Playbook.Option(label: "false", next: tourniquetID(step["on_false"]?.stringValue ?? step["on_completion"]?.stringValue ?? "")),
                ]
                out.append(.init(id: names[key]!, title: title, detail: detail, kind: .decision(options: options)))
            default:
                throw Refusal(description: "step \(key) is a \(step["type"]?.stringValue ?? "?") step, which Tourniquet's playbooks cannot express")
            }
        }
        // Tourniquet's own export lists its steps in the file's order; the walk may differ at branches.
        let written = (ours?["steps"]?.arrayValue ?? []).compactMap(\.stringValue)
        if Set(written) == Set(out.map(\.id)) && written.count == out.count {
            out.sort { written.firstIndex(of: $0.id)! < written.firstIndex(of: $1.id)! }
        }
        let detectors = (ours?["detectors"]?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(DetectorID.init) }
        return Playbook(
            id: id, title: name, version: ours?["version"]?.stringValue ?? "1", description: document["description"]?.stringValue ?? "",
            detectors: detectors, steps: out)
    }

    /// The step's Tourniquet form from the extension. Its `next` names are Tourniquet ids already,
    /// and the import's own check finds any that name no step.
    static func exact(_ fields: JSONValue) -> Playbook.Kind? {
        func next() -> String { fields["next"]?.stringValue ?? Playbook.end }
        switch fields["kind"]?.stringValue {
        case "question":
            guard let answer = fields["answer"]?.stringValue.flatMap(ScopeQuestion.init) else { return nil }
            return .question(answer: answer, next: next())
        case "contain":
            guard let action = fields["action"]?.stringValue.flatMap(Playbook.ContainStep.Action.init),
                let from = fields["from"]?.stringValue.flatMap(ScopeQuestion.init)
            else { return nil }
            var contain = Playbook.ContainStep(action: action, from: from)
            if let status = fields["status"]?.int64Value { contain.status = Int(status) }
            contain.durationMs = fields["duration"]?.stringValue.flatMap(Durations.milliseconds)
            return .contain(contain, next: next())
        case "checklist":
            return .checklist(next: next())
        case "notify":
            guard let obligation = fields["obligation"]?.stringValue else { return nil }
            return .notify(obligation: obligation, next: next())
        case "decision":
            let options = (fields["options"]?.arrayValue ?? []).compactMap { option -> Playbook.Option? in
                guard let label = option["label"]?.stringValue, let next = option["next"]?.stringValue else { return nil }
                return Playbook.Option(label: label, next: next)
            }
            return options.count >= 2 ? .decision(options: options) : nil
        default:
            return nil
        }
    }

    /// A Tourniquet id from a name: lower-case letters, digits and single dashes.
    static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String(out.prefix(64))
    }
}

/// Writes a playbook in Tourniquet's YAML form (docs/PLAYBOOKS.md), every text double-quoted so
/// nothing in it can change the structure.
public enum PlaybookYAML {
    public static func render(_ playbook: Playbook) -> String {
        var lines = [
            "tourniquet_playbook: \(Playbook.formatVersion)", "id: \(playbook.id)", "title: \(quoted(playbook.title))",
            "version: \(quoted(playbook.version))",
        ]
        if !playbook.description.isEmpty { lines.append("description: \(quoted(playbook.description))") }
        if !playbook.detectors.isEmpty {
            lines += ["applies_to:", "  detectors: [\(playbook.detectors.map(\.rawValue).joined(separator: ", "))]"]
        }
        lines.append("steps:")
        for step in playbook.steps {
            lines += ["  - id: \(step.id)", "    kind: \(step.kindName)", "    title: \(quoted(step.title))"]
            if !step.detail.isEmpty { lines.append("    detail: \(quoted(step.detail))") }
            switch step.kind {
            case .question(let answer, let next):
                lines += ["    answer: \(answer.rawValue)", "    next: \(next)"]
            case .contain(let contain, let next):
                lines += ["    action: \(contain.action.rawValue)", "    from: \(contain.from.rawValue)"]
                if contain.action == .disableEndpoint { lines.append("    status: \(contain.status)") }
                if let ms = contain.durationMs { lines.append("    duration: \(duration(ms))") }
                lines.append("    next: \(next)")
            case .checklist(let next):
                lines.append("    next: \(next)")
            case .notify(let obligation, let next):
                lines += ["    obligation: \(obligation)", "    next: \(next)"]
            case .decision(let options):
                lines.append("    options:")
                for option in options { lines += ["      - label: \(quoted(option.label))", "        next: \(option.next)"] }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The largest whole unit: 86400000 → `1d`, 5400000 → `90m`.
    public static func duration(_ ms: Int64) -> String {
        // Days only from two on: `24h` reads better than `1d` in a playbook.
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000)] where ms % size == 0 && (unit != "d" || ms >= 2 * size) {
            return "\(ms / size)\(unit)"
        }
        return "\(max(1, ms / 1000))s"
    }

    /// A YAML double-quoted scalar: quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) || scalar.value == 0x2028
                    || scalar.value == 0x2029
                {
                    out += "\\u" + String(scalar.value, radix: 16).leftPadded(4)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
