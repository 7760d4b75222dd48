import ArgumentParser
import Foundation
import TourniquetModel

/// Standard output checked for failed writes, and standard error for the one-line messages.
///
/// `print` goes through C stdio, which remembers a failed write (a full disk, `/dev/full`, a reader
/// that closed its pipe) but reports nothing. A command whose output was lost must not exit 0:
/// `verify`'s head hash is the one thing a responder keeps elsewhere. So every command's output is
/// flushed and checked before the process exits, and a failure is said on standard error.
enum StandardStreams {
    /// The exit status when output could not be written (EX_IOERR): apart from 1 and 2, which mean
    /// "refused" or "tampered" and "not a usable case".
    static let outputFailed: Int32 = 74

    /// A closed pipe then fails the write with EPIPE, which is reported, rather than killing the
    /// process with SIGPIPE before anything can be said.
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
    }

    /// Flushes standard output; says why when any write to it failed, or nil when all went out.
    static func flushFailure() -> String? {
        let flushed = fflush(stdout) == 0
        let code = errno
        guard !flushed || ferror(stdout) != 0 else { return nil }
        // errno is only meaningful when this flush failed; an earlier failed write left just the flag.
        let reason = flushed ? "a write failed" : String(cString: strerror(code))
        return "cannot write the output (\(reason)); it is incomplete or lost"
    }

    /// Ends a command that succeeded: exit 0, or `outputFailed` with a message when its output was lost.
    static func finishOrExit() -> Never {
        if let failure = flushFailure() {
            writeError(failure)
            Foundation.exit(outputFailed)
        }
        Foundation.exit(0)
    }

    /// Ends a command that failed: its message (and a lost-output one, if any) and its own exit code.
    static func fail(_ message: String, exitCode: Int32) -> Never {
        if let failure = flushFailure() { writeError(failure) }
        if !message.isEmpty { writeError(message) }
        Foundation.exit(exitCode)
    }

    /// One line on standard error, prefixed `tourniquet: `. Written with `write(2)`: a closed
    /// standard error must not crash the process as a failed `FileHandle` write would.
    static func writeError(_ line: String) {
        let bytes = Array("tourniquet: \(line)\n".utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Text for an error that is not a `ResponderFacingError`: the argument parser's usage message,
    /// or one plain line instead of a Swift error dump. Outside text in it is escaped line by line.
    static func message(for error: Error, command: ParsableCommand.Type) -> String {
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            let full = command.fullMessage(for: error)
            return full.split(separator: "\n", omittingEmptySubsequences: false).map { DisplayText.escaped(String($0)) }.joined(separator: "\n")
        }
        if error is DecodingError { return "a file did not decode: " + DecodingProblem.describe(error) }
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain || nsError.domain == NSPOSIXErrorDomain {
            return DisplayText.escaped(nsError.localizedDescription)
        }
        return DisplayText.escaped(String(describing: error))
    }
}
