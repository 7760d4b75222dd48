import Foundation
import TourniquetModel

/// docs/KEYBINDINGS.md, generated from the same tables as the footer and the help screen
/// (`tourniquet keybindings > docs/KEYBINDINGS.md`); a test fails when the file is stale.
public enum KeyBindingDoc {
    public static func markdown() -> String {
        let sample = ConsoleData(
            metadata: CaseMetadata(id: "-", title: "-", severity: .medium, detectedAtMs: 0, createdAtMs: 0, isDrill: false),
            findings: [
                Finding(detector: .scraping, severity: .low, subject: .init(kind: .ip, value: "-"), firstMs: 0, lastMs: 0, requests: 0, evidence: [:])
            ])
        var out = "# Console key bindings\n\nGenerated from the key-binding tables in `Sources/TourniquetConsole` "
        out += "(`tourniquet keybindings > docs/KEYBINDINGS.md`); the footer and the `?` help screen come from the same tables.\n\n"
        out += "## Every screen\n\n| keys | does |\n|---|---|\n"
        for b in GlobalBindings.table(screenCount: ScreenRegistry.screens.count) { out += "| \(cell(b.keyLabel)) | \(b.description) |\n" }
        for (index, screen) in ScreenRegistry.screens.enumerated() {
            var state = ConsoleState()
            state.screen = index
            out += "\n## \(index + 1) \(screen.title)\n\n| keys | does |\n|---|---|\n"
            for b in screen.bindings(state, sample) { out += "| \(cell(b.keyLabel)) | \(b.description) |\n" }
            if screen is ScopeScreen {
                state.drillDown = .init(title: "-", subject: .init(kind: .ip, value: "-"))
                out += "\nIn a drill-down (Enter on a finding):\n\n| keys | does |\n|---|---|\n"
                for b in screen.bindings(state, sample) { out += "| \(cell(b.keyLabel)) | \(b.description) |\n" }
            }
        }
        out += "\nWhile typing a note, a rationale, a path or a filter: Enter saves, Esc cancels, Backspace deletes.\n"
        return out
    }

    private static func cell(_ text: String) -> String { "`" + text.replacingOccurrences(of: "|", with: "\\|") + "`" }
}
