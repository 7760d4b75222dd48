import Foundation
import TourniquetEngine

/// A one-line progress display on a terminal's stderr: bytes, lines/s and time left.
/// Silent when stderr is not a terminal, so scripts and logs stay clean.
final class ProgressLine {
    static func forStandardError() -> ProgressLine? {
        isatty(STDERR_FILENO) == 1 ? ProgressLine() : nil
    }

    func update(_ p: IngestProgress) {
        let rate = p.elapsedSeconds > 0 ? Double(p.lines) / p.elapsedSeconds : 0
        var text = "  \(Self.megabytes(p.bytesRead))"
        if let total = p.totalBytes, total > 0 {
            text += " / \(Self.megabytes(total)) (\(Int(Double(p.bytesRead) * 100 / Double(total)))%)"
            let bytesPerSecond = p.elapsedSeconds > 0 ? Double(p.bytesRead) / p.elapsedSeconds : 0
            if bytesPerSecond > 0 { text += ", ETA \(Self.duration(Double(total - p.bytesRead) / bytesPerSecond))" }
        }
        text += ", \(p.lines) lines, \(Int(rate)) lines/s"
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    /// A stage of long work, for commands without a byte count.
    func say(_ stage: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K  " + stage + "…").utf8))
    }

    func clear() {
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    static func megabytes(_ bytes: Int64) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }

    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded()))
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
