/// The incident report as sections of blocks, independent of the format: the Markdown and HTML
/// reports render the same outline, so they always say the same things.
public struct ReportSection: Sendable {
    public var id: String
    public var title: String
    public var blocks: [ReportBlock]
}

public enum ReportBlock: Sendable {
    case paragraph([Span])
    case list([[Span]])
    case table(header: [String], rows: [[[Span]]])
    /// Label and value pairs, shown as a two-column table.
    case facts([(label: String, value: [Span])])
    case subheading(String)
}

/// A run of text in a block. Only `plain` and `strong` carry Tourniquet's own words; everything
/// from the case (evidence, identities, responders' text) is a `value`, which each format fences.
public enum Span: Sendable {
    case plain(String)
    case strong(String)
    case value(String)
}

extension Span {
    static func values(_ items: [String], limit: Int, more: String) -> [Span] {
        guard !items.isEmpty else { return [.plain("none")] }
        var spans: [Span] = []
        for (i, item) in items.prefix(limit).enumerated() {
            if i > 0 { spans.append(.plain(", ")) }
            spans.append(.value(item))
        }
        if items.count > limit { spans.append(.plain(" and \(items.count - limit) more" + (more.isEmpty ? "" : " " + more))) }
        return spans
    }
}

extension Span {
    /// Values longer than this are cut in the Markdown and HTML reports (a 64 KiB user agent
    /// would bury the table); the JSON export keeps every character.
    static let valueLimit = 1_000

    static func clipped(_ text: String) -> String {
        guard text.count > valueLimit else { return text }
        return String(text.prefix(valueLimit)) + "… (\(text.count - valueLimit) more characters in the JSON export)"
    }
}
