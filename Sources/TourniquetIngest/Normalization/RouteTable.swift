/// Maps request paths to templated routes (`/v1/users/42` → `/v1/users/{id}`).
///
/// With an OpenAPI spec, paths match the spec's templates: a literal segment beats a parameter,
/// the `servers` base paths are stripped first, and a path the spec does not document is marked
/// undocumented (and templated heuristically so it still groups). Without a spec, ID-like segments
/// (numbers, UUIDs, long hex, long mixed tokens) become `{id}`.
public struct RouteTable: Sendable {
    public struct Match: Equatable, Sendable {
        public var route: String
        public var documented: Bool
    }

    /// One spec template, split into segments; `nil` marks a `{parameter}` segment.
    struct Template: Sendable {
        var text: String
        var segments: [String?]
        var literalCount: Int
    }

    private var templatesBySegmentCount: [Int: [Template]] = [:]
    private var basePaths: [String] = []
    public let hasSpec: Bool

    /// A table without a spec: heuristic templating only.
    public init() { hasSpec = false }

    /// A table from a spec's path templates and its servers' base paths (`/api/v2`).
    public init(specTemplates: [String], basePaths: [String]) {
        hasSpec = true
        self.basePaths = basePaths.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
        for text in specTemplates {
            let segments: [String?] = RouteTable.segments(of: text).map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}") ? nil : String(segment)
            }
            let template = Template(text: text, segments: segments, literalCount: segments.filter { $0 != nil }.count)
            templatesBySegmentCount[segments.count, default: []].append(template)
        }
        // Most literal segments first, so `/users/me` wins over `/users/{id}`.
        for key in templatesBySegmentCount.keys {
            templatesBySegmentCount[key]?.sort { ($0.literalCount, $1.text) > ($1.literalCount, $0.text) }
        }
    }

    /// The route for a request path (without its query).
    public func match(path: String) -> Match {
        guard hasSpec else { return Match(route: RouteTable.heuristicTemplate(path), documented: true) }
        var candidates = [path]
        for base in basePaths where path == base || path.hasPrefix(base + "/") {
            candidates.insert(String(path.dropFirst(base.count)).isEmpty ? "/" : String(path.dropFirst(base.count)), at: 0)
        }
        for candidate in candidates {
            let segments = RouteTable.segments(of: candidate)
            for template in templatesBySegmentCount[segments.count] ?? [] where RouteTable.matches(template, segments) {
                return Match(route: template.text, documented: true)
            }
        }
        return Match(route: RouteTable.heuristicTemplate(path), documented: false)
    }

    static func matches(_ template: Template, _ segments: [Substring]) -> Bool {
        for (pattern, segment) in zip(template.segments, segments) {
            if let literal = pattern, literal != segment { return false }
            if pattern == nil && segment.isEmpty { return false }
        }
        return true
    }

    static func segments(of path: String) -> [Substring] {
        var trimmed = Substring(path)
        if trimmed.first == "/" { trimmed = trimmed.dropFirst() }
        if trimmed.last == "/" { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? [] : trimmed.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// Replaces ID-like segments with `{id}`; everything else is kept as written.
    public static func heuristicTemplate(_ path: String) -> String {
        var copy = path
        return copy.withUTF8 { bytes -> String in
            guard bytes.contains(where: { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return path }
            var out: [UInt8] = []
            var changed = false
            var start = 0
            for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
                let segment = UnsafeBufferPointer(rebasing: bytes[start..<i])
                if isIdentifierLike(segment) {
                    if !changed {
                        out.reserveCapacity(bytes.count)
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<start]))
                        changed = true
                    }
                    out.append(contentsOf: "{id}".utf8)
                } else if changed {
                    out.append(contentsOf: segment)
                }
                if i < bytes.count && changed { out.append(UInt8(ascii: "/")) }
                start = i + 1
            }
            return changed ? String(decoding: out, as: UTF8.self) : path
        }
    }

    /// Numbers, UUIDs, long hex strings and long tokens mixing letters and digits (hashes, ULIDs, keys).
    static func isIdentifierLike(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 256 else { return false }
        var digits = 0
        var hexLetters = 0
        var otherLetters = 0
        var dashes = 0
        var other = 0
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): hexLetters += 1
            case UInt8(ascii: "g")...UInt8(ascii: "z"), UInt8(ascii: "G")...UInt8(ascii: "Z"): otherLetters += 1
            case UInt8(ascii: "-"), UInt8(ascii: "_"): dashes += 1
            default: other += 1
            }
        }
        if other > 0 { return false }
        if digits == bytes.count { return true }
        if bytes.count == 36 && dashes == 4 && otherLetters == 0 { return true }  // UUID
        if otherLetters == 0 && dashes == 0 && bytes.count >= 12 && digits > 0 { return true }  // hex id or hash
        if bytes.count >= 20 && digits >= 2 && (hexLetters + otherLetters) > 0 { return true }  // opaque token
        return false
    }
}
