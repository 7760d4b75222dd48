import Foundation
import TourniquetModel

/// Runs a gateway's own command line tool (never through a shell) and captures what it says.
enum GatewayProcess {
    struct Result {
        var status: Int32
        var output: String
        var succeeded: Bool { status == 0 }
    }

    /// Runs `words` (the first found on PATH unless it is a path), killed after `timeout` seconds.
    static func run(_ words: [String], timeout: TimeInterval = 60) throws -> Result {
        guard let program = words.first else { throw GatewayCommandError(description: "no command to run") }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(words.dropFirst())
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = words
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw GatewayCommandError(description: "cannot run \(program): \(error.localizedDescription)")
        }
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: killer)
        // Read to the end before waiting: `nginx -T` prints the whole configuration, more than a pipe holds.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// A gateway tool that could not be run at all.
struct GatewayCommandError: ResponderFacingError {
    var description: String
    var exitCode: Int32 { 1 }
}
