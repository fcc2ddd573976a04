import Foundation

/// Why a key file outside the store cannot be used.
public enum KeyFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case tooOpen(path: String, mode: String)
    case malformed(path: String, expected: String)
    case cannotCreate(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "cannot read the key \(path): \(reason)"
        case .tooOpen(let path, let mode):
            return
                "the key \(path) has mode \(mode): others can read it; `chmod 600 \(path)` if it was not copied by someone else, else replace the key"
        case .malformed(let path, let expected):
            return "\(path) is not \(expected)"
        case .cannotCreate(let path, let reason):
            return "cannot create the key \(path): \(reason)"
        }
    }
}

/// A secret kept in its own file, mode 0600, never in the store.
enum KeyFile {
    /// The file's text, refused when group or others may read or write it.
    static func read(path: String) throws(KeyFileError) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .tooOpen(path: path, mode: String(info.st_mode & 0o777, radix: 8))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes a new key file, mode 0600 from the start; never replaces one.
    /// Returns false when another process created it first.
    static func create(path: String, contents: String) throws(KeyFileError) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .cannotCreate(path: path, reason: error.localizedDescription)
            }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { return false }
            throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw .cannotCreate(path: path, reason: reason)
        }
        return true
    }
}
