import Foundation
import XCTest

/// A private tmux server running one command, for driving the real console like a person does.
///
/// tmux is started with posix_spawnp, not Foundation's Process: the tmux server would inherit
/// Process's exit-notification socket and make waits hang. The child gets an empty signal mask and
/// default handlers (test threads block signals), and no inherited descriptors beyond 0–2.
public final class TmuxSession {
    public let socket: String
    private let directory = TemporaryDirectory("tourniquet-tmux")

    public init(_ command: String, columns: Int = 100, rows: Int = 30) throws {
        socket = directory.file("sock")
        let status = TmuxSession.spawn(
            ["tmux", "-S", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(columns), "-y", String(rows), command],
            output: directory.file("start.out"))
        guard status == 0 else { throw TmuxError.failed("tmux new-session exited \(status)") }
        _ = tmux(["set-option", "-g", "remain-on-exit", "on"])
    }

    deinit {
        _ = tmux(["kill-server"])
        unlink(socket)
    }

    /// Keys by tmux name (`Enter`, `Escape`, `C-c`, `3`).
    public func send(_ keys: String...) { _ = tmux(["send-keys"] + keys) }

    /// Text typed literally.
    public func type(_ text: String) { _ = tmux(["send-keys", "-l", text]) }

    public func capture() -> String { tmux(["capture-pane", "-p", "-S", "-"]).output }

    public var title: String { tmux(["display-message", "-p", "#{pane_title}"]).output.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The process id of the command in the pane (`env` execs, so it is the program itself).
    public var panePID: Int32? { Int32(tmux(["display-message", "-p", "#{pane_pid}"]).output.trimmingCharacters(in: .whitespacesAndNewlines)) }

    public var isDead: Bool { tmux(["display-message", "-p", "#{pane_dead}"]).output.hasPrefix("1") }

    public func resize(columns: Int, rows: Int) { _ = tmux(["resize-window", "-x", String(columns), "-y", String(rows)]) }

    /// Polls the screen until `text` appears; fails the test with the last screen if it never does.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 15, file: StaticString = #filePath, line: UInt = #line) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if screen.contains(text) { return screen }
            usleep(50_000)
        }
        XCTFail("'\(text)' never appeared; the screen was:\n\(screen)", file: file, line: line)
        return screen
    }

    public func waitUntilDead(timeout: TimeInterval = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if isDead { return true }
            usleep(50_000)
        }
        return false
    }

    private func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        let out = directory.file("cmd-\(UUID().uuidString).out")
        defer { unlink(out) }
        let status = TmuxSession.spawn(["tmux", "-S", socket] + arguments, output: out)
        return (status, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }

    static func spawn(_ argv: [String], output: String) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        markDescriptorsCloseOnExec()
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigfillset(&defaults)
        sigdelset(&defaults, SIGKILL)
        sigdelset(&defaults, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { for arg in cArgs { free(arg) } }
        guard posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, environ) == 0 else { return -1 }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (status >> 8) & 0xFF
    }
}

public enum TmuxError: Error { case failed(String) }

/// Marks every open descriptor above stderr close-on-exec, so no child inherits one (Swift cannot
/// call glibc's posix_spawn_file_actions_addclosefrom_np).
private func markDescriptorsCloseOnExec() {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
    for entry in entries {
        guard let fd = Int32(entry), fd > 2 else { continue }
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }
}
