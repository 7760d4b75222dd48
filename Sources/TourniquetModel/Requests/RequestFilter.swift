/// A filter over one subject's requests, typed by a responder in the drill-down (`/`) and run in
/// the database over all of them. Terms are separated by spaces and must all hold:
///
/// - `status=401`, `status=4xx`: the status, or its class;
/// - `method=POST`;
/// - `path~/admin`: the path contains the text;
/// - `ip=203.0.113.9`: the client address;
/// - `ua~curl`: the user agent contains the text;
/// - any other word: found in the path, query, user agent, address or client, or equal to the status.
///
/// Text is compared without regard to ASCII case.
public struct RequestFilter: Equatable, Sendable {
    public enum Term: Equatable, Sendable {
        case status(Int)
        case statusClass(Int)
        case method(String)
        case pathContains(String)
        case ip(String)
        case userAgentContains(String)
        case anywhere(String)
    }

    public var terms: [Term]
    /// The filter as typed, for headings.
    public var text: String

    public static let none = RequestFilter(terms: [], text: "")
    public var isEmpty: Bool { terms.isEmpty }

    public init(terms: [Term], text: String) {
        self.terms = terms
        self.text = text
    }

    /// Parses what a responder typed; a malformed term is refused with what it should look like.
    public static func parse(_ text: String) throws -> RequestFilter {
        var terms: [Term] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            terms.append(try term(word))
        }
        return RequestFilter(terms: terms, text: terms.isEmpty ? "" : text.trimmingCharacters(in: [" "]))
    }

    private static func term(_ word: String) throws -> Term {
        func value(after prefix: String) -> String? {
            guard word.lowercased().hasPrefix(prefix) else { return nil }
            return String(word.dropFirst(prefix.count))
        }
        if let v = value(after: "status=") {
            if let code = Int(v), (100...599).contains(code) { return .status(code) }
            let lower = v.lowercased()
            if lower.count == 3, lower.hasSuffix("xx"), let digit = Int(lower.prefix(1)), (1...5).contains(digit) { return .statusClass(digit) }
            throw RefusedRequest("status= takes a code (401) or a class (4xx), not '\(DisplayText.escaped(v))'")
        }
        if let v = value(after: "method=") {
            guard !v.isEmpty else { throw RefusedRequest("method= takes a method, such as POST") }
            return .method(v.uppercased())
        }
        if let v = value(after: "path~") {
            guard !v.isEmpty else { throw RefusedRequest("path~ takes text the path contains, such as /admin") }
            return .pathContains(v)
        }
        if let v = value(after: "ip=") {
            guard !v.isEmpty else { throw RefusedRequest("ip= takes an address") }
            return .ip(v)
        }
        if let v = value(after: "ua~") {
            guard !v.isEmpty else { throw RefusedRequest("ua~ takes text the user agent contains") }
            return .userAgentContains(v)
        }
        return .anywhere(word)
    }
}
