import Foundation

/// Refuses case files on network filesystems, where SQLite's locks (and so WAL) are unreliable.
///
/// The filesystem type comes from the kernel's mount table (`/proc/self/mountinfo`): the mount
/// with the longest mount point that contains the case's directory.
enum FilesystemGuard {
    static let networkTypes: Set<String> = [
        "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "9p", "afs", "kafs", "coda", "ncpfs", "ceph",
        "glusterfs", "lustre", "gpfs", "ocfs2", "gfs2", "fuse.sshfs", "fuse.glusterfs", "fuse.s3fs", "fuse.rclone",
        "fuse.cephfs", "davfs", "fuse.davfs2",
    ]

    static func check(path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let absolute = URL(fileURLWithPath: directory.isEmpty ? "." : directory).resolvingSymlinksInPath().path
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return }
        if let type = filesystemType(of: absolute, mountInfo: table), networkTypes.contains(type) {
            throw CaseFileError.networkFilesystem(path: path, filesystem: type)
        }
    }

    /// The type of the filesystem mounted at the longest mount point that contains `path`.
    static func filesystemType(of path: String, mountInfo: String) -> String? {
        var best: (length: Int, type: String)?
        for line in mountInfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 6, let dash = fields.firstIndex(of: "-"), dash + 1 < fields.count else { continue }
            let mountPoint = unescape(String(fields[4]))
            let contains = mountPoint == "/" || path == mountPoint || path.hasPrefix(mountPoint + "/")
            if contains, mountPoint.count >= (best?.length ?? -1) {
                best = (mountPoint.count, String(fields[dash + 1]))
            }
        }
        return best?.type
    }

    /// mountinfo writes space, tab, newline and backslash in mount points as octal escapes (`\040`).
    private static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let raw = Array(field.utf8)
        var i = 0
        while i < raw.count {
            if raw[i] == UInt8(ascii: "\\"), i + 3 < raw.count,
                let value = UInt8(String(decoding: raw[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                i += 4
            } else {
                bytes.append(raw[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
