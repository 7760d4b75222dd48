import TourniquetModel

/// The timeline as rows for other tools: plain CSV, Timesketch (JSON Lines or CSV) and the
/// DFIR-IRIS timeline CSV. One row per `TimelineEvent`, oldest first.
public enum TimelineFormats {
    // MARK: CSV

    public static let csvHeader = [
        "time", "source", "kind", "action", "finding", "actor", "target", "title", "content", "indicators", "assets", "details",
    ]

    public static func csv(_ report: IncidentReport) -> String {
        var out = CSVText.record(csvHeader)
        for e in report.events {
            out += CSVText.record([
                .text(UTCTime.format(ms: e.atMs)), .text(e.source.rawValue), .text(e.kind), e.actionID.map { .number($0) } ?? .text(""),
                .text(e.findingID ?? ""), .text(e.actor), .text(e.target), .text(e.title), .text(e.content),
                .text(e.indicators.joined(separator: " ")),
                .text(e.assets.joined(separator: " ")), .json(e.raw),
            ])
        }
        return out
    }

    // MARK: Timesketch

    /// The columns Timesketch requires for an import, then ours.
    public static let timesketchColumns = [
        "message", "datetime", "timestamp", "timestamp_desc", "case_id", "source", "kind", "action_id", "finding_id", "actor", "target",
        "indicators", "assets", "tag",
    ]

    /// JSON Lines: one object per event, `tag` a list.
    public static func timesketchJSONL(_ report: IncidentReport) -> String {
        report.events.map { e in
            var fields = timesketchFields(e, caseID: report.header.id).mapValues { JSONValue.string($0) }
            fields["timestamp"] = .int(e.atMs * 1000)
            fields["tag"] = .array(e.tags.map { .string($0) })
            // As text: a nested object's members change type from event to event, which a search index refuses.
            fields["details"] = .string(InertJSON.compact(e.raw))
            return InertJSON.compact(.fields(fields)) + "\n"
        }.joined()
    }

    public static func timesketchCSV(_ report: IncidentReport) -> String {
        var out = CSVText.record(timesketchColumns)
        for e in report.events {
            let fields = timesketchFields(e, caseID: report.header.id)
            out += CSVText.record(
                timesketchColumns.map { column -> CSVText.Cell in
                    switch column {
                    case "timestamp": return .number(e.atMs * 1000)
                    case "tag": return .text(e.tags.joined(separator: ","))
                    default: return .text(fields[column] ?? "")
                    }
                })
        }
        return out
    }

    static func timesketchFields(_ e: TimelineEvent, caseID: String) -> [String: String] {
        [
            "message": e.content.isEmpty ? e.title : "\(e.title): \(e.content)", "datetime": isoWithOffset(e.atMs),
            "timestamp_desc": timestampDescription(e), "case_id": caseID, "source": e.source.rawValue, "kind": e.kind,
            "action_id": e.actionID.map(String.init) ?? "", "finding_id": e.findingID ?? "", "actor": e.actor, "target": e.target,
            "indicators": e.indicators.joined(separator: " "), "assets": e.assets.joined(separator: " "),
        ]
    }

    static func timestampDescription(_ e: TimelineEvent) -> String {
        switch e.kind {
        case "finding.first_seen": return "First Seen"
        case "finding.last_seen": return "Last Seen"
        default: return "Action Recorded"
        }
    }

    /// `2026-11-29T08:30:00.123000+00:00`: ISO 8601 with microseconds and an explicit offset.
    static func isoWithOffset(_ ms: Int64) -> String {
        let text = UTCTime.format(ms: ms)  // 2026-11-29T08:30:00.123Z
        return String(text.dropLast()) + "000+00:00"
    }

    // MARK: DFIR-IRIS

    public static let irisHeader = [
        "event_date", "event_tz", "event_title", "event_category", "event_content", "event_raw", "event_source", "event_assets",
        "event_iocs", "event_tags",
    ]

    /// IRIS's timeline CSV: `event_date` as `%Y-%m-%dT%H:%M:%S.%f` in UTC, `event_tz` `+00:00`,
    /// tags separated by `|`. IRIS refuses an upload whose assets or IoCs are not already in its
    /// case, so they go into the content (and the raw JSON) rather than `event_assets`/`event_iocs`.
    public static func iris(_ report: IncidentReport) -> String {
        var out = CSVText.record(irisHeader)
        for e in report.events {
            out += CSVText.record([
                .literal(String(isoWithOffset(e.atMs).dropLast(6))), .literal("+00:00"), .text(e.title), .text(irisCategory(e)),
                .text(irisContent(e)), .json(e.raw), .text("Tourniquet case \(report.header.id)"), .text(""), .text(""),
                .text(e.tags.joined(separator: "|")),
            ])
        }
        return out
    }

    static func irisContent(_ e: TimelineEvent) -> String {
        var parts = [e.content]
        if !e.indicators.isEmpty { parts.append("indicators: " + e.indicators.joined(separator: ", ")) }
        if !e.assets.isEmpty { parts.append("assets: " + e.assets.joined(separator: ", ")) }
        return parts.filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// IRIS's event categories (its default list, MITRE ATT&CK tactics and a few of its own).
    static func irisCategory(_ e: TimelineEvent) -> String {
        if e.kind.hasPrefix("containment.") { return "Remediation" }
        guard e.source == .evidence, let detector = e.tags.dropFirst(2).first.flatMap(DetectorID.init(rawValue:)) else { return "Unspecified" }
        switch detector {
        case .credentialStuffing, .bruteForce, .passwordResetAbuse: return "Credential Access"
        case .bolaEnumeration, .scraping: return "Collection"
        case .pathProbing, .shadowEndpoint: return "Discovery"
        case .authzProbing: return "Privilege Escalation"
        case .geoAnomaly: return "Initial Access"
        }
    }
}
