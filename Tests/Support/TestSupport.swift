import Foundation
import XCTest

/// A fresh directory under the system temp dir, removed when the test case object is released.
public final class TemporaryDirectory {
    public let path: String

    public init(_ label: String = "tourniquet-test") {
        let template = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-XXXXXX")
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { fatalError("mkdtemp failed: \(String(cString: strerror(errno)))") }
        path = String(cString: made)
    }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Where the repository and the test fixtures are.
public enum TestPaths {
    /// The package root, found from this file's location.
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `Tests/Fixtures`: real logs and configs written by other projects, copied in with their
    /// licences (see its README) so that a clone with nothing beside it passes.
    public static let fixtures: URL = repoRoot.appendingPathComponent("Tests/Fixtures")

    /// A built executable of this package, next to the test bundle.
    public static func executable(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // The test binary may sit inside an .xctest bundle directory.
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" || dir.lastPathComponent == "MacOS" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent(name).path
    }

    /// Fails the test, naming what is missing, when a required tool or file is absent: a test that
    /// cannot run is not a pass. `.ci/run` installs every tool the tests use.
    public static func require(_ condition: Bool, _ what: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if condition { return }
        XCTFail("required for this test: \(what) (bash .ci/run installs it)", file: file, line: line)
        throw MissingRequirement(what: what)
    }

    public static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// The result of running a process to completion.
public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs executables as whole processes, as a responder's shell would.
public enum ProcessRunner {
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdin: Data? = nil) throws
        -> ProcessResult
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let out = Pipe()
        let err = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the package's `tourniquet` binary.
    @discardableResult
    public static func tourniquet(_ arguments: String..., environment: [String: String]? = nil, stdin: Data? = nil) throws -> ProcessResult {
        try run(TestPaths.executable("tourniquet"), arguments, environment: environment, stdin: stdin)
    }
}

/// Thrown after recording a failure, to stop a test whose required tool is missing under CI.
public struct MissingRequirement: Error {
    public var what: String
    public init(what: String) { self.what = what }
}
