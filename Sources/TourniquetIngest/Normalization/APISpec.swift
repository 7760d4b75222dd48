import Foundation

/// What Tourniquet uses from an OpenAPI document: its path templates, base paths and deprecations.
public struct APISpec: Equatable, Sendable {
    public struct Operation: Equatable, Sendable {
        public var method: String
        public var path: String
        public var deprecated: Bool
        /// The document says the operation needs no credentials (`security: []`, or an empty
        /// requirement): its objects are anyone's to read. Without a `security` anywhere, unknown (false).
        public var isPublic: Bool
        public init(method: String, path: String, deprecated: Bool, isPublic: Bool = false) {
            self.method = method
            self.path = path
            self.deprecated = deprecated
            self.isPublic = isPublic
        }
    }

    public var version: String
    public var title: String
    public var paths: [String]
    public var basePaths: [String]
    public var operations: [Operation]

    public init(version: String, title: String, paths: [String], basePaths: [String], operations: [Operation]) {
        self.version = version
        self.title = title
        self.paths = paths
        self.basePaths = basePaths
        self.operations = operations
    }

    public var routeTable: RouteTable { RouteTable(specTemplates: paths, basePaths: basePaths) }

    /// The path of a server URL (`https://api.example.com/v2/` → `/v2`), with `{variables}`
    /// replaced by their defaults.
    public static func basePath(ofServerURL url: String, variables: [String: String] = [:]) -> String {
        var text = url
        for (name, value) in variables { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        if let scheme = text.range(of: "://") {
            let afterScheme = text[scheme.upperBound...]
            text = afterScheme.firstIndex(of: "/").map { String(afterScheme[$0...]) } ?? "/"
        }
        if let query = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = String(text[..<query]) }
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        return text.hasPrefix("/") ? text : "/" + text
    }
}
