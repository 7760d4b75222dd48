import TourniquetModel

/// The HTML report's timeline chart, as inline SVG: one bar per finding from its first to its
/// last activity (the most severe first), a row of ticks for the responders' actions, and lines
/// at detection, first containment, containment and closing.
enum TimelineChart {
    static let lanes = 16
    static let width = 1000
    static let labelWidth = 240
    static let laneHeight = 18

    static func svg(_ report: IncidentReport) -> String {
        let candidates = report.findings.filter { $0.state != .dismissed }.sorted(by: Finding.mostSevereFirst)
        let shown = candidates.prefix(lanes)
        let actionTimes: [(action: Action, ms: Int64)] = report.actions.compactMap { action in action.atMs.map { (action, $0) } }
        let times: [Int64] = shown.flatMap { [$0.firstMs, $0.lastMs] } + actionTimes.map { $0.ms } + [report.header.detectedAtMs]
        guard var start = times.min(), var end = times.max() else { return "" }
        if end - start < 60_000 {
            start -= 30_000
            end += 30_000
        }
        let plot = Double(width - labelWidth - 20)
        let span = Double(end - start)
        func x(_ ms: Int64) -> Int {
            let fraction = Double(ms - start) / span
            return labelWidth + Int((fraction * plot).rounded())
        }
        let top = 46
        let height = top + (shown.count + 1) * laneHeight + 40
        var out = "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\""
        out += " role=\"img\" aria-label=\"Timeline of the attack and the response\" font-family=\"sans-serif\" font-size=\"11\">"
        out += "<rect width=\"\(width)\" height=\"\(height)\" fill=\"#fff\"/>"
        // The time axis, five ticks.
        let axisY = height - 22
        out += "<line x1=\"\(labelWidth)\" y1=\"\(axisY)\" x2=\"\(width - 20)\" y2=\"\(axisY)\" stroke=\"#57606a\"/>"
        for i in 0...4 {
            let ms = start + (end - start) * Int64(i) / 4
            let anchor = i == 0 ? "start" : i == 4 ? "end" : "middle"
            out += "<line x1=\"\(x(ms))\" y1=\"\(axisY)\" x2=\"\(x(ms))\" y2=\"\(axisY + 4)\" stroke=\"#57606a\"/>"
            out += "<text x=\"\(x(ms))\" y=\"\(axisY + 16)\" text-anchor=\"\(anchor)\">\(HTMLText.escape(axisLabel(ms, span: end - start)))</text>"
        }
        var y = top
        for finding in shown {
            let label = "\(finding.subject.kind.rawValue) \(finding.subject.value)"
            out += "<text x=\"4\" y=\"\(y + 12)\">\(HTMLText.escape(String(label.prefix(34))))</text>"
            let x1 = x(finding.firstMs)
            let w = max(2, x(finding.lastMs) - x1)
            out += "<rect x=\"\(x1)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(laneHeight - 6)\" fill=\"\(colour(finding.severity))\">"
            out +=
                "<title>\(HTMLText.escape("\(finding.id) \(finding.detector.rawValue), \(finding.severity.rawValue), \(finding.requests) requests"))</title></rect>"
            y += laneHeight
        }
        out += "<text x=\"4\" y=\"\(y + 12)\">responders' actions</text>"
        for (action, ms) in actionTimes {
            out += "<line x1=\"\(x(ms))\" y1=\"\(y + 2)\" x2=\"\(x(ms))\" y2=\"\(y + laneHeight - 2)\" stroke=\"#0969da\">"
            out += "<title>\(HTMLText.escape("#\(action.id) \(action.at) \(TimelineEvent.label(action.kind))"))</title></line>"
        }
        let marks: [(String, Int64?, String)] = [
            ("detected", report.header.detectedAtMs, "#cf222e"),
            ("first containment", report.firstContainment?.atMs, "#1a7f37"),
            ("contained", report.firstStatusChange(to: .contained)?.atMs, "#1a7f37"),
            ("closed", report.firstStatusChange(to: .closed)?.atMs, "#57606a"),
        ]
        for (i, (name, at, colour)) in marks.enumerated() {
            guard let at else { continue }
            // Each milestone's label has a row of its own, and turns left near the right edge.
            let labelY = 10 + i * 10
            out += "<line x1=\"\(x(at))\" y1=\"\(labelY + 2)\" x2=\"\(x(at))\" y2=\"\(axisY)\" stroke=\"\(colour)\" stroke-dasharray=\"4 3\"/>"
            let leftward = x(at) > width - 160
            out +=
                "<text x=\"\(leftward ? x(at) - 3 : x(at) + 3)\" y=\"\(labelY)\" text-anchor=\"\(leftward ? "end" : "start")\" fill=\"\(colour)\">\(name)</text>"
        }
        out += "</svg><figcaption>Findings (bars, most severe first\(candidates.count > lanes ? "; \(lanes) of \(candidates.count)" : "")), "
        out += "the responders' actions (ticks) and the response's milestones (dashed lines), in UTC.</figcaption></figure>"
        return out
    }

    static func axisLabel(_ ms: Int64, span: Int64) -> String {
        let full = UTCTime.format(ms: ms)  // 2026-11-29T08:30:00.000Z
        let date = String(full.prefix(10))
        let clock = String(full.dropFirst(11).prefix(span < 600_000 ? 8 : 5))
        return span > 86_400_000 ? "\(date) \(clock)" : clock
    }

    static func colour(_ severity: Severity) -> String {
        switch severity {
        case .critical: return "#a40e26"
        case .high: return "#cf222e"
        case .medium: return "#bf8700"
        case .low: return "#57606a"
        }
    }
}
