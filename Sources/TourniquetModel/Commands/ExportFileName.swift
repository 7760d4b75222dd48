/// The export format a file name asks for, so the console's export prompt needs only a path and
/// the CLI's `--format` can be left out when `-o` says it.
public enum ExportFileName {
    /// `md`, `html`, `json`, `csv`, `timesketch` (`.jsonl`, `.timesketch.csv`) or `iris`
    /// (`.iris.csv`); nil for a name that says none of them.
    public static func format(forPath path: String) -> String? {
        let name = path.lowercased()
        let endings: [(String, String)] = [
            (".iris.csv", "iris"), (".timesketch.csv", "timesketch"), (".jsonl", "timesketch"), (".md", "md"), (".markdown", "md"),
            (".html", "html"), (".htm", "html"), (".json", "json"), (".csv", "csv"),
        ]
        return endings.first { name.hasSuffix($0.0) }?.1
    }
}
