import Foundation
import TourniquetTestSupport
import XCTest

/// Output that cannot be written fails the command: `verify`'s head hash is never lost silently.
final class OutputFailureTests: XCTestCase {
    private struct Outcome {
        var status: Int32
        var reason: Process.TerminationReason
        var stderr: String
    }

    /// Runs the binary with standard output sent to `stdout`, reading standard error to the end.
    private func run(_ arguments: [String], stdout: Any) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable("tourniquet"))
        process.arguments = arguments
        let err = Pipe()
        process.standardOutput = stdout
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, reason: process.terminationReason, stderr: String(decoding: errData, as: UTF8.self))
    }

    private func newCase() throws -> (TemporaryDirectory, String) {
        let dir = TemporaryDirectory()
        let path = dir.file("out.case")
        XCTAssertEqual(try ProcessRunner.tourniquet("new", path, "--title", "output test").status, 0)
        return (dir, path)
    }

    func testAFullDiskFailsVerify() throws {
        let (dir, path) = try newCase()
        _ = dir
        let full = try XCTUnwrap(FileHandle(forWritingAtPath: "/dev/full"))
        let outcome = try run(["verify", path], stdout: full)
        XCTAssertEqual(outcome.reason, .exit)
        XCTAssertEqual(outcome.status, 74, outcome.stderr)
        XCTAssertEqual(outcome.stderr, "tourniquet: cannot write the output (No space left on device); it is incomplete or lost\n")
        // The same case verifies, and prints its head, when the output can be written.
        let ok = try ProcessRunner.tourniquet("verify", path)
        XCTAssertEqual(ok.status, 0)
        XCTAssertTrue(ok.stdout.contains("head "), ok.stdout)
    }

    func testAClosedPipeFailsLoudlyNotSilently() throws {
        let (dir, path) = try newCase()
        _ = dir
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()  // nobody will ever read: every write gets EPIPE
        let outcome = try run(["verify", path], stdout: pipe)
        XCTAssertEqual(outcome.reason, .exit, "killed by SIGPIPE says nothing; the failure must be reported")
        XCTAssertEqual(outcome.status, 74, outcome.stderr)
        XCTAssertEqual(outcome.stderr, "tourniquet: cannot write the output (Broken pipe); it is incomplete or lost\n")

        // A long listing into a closed pipe fails the same way, mid-output.
        let closed = Pipe()
        try closed.fileHandleForReading.close()
        let help = try run(["timeline", path], stdout: closed)
        XCTAssertEqual(help.reason, .exit)
        XCTAssertEqual(help.status, 74, help.stderr)
    }
}
