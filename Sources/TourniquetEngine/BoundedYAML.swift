import CYaml
import Foundation
import TourniquetModel
import Yams

/// The one way Tourniquet reads YAML (and JSON read as YAML): bounded before a tree is built.
///
/// Evidence files are written by attackers. A 650-byte document of nested aliases ("billion
/// laughs") expands to a billion nodes once built into dictionaries and arrays, and deep nesting
/// overflows the builder's recursion. So libyaml's events are read first, counting every node the
/// tree would hold (an alias counts as the whole subtree it names), the aliases and the nesting
/// depth, and the document is refused as soon as one passes its limit. Only a document within all
/// limits is handed to Yams to build.
public enum BoundedYAML {
    /// What a document may hold; the defaults fit the largest public OpenAPI documents several times over.
    public struct Limits: Sendable {
        public var maxBytes: Int
        public var maxDepth: Int
        public var maxAliases: Int
        /// Nodes of the built tree, counting each alias as the nodes it repeats.
        public var maxNodes: Int

        public static let standard = Limits(maxBytes: 32 << 20, maxDepth: 256, maxAliases: 10_000, maxNodes: 2_000_000)

        public init(maxBytes: Int, maxDepth: Int, maxAliases: Int, maxNodes: Int) {
            self.maxBytes = maxBytes
            self.maxDepth = maxDepth
            self.maxAliases = maxAliases
            self.maxNodes = maxNodes
        }
    }

    /// Reads a file as text, refusing it before reading when it is larger than `limits.maxBytes`.
    public static func readText(path: String, limits: Limits = .standard) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw YAMLDocumentError(path: path, reason: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        guard Int(info.st_size) <= limits.maxBytes else {
            throw YAMLDocumentError(path: path, reason: "refused: \(info.st_size) bytes is more than the limit of \(limits.maxBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw YAMLDocumentError(path: path, reason: "cannot read the file") }
        return String(decoding: data, as: UTF8.self)
    }

    /// Builds the document's tree (`[String: Any]`, `[Any]`, scalars) once it is known to be within `limits`.
    public static func load(_ text: String, path: String, limits: Limits = .standard) throws -> Any? {
        try bounded(text, path: path, limits: limits) { try Yams.load(yaml: text) }
    }

    /// The document as Yams nodes, which keep their line numbers, once it is known to be within `limits`.
    public static func compose(_ text: String, path: String, limits: Limits = .standard) throws -> Node? {
        try bounded(text, path: path, limits: limits) { try Yams.compose(yaml: text) }
    }

    /// Checks the limits, then builds with Yams, its errors said plainly.
    private static func bounded<T>(_ text: String, path: String, limits: Limits, build: () throws -> T) throws -> T {
        try check(text, path: path, limits: limits)
        do {
            return try build()
        } catch let error as YamlError {
            throw YAMLDocumentError(path: path, reason: plainReason(error))
        } catch {
            throw YAMLDocumentError(path: path, reason: "not YAML or JSON")
        }
    }

    /// Walks the document's events without building anything, and throws at the first limit passed.
    static func check(_ text: String, path: String, limits: Limits) throws {
        let bytes = Array(text.utf8)
        guard bytes.count <= limits.maxBytes else {
            throw YAMLDocumentError(path: path, reason: "refused: \(bytes.count) bytes is more than the limit of \(limits.maxBytes)")
        }
        // libyaml's scanner reads flow collections ahead of the events, so it meets deep `[[[[…`
        // before the counter below does; its own limit (process-wide, 1000 by default) is set to ours.
        yaml_set_max_nest_level(Int32(clamping: limits.maxDepth))
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw YAMLDocumentError(path: path, reason: "cannot start the YAML reader") }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var counter = NodeCounter(limits: limits)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw YAMLDocumentError(path: path, reason: syntaxReason(parser, limits: limits))
                }
                defer { yaml_event_delete(&event) }
                if event.type == YAML_STREAM_END_EVENT { return }
                if let exceeded = counter.observe(event) { throw YAMLDocumentError(path: path, reason: exceeded) }
            }
        }
    }

    /// libyaml's own description of a syntax error, with where it is (1-based, as editors count).
    private static func syntaxReason(_ parser: yaml_parser_t, limits: Limits) -> String {
        let problem = parser.problem.map { String(cString: $0) } ?? "unreadable"
        if problem.hasPrefix("Maximum nesting level") { return NodeCounter.tooDeep(limits) }
        let mark = parser.problem_mark
        return "not YAML or JSON: \(problem) at line \(mark.line + 1), column \(mark.column + 1)"
    }

    /// Yams' errors quote the document around the problem; keep only the problem and its place.
    static func plainReason(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "not YAML or JSON: \(problem) at line \(mark.line), column \(mark.column)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "duplicate key '\(duplicates.first ?? "")' at line \(context.mark.line)"
        case .reader(let problem, _, _, _):
            return "not YAML or JSON: \(problem)"
        default:
            return "not YAML or JSON"
        }
    }
}

