import Foundation

extension CaseFile {
    /// True when `path` names this case's database, its WAL, its shared-memory file or a rollback
    /// journal, by inode rather than by spelling (`./x.case`, a symlink and a hard link all count).
    ///
    /// Reading such a file as evidence would open and close a descriptor of ours on it, which drops
    /// every POSIX lock SQLite holds on it in this process; callers refuse instead.
    public func isOneOfItsFiles(_ path: String) -> Bool {
        guard let target = Self.fileIdentity(path) else { return false }
        return ["", "-wal", "-shm", "-journal"].contains { Self.fileIdentity(self.path + $0) == target }
    }

    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    private static func fileIdentity(_ path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
    }
}
