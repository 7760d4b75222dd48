import Foundation
import TourniquetModel
import TourniquetSimulation

/// The local file system, as the simulation's output.
public struct LocalFiles: SimulationOutput {
    public init() {}

    public func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    public func create(_ path: String, overwrite: Bool) throws -> any SimulationFile {
        // O_EXCL refuses a file (or link) that appeared since the caller checked.
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL)
        let fd = Foundation.open(path, flags, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw RefusedOverwrite(path: path) }
            throw RefusedRequest("\(DisplayText.sanitize(path).text): cannot be written (\(String(cString: strerror(errno))))")
        }
        return LocalFile(handle: FileHandle(fileDescriptor: fd, closeOnDealloc: true))
    }

    private final class LocalFile: SimulationFile {
        let handle: FileHandle
        init(handle: FileHandle) { self.handle = handle }
        func write(_ bytes: [UInt8]) throws { try handle.write(contentsOf: bytes) }
        func close() throws { try handle.close() }
    }
}

extension IncidentFiles {
    /// Simulates `spec` into a folder on this machine.
    public static func write(_ spec: SimulationSpec, to directory: String, overwrite: Bool = false) throws -> Written {
        try write(spec, to: directory, output: LocalFiles(), overwrite: overwrite)
    }

    /// Refuses the first of `paths` that exists on this machine.
    public static func refuseExisting(_ paths: [String]) throws {
        try refuseExisting(paths, in: LocalFiles())
    }
}