/// Counts what building the tree would cost, event by event, in constant time per event.
private struct NodeCounter {
    let limits: BoundedYAML.Limits
    /// Nodes in each open collection so far (aliases expanded), and the anchor it will be known by.
    private var open: [(nodes: Int, anchor: String?)] = []
    /// Expanded nodes of every anchored node seen; a later anchor of the same name replaces it, as in YAML.
    private var anchors: [String: Int] = [:]
    private var nodes = 0
    private var aliases = 0

    init(limits: BoundedYAML.Limits) { self.limits = limits }

    /// What was exceeded, or nil while the document stays within its limits.
    mutating func observe(_ event: yaml_event_t) -> String? {
        switch event.type {
        case YAML_SCALAR_EVENT:
            return add(1, anchor: name(event.data.scalar.anchor))
        case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
            let anchor = event.type == YAML_SEQUENCE_START_EVENT ? name(event.data.sequence_start.anchor) : name(event.data.mapping_start.anchor)
            open.append((1, anchor))
            nodes += 1
            if open.count > limits.maxDepth { return NodeCounter.tooDeep(limits) }
            return nodes > limits.maxNodes ? tooManyNodes : nil
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let closed = open.popLast() else { return nil }
            if let anchor = closed.anchor { anchors[anchor] = closed.nodes }
            // Already counted in `nodes` as its events arrived; only the parent's total grows.
            if !open.isEmpty { open[open.count - 1].nodes += closed.nodes }
            return nil
        case YAML_ALIAS_EVENT:
            aliases += 1
            if aliases > limits.maxAliases { return "refused: it has more than the limit of \(limits.maxAliases) aliases" }
            // An unknown alias is Yams' error to report; count it as one node.
            let size = name(event.data.alias.anchor).flatMap { anchors[$0] } ?? 1
            return add(size, anchor: nil)
        default:
            return nil
        }
    }

    static func tooDeep(_ limits: BoundedYAML.Limits) -> String { "refused: it nests deeper than the limit of \(limits.maxDepth) levels" }

    private var tooManyNodes: String {
        "refused: its aliases and values expand to more than the limit of \(limits.maxNodes) nodes (an alias bomb?)"
    }

    private mutating func add(_ size: Int, anchor: String?) -> String? {
        // `size` never exceeds maxNodes (larger anchors were refused when they closed), so this cannot overflow.
        nodes += size
        if let anchor { anchors[anchor] = size }
        if !open.isEmpty { open[open.count - 1].nodes += size }
        return nodes > limits.maxNodes ? tooManyNodes : nil
    }

    private func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// A YAML or JSON document that was not loaded, naming the file and the reason (or the limit passed).
public struct YAMLDocumentError: ResponderFacingError, Equatable {
    public var path: String
    public var reason: String
    public var exitCode: Int32 { 1 }
    public var description: String { "\(DisplayText.sanitize(path).text): \(DisplayText.sanitize(reason).text)" }
}

extension BoundedYAML {
    /// A composed YAML node as a JSON value: plain integers, booleans and nulls typed, every other
    /// scalar a string, keys that are not strings dropped, an alias null (composition resolved them).
    public static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let n = Int64(scalar.string) { return .int(n) }
                if scalar.string == "true" || scalar.string == "false" { return .bool(scalar.string == "true") }
                if ["null", "~", ""].contains(scalar.string) { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map { json($0) })
        case .mapping(let mapping):
            var fields: [String: JSONValue] = [:]
            for (key, value) in mapping {
                if let name = key.string, fields[name] == nil { fields[name] = json(value) }
            }
            return .fields(fields)
        case .alias: return .null
        }
    }
}
