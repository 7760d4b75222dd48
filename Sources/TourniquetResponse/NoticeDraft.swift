import TourniquetModel

/// What the case knows that a notice needs, gathered by the engine from the scope report, the
/// containment ledger and the clocks.
public struct NoticeFacts: Sendable {
    public var title: String
    public var attack: String
    public var window: String
    public var accountsCount: Int
    public var keysCount: Int
    public var data: String
    public var actions: String
    public var awareness: String

    public init(
        title: String, attack: String, window: String, accountsCount: Int, keysCount: Int, data: String, actions: String, awareness: String
    ) {
        self.title = title
        self.attack = attack
        self.window = window
        self.accountsCount = accountsCount
        self.keysCount = keysCount
        self.data = data
        self.actions = actions
        self.awareness = awareness
    }

    /// The regime's draft with each `{placeholder}` filled in; an unknown placeholder stays as
    /// written, so a typo in a user's regime shows in the draft instead of vanishing.
    public func fill(_ template: String) -> String {
        let values: [String: String] = [
            "title": title, "attack": attack, "window": window, "accounts_count": "\(accountsCount)", "keys_count": "\(keysCount)",
            "data": data, "actions": actions, "awareness": awareness,
        ]
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            out += values[name].map { DisplayText.sanitize($0).text } ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}

/// Recipient lists as CSV a spreadsheet opens safely: a cell that starts like a formula is
/// prefixed with `'`, so an attacker-chosen account name cannot run in the responder's sheet.
public enum RecipientCSV {
    public static func render(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(cell).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    static func cell(_ raw: String) -> String {
        var text = DisplayText.sanitize(raw).text
        if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) || first == "\u{FF1D}" { text = "'" + text }
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
