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
        let kept = data.findings.filter { f in words.allSatisfy { matches(f, $0) } }
        // Stable within each key: the store's order (most severe, then earliest) breaks ties.
        let order = Dictionary(uniqueKeysWithValues: data.findings.enumerated().map { ($1.id, $0) })
        func key(_ f: Finding) -> String {
            switch state.findingOrder {
            case .severity: return String(Severity.rank(f.severity.rawValue))
            case .detector: return f.detector.rawValue
            case .state: return String(FindingState.allCases.firstIndex(of: f.state) ?? 0)
            case .confidence: return f.confidence == .strong ? "0" : "1"
            case .time: return String(format: "%020lld", f.firstMs)
            }
        }
        return kept.sorted { (key($0), order[$0.id] ?? 0) < (key($1), order[$1.id] ?? 0) }
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
