import Foundation

/// Tells the responder what an interruption left behind, then exits as interrupted (130).
///
/// The open transaction is simply abandoned: SQLite rolls it back, so nothing half-done is visible.
/// The handler only calls write(2) and _exit(2), which are safe in a signal handler.
enum InterruptNotice {
    private nonisolated(unsafe) static var message: [CChar] = []

    static func install(_ text: String) {
        message = Array(text.utf8CString)
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in
                InterruptNotice.message.withUnsafeBufferPointer { buffer in
                    _ = write(STDERR_FILENO, buffer.baseAddress, max(0, buffer.count - 1))
                }
                _exit(130)
            }
        }
    }

    static func remove() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
