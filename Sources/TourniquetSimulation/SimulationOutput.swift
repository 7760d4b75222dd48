/// Where simulated files go. The simulation does no I/O of its own: the engine hands it the
/// local file system, and tests can hand it memory.
public protocol SimulationOutput {
    /// Whether anything is at `path`, a dangling link included.
    func exists(_ path: String) -> Bool
    /// Creates the folder and its parents.
    func makeDirectory(_ path: String) throws
    /// Creates (or, with `overwrite`, truncates) the file at `path` for writing; without
    /// `overwrite` a file that is already there is refused.
    func create(_ path: String, overwrite: Bool) throws -> any SimulationFile
}

/// A file being written.
public protocol SimulationFile {
    func write(_ bytes: [UInt8]) throws
    func close() throws
}
