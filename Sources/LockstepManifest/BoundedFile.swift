import Foundation

/// Reads a text file a user named, refusing what is not one before reading it whole:
/// devices (`/dev/zero` never ends), FIFOs, folders, and files above a size limit.
public enum BoundedFile {
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case notRegularFile(path: String, kind: String)
        case tooLarge(path: String, size: Int, limit: Int)
        case notText(path: String)

        public var description: String {
            switch self {
            case let .unreadable(path, reason): return "cannot read \(path.escapingControlCharacters): \(reason)"
            case let .notRegularFile(path, kind): return "cannot read \(path.escapingControlCharacters): it is \(kind), not a regular file"
            case let .tooLarge(path, size, limit):
                return "\(path.escapingControlCharacters) is \(size) bytes; the limit is \(limit) bytes (\(BoundedFile.megabytes(limit)))"
            case let .notText(path): return "cannot read \(path.escapingControlCharacters): not UTF-8 text"
            }
        }
    }

    /// The file's text. At most `limit + 1` bytes are ever read, even if the file grows meanwhile.
    public static func read(_ path: String, limit: Int) throws(Problem) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .notRegularFile(path: path, kind: "a folder")
        case S_IFCHR, S_IFBLK: throw .notRegularFile(path: path, kind: "a device")
        case S_IFIFO: throw .notRegularFile(path: path, kind: "a pipe")
        case S_IFSOCK: throw .notRegularFile(path: path, kind: "a socket")
        default: throw .notRegularFile(path: path, kind: "a special file")
        }
        let size = Int(info.st_size)
        guard size <= limit else { throw .tooLarge(path: path, size: size, limit: limit) }
        var bytes = [UInt8](repeating: 0, count: min(size, limit) + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                Foundation.read(descriptor, buffer.baseAddress! + total, buffer.count - total)
            }
            if count < 0, errno == EINTR || errno == EAGAIN { continue }
            guard count >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            total += count
        }
        guard total <= limit else { throw .tooLarge(path: path, size: total, limit: limit) }
        guard let text = String(validating: bytes[..<total], as: UTF8.self) else { throw .notText(path: path) }
        return text
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes % 1_048_576 == 0 ? "\(bytes / 1_048_576) MB" : "\(bytes) bytes"
    }
}
