import Foundation
import TourniquetModel
import Yams

/// Reads a notification regime (`playbooks/notifications/*.yaml`, described in docs/PLAYBOOKS.md),
/// collecting every problem with its line and column.
public struct RegimeReader {
    public static let formatVersion = 1
    private var fields: FieldReader
    public var problems: [PlaybookProblem] { fields.problems }

    public init(path: String) { fields = FieldReader(path: path) }

    public mutating func read(_ root: Node) -> NotificationRegime? {
        guard case .mapping = root else {
            fields.problem(root, "expected a mapping with tourniquet_notification, id, title, party and deadlines")
            return nil
        }
        fields.allowOnly(
            root,
            [
                "tourniquet_notification", "id", "title", "party", "recipient", "in_force", "voluntary", "note", "source", "business_calendar",
                "deadlines", "contents", "draft",
            ], in: "a notification regime")
        if let format = fields.require(root, "tourniquet_notification", "the format version, 1"), format.int != RegimeReader.formatVersion {
            fields.problem(format, "tourniquet_notification \(format.string ?? "?") is not a format this version reads: expected 1")
        }
        let id = fields.identifier(root, "id")
        let title = fields.text(root, "title", required: true)
        var party: NotificationRegime.Party?
        if let node = fields.require(root, "party", NotificationRegime.Party.allCases.map(\.rawValue).joined(separator: ", ")) {
            party = node.string.flatMap(NotificationRegime.Party.init)
            if party == nil {
                fields.problem(
                    node,
                    "'\(node.string ?? "?")' is not a party: expected \(NotificationRegime.Party.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let calendar = businessCalendar(root["business_calendar"])
        var deadlines: [NotificationRegime.Deadline] = []
        if let list = fields.require(root, "deadlines", "a list of deadlines") {
            for node in fields.sequence(list, "deadlines", "a list of deadlines") {
                if let deadline = self.deadline(node, earlier: deadlines.map(\.name), calendar: calendar) { deadlines.append(deadline) }
            }
        }
        let contents = fields.sequence(root["contents"], "contents", "a list of what the notice must hold").compactMap { node -> String? in
            if node.string == nil { fields.problem(node, "expected text") }
            return node.string
        }
        // The optional fields are read before the verdict, so a bad one is a problem too.
        let recipient = fields.text(root, "recipient", required: false) ?? ""
        let inForce = flag(root, "in_force", default: true)
        let voluntary = flag(root, "voluntary", default: false)
        let note = fields.text(root, "note", required: false) ?? ""
        let source = fields.text(root, "source", required: false) ?? ""
        let draft = fields.text(root, "draft", required: false) ?? ""
        guard let id, let title, let party, fields.problems.isEmpty else { return nil }
        return NotificationRegime(
            id: id, title: title, party: party, recipient: recipient, inForce: inForce, voluntary: voluntary, note: note, source: source,
            deadlines: deadlines, contents: contents, draft: draft, businessCalendar: calendar)
    }

    private mutating func flag(_ node: Node, _ key: String, default value: Bool) -> Bool {
        guard let field = node[key] else { return value }
        guard let bool = field.bool else {
            fields.problem(field, "'\(key)' must be true or false")
            return value
        }
        return bool
    }

    private mutating func businessCalendar(_ node: Node?) -> NotificationRegime.BusinessCalendar? {
        guard let node else { return nil }
        fields.allowOnly(node, ["time_zone", "holidays"], in: "business_calendar")
        guard let zoneName = fields.text(node, "time_zone", required: true) else { return nil }
        guard let zone = TimeZone(identifier: zoneName) else {
            fields.problem(node["time_zone"], "'\(zoneName)' is not a time zone: expected a name such as America/New_York")
            return nil
        }
        var holidays = Set<String>()
        for day in fields.sequence(node["holidays"], "holidays", "a list of dates, yyyy-mm-dd") {
            guard let text = day.string, text.count == 10, Timestamps.parseRFC3339(text + "T00:00:00Z") != nil else {
                fields.problem(day, "'\(day.string ?? "?")' is not a date: expected yyyy-mm-dd")
                continue
            }
            holidays.insert(text)
        }
        return .init(timeZone: zone, holidays: holidays)
    }

    private mutating func deadline(_ node: Node, earlier: [String], calendar: NotificationRegime.BusinessCalendar?) -> NotificationRegime.Deadline? {
        guard case .mapping = node else {
            fields.problem(node, "expected a deadline: a mapping with name and by (or text)")
            return nil
        }
        fields.allowOnly(node, ["name", "by", "text"], in: "a deadline")
        guard let name = fields.text(node, "name", required: true) else { return nil }
        var rules: [NotificationRegime.Rule] = []
        for rule in fields.sequence(node["by"], "by", "a list of rules such as {clock: awareness, hours: 72}") {
            guard case .mapping = rule else {
                fields.problem(rule, "expected a rule such as {clock: awareness, hours: 72}")
                continue
            }
            fields.allowOnly(rule, ["clock", "deadline", "hours", "days", "business_days", "months"], in: "a rule")
            let base: NotificationRegime.Rule.Base
            if let clock = rule["clock"]?.string {
                guard NotificationRegime.clocks.contains(clock) else {
                    fields.problem(rule["clock"], "'\(clock)' is not a clock: expected \(NotificationRegime.clocks.joined(separator: ", "))")
                    continue
                }
                base = .clock(clock)
            } else if let other = rule["deadline"]?.string {
                guard earlier.contains(other) else {
                    fields.problem(rule["deadline"], "'\(other)' is no earlier deadline of this regime: expected one of \(earlier)")
                    continue
                }
                base = .deadline(other)
            } else {
                fields.problem(rule, "missing 'clock' or 'deadline': expected what the time counts from")
                continue
            }
            let spans: [(String, (Int) -> NotificationRegime.Span)] = [
                ("hours", { .hours($0) }), ("days", { .days($0) }), ("business_days", { .businessDays($0) }), ("months", { .months($0) }),
            ]
            let given = spans.filter { rule[$0.0] != nil }
            guard given.count == 1, let amount = rule[given[0].0]?.int, amount > 0, amount <= 3650 else {
                fields.problem(rule, "expected exactly one of hours, days, business_days or months, a positive whole number")
                continue
            }
            if given[0].0 == "business_days" && calendar == nil {
                fields.problem(rule, "business days need the regime's business_calendar (time_zone and holidays)")
                continue
            }
            rules.append(.init(base: base, span: given[0].1(amount)))
        }
        let text = fields.text(node, "text", required: false) ?? ""
        if node["by"] == nil && text.isEmpty { fields.problem(node, "a deadline needs 'by' rules, or 'text' when it has no fixed time") }
        return .init(name: name, rules: rules, text: text)
    }
}
