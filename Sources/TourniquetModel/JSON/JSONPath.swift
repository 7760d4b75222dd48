/// A dotted key path split once, with every dotted join of its segments precomputed, so lookups
/// that must try flat (`"url.path"`) and nested (`"url": {"path"}`) forms only compare strings.
public struct JSONPath: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The path as written, e.g. `http.request.method`.
    public let dotted: String
    let segments: [String]
    /// `joins[i][k]` is `segments[i...i+k]` joined with `.`.
    let joins: [[String]]

    public init(_ dotted: String) {
        self.dotted = dotted
        let segments = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        self.segments = segments
        joins = segments.indices.map { i in (i..<segments.count).map { j in segments[i...j].joined(separator: ".") } }
    }

    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { dotted }

    public static func == (lhs: JSONPath, rhs: JSONPath) -> Bool { lhs.dotted == rhs.dotted }
    public func hash(into hasher: inout Hasher) { hasher.combine(dotted) }
}
