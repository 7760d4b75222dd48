import Foundation
import TourniquetModel

/// The Scope screen's findings as the responder arranged them: filtered, sorted, and marked for a
/// verdict in bulk. Screens and the reducer read the same list, so the cursor always means the row
/// on screen.
public enum FindingList {
    /// How the list is sorted; `o` moves to the next.
    public enum Order: String, CaseIterable, Sendable {
        case severity, detector, state, confidence, time

        var next: Order { Order.allCases[(Order.allCases.firstIndex(of: self)! + 1) % Order.allCases.count] }
    }

    /// The findings on screen. A filter is words that must all hold: `state=new`,
    /// `detector=scraping`, `confidence=weak`, `severity=high`, or text in the id, detector or subject.
    public static func visible(_ state: ConsoleState, _ data: ConsoleData) -> [Finding] {
        let words = state.findingFilter.lowercased().split(separator: " ").map(String.init)
        // The store's order is already most severe first: the common case sorts nothing.
        guard !words.isEmpty || state.findingOrder != .severity else { return data.findings }
        let kept = data.findings.enumerated().filter { _, f in words.allSatisfy { matches(f, $0) } }
        // Each key computed once; the store's order (most severe, then earliest) breaks ties.
        let keyed = kept.map { (key: key(of: $0.element, state.findingOrder), position: $0.offset, finding: $0.element) }
        return keyed.sorted { ($0.key, $0.position) < ($1.key, $1.position) }.map(\.finding)
    }

    private static func key(of f: Finding, _ order: Order) -> String {
        switch order {
        case .severity: return String(Severity.rank(f.severity.rawValue))
        case .detector: return f.detector.rawValue
        case .state: return String(FindingState.allCases.firstIndex(of: f.state) ?? 0)
        case .confidence: return f.confidence == .strong ? "0" : "1"
        case .time: return String(format: "%020lld", f.firstMs)
        }
    }

    static func matches(_ f: Finding, _ word: String) -> Bool {
        func value(_ prefix: String) -> String? { word.hasPrefix(prefix) ? String(word.dropFirst(prefix.count)) : nil }
        if let v = value("state=") { return f.state.rawValue == v }
        if let v = value("detector=") { return f.detector.rawValue.hasPrefix(v) }
        if let v = value("confidence=") { return f.confidence.rawValue == v }
        if let v = value("severity=") { return f.severity.rawValue == v }
        return [f.id, f.detector.rawValue, f.subject.value].contains { $0.lowercased().contains(word) }
    }
}
