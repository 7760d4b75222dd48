import Foundation

/// Writes a file whole or not at all: a temporary file beside it, flushed, then renamed over it,
/// so a gateway reading its configuration never sees half a file. With `replacing: false` the
/// temporary file is linked into place instead, which fails with EEXIST if a file appeared there
/// meanwhile: nothing is overwritten that the caller did not mean to.
enum AtomicFile {
    static func write(_ text: String, to path: String, mode: mode_t, replacing: Bool = true) throws {
        let temporary = path + ".tourniquet-\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var failure: Int32 = 0
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += n
            }
        }
        if failure == 0 && (fchmod(fd, mode) != 0 || fsync(fd) != 0) { failure = errno }
        close(fd)
        if failure == 0 {
            if replacing {
                if rename(temporary, path) != 0 { failure = errno }
            } else {
                if link(temporary, path) != 0 { failure = errno }
                unlink(temporary)
            }
        }
        guard failure == 0 else {
            unlink(temporary)
            throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO)
        }
        let directory = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }
}
