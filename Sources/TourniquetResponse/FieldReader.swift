import TourniquetModel
import Yams

/// Reads fields of a YAML mapping for the response data files, collecting each problem with its
/// line and column instead of stopping at the first.
struct FieldReader {
    let path: String
    var problems: [PlaybookProblem] = []

    init(path: String) { self.path = path }

    static let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789-")

    mutating func require(_ node: Node, _ key: String, _ expected: String) -> Node? {
        if let value = node[key] { return value }
        problem(node, "missing '\(key)': expected \(expected)")
        return nil
    }

    mutating func text(_ node: Node, _ key: String, required: Bool) -> String? {
        guard let value = node[key] else {
            if required { problem(node, "missing '\(key)': expected text") }
            return nil
        }
        guard case .scalar = value, let string = value.string, !string.isEmpty else {
            problem(value, "'\(key)' must be text")
            return nil
        }
        return string
    }

    mutating func identifier(_ node: Node, _ key: String) -> String? {
        guard let value = text(node, key, required: true) else { return nil }
        guard value.count <= 64, value.allSatisfy({ FieldReader.idCharacters.contains($0) }) else {
            if let at = node[key] { problem(at, "'\(value)' is not an id: expected lower-case letters, digits and '-'") }
            return nil
        }
        return value
    }

    mutating func sequence(_ node: Node?, _ name: String, _ expected: String) -> [Node] {
        guard let node else { return [] }
        guard case .sequence(let items) = node else {
            problem(node, "'\(name)' must be a list: expected \(expected)")
            return []
        }
        return Array(items)
    }

    mutating func allowOnly(_ node: Node, _ keys: [String], in what: String) {
        guard case .mapping(let mapping) = node else { return }
        for (key, _) in mapping {
            guard let name = key.string, !keys.contains(name) else { continue }
            problem(key, "'\(name)' is not a field of \(what): expected \(keys.joined(separator: ", "))")
        }
    }

    mutating func problem(_ node: Node?, _ message: String) {
        problems.append(PlaybookProblem(path: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message))
    }
}
