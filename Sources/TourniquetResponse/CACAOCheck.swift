import TourniquetModel

/// What the CACAO JSON schemas cannot check, checked here: the start step exists and is a start,
/// every step a step names exists, an end is reached from every step on the way, agents and
/// extensions named are defined, and timestamps carry milliseconds.
public enum CACAOCheck {
    public static func problems(_ document: JSONValue) -> [String] {
        var problems: [String] = []
        guard case .object? = document["workflow"] else { return ["no workflow: expected a dictionary of steps"] }
        let workflow = members(document["workflow"])
        let steps = Dictionary(workflow, uniquingKeysWith: { first, _ in first })
        for key in ["created", "modified"] {
            guard let text = document[key]?.stringValue else {
                problems.append("no \(key) timestamp")
                continue
            }
            let fraction = text.split(separator: ".").last.map { $0.dropLast() } ?? ""
            if !text.contains(".") || fraction.count != 3 || !text.hasSuffix("Z") {
                problems.append("\(key) '\(text)' is not to the millisecond (…ss.sssZ)")
            }
        }
        guard let start = document["workflow_start"]?.stringValue, let startStep = steps[start] else {
            return problems + ["workflow_start names no step of the workflow"]
        }
        if startStep["type"]?.stringValue != "start" { problems.append("workflow_start \(start) is not a start step") }
        let agents = Set(keys(document["agent_definitions"]))
        let extensions = Set(keys(document["extension_definitions"]))
        for (id, step) in workflow {
            for next in successors(step) where steps[next] == nil { problems.append("step \(id) goes to \(next), which is no step of the workflow") }
            // The schemas mean to forbid these but cannot: their anyOf always has a passing branch.
            if step["on_completion"] != nil && (step["on_success"] != nil || step["on_failure"] != nil) {
                problems.append("step \(id) has on_completion and also on_success or on_failure")
            }
            if step["type"]?.stringValue == "end" && !successors(step).isEmpty { problems.append("end step \(id) goes on to another step") }
            if let agent = step["agent"]?.stringValue, !agents.contains(agent) {
                problems.append("step \(id) names agent \(agent), which is not defined")
            }
            for used in keys(step["step_extensions"]) where !extensions.contains(used) {
                problems.append("step \(id) uses extension \(used), which is not defined")
            }
        }
        // Every step reached from the start must reach an end.
        var reached: Set<String> = [start]
        var queue = [start]
        while let id = queue.popLast() {
            for next in successors(steps[id] ?? .null) where steps[next] != nil && reached.insert(next).inserted { queue.append(next) }
        }
        var ends = Set(reached.filter { steps[$0]?["type"]?.stringValue == "end" })
        if ends.isEmpty { problems.append("no end step is reached from the start") }
        var changed = true
        while changed {
            changed = false
            for id in reached where !ends.contains(id) && successors(steps[id] ?? .null).contains(where: ends.contains) {
                ends.insert(id)
                changed = true
            }
        }
        for id in reached.subtracting(ends).sorted() { problems.append("no path from step \(id) reaches an end") }
        return problems
    }

    /// The steps a step may go to next.
    static func successors(_ step: JSONValue) -> [String] {
        var out = ["on_completion", "on_success", "on_failure", "on_true", "on_false"].compactMap { step[$0]?.stringValue }
        if case .array(let next)? = step["next_steps"] { out += next.compactMap(\.stringValue) }
        for key in keys(step["cases"]) { if let id = step["cases"]?[key]?.stringValue { out.append(id) } }
        return out
    }

    static func keys(_ value: JSONValue?) -> [String] { members(value).map(\.0) }

    /// An object's members in order; nothing for anything else.
    public static func members(_ value: JSONValue?) -> [(String, JSONValue)] {
        guard case .object(let object)? = value else { return [] }
        return object.members.map { ($0.key, $0.value) }
    }
}
