import Foundation

/// A fresh directory under the system's temporary folder, removed by `remove()`.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }

    public init(prefix: String = "lockstep") throws {
        var template = Array((NSTemporaryDirectory() + "/\(prefix)-XXXXXX").utf8CString)
        guard let created = mkdtemp(&template) else {
            throw TemporaryDirectoryError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        url = URL(fileURLWithPath: String(cString: created), isDirectory: true)
    }

    public func appending(_ component: String) -> URL { url.appendingPathComponent(component) }

    /// Lets the PostgreSQL server user (which must own its data directory)
    /// work here when the tests run as root.
    public func handOver(to user: String = "postgres") throws {
        guard geteuid() == 0 else { return }
        guard let entry = getpwnam(user) else {
            throw TemporaryDirectoryError("user \(user) does not exist; install PostgreSQL (apt-get install postgresql-15)")
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0, chmod(path, 0o755) == 0 else {
            throw TemporaryDirectoryError("cannot hand \(path) to \(user): \(String(cString: strerror(errno)))")
        }
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

public struct TemporaryDirectoryError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
