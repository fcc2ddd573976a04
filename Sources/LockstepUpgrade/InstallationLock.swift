import Foundation

/// One upgrade per installation at a time, across processes: an advisory `flock`
/// on a file beside the store. The kernel drops it when its holder dies, so a
/// killed upgrade never blocks the next one; the file names the holder meanwhile.
public final class InstallationLock: @unchecked Sendable {
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        public var host: String
        public var startedAt: String
        public var description: String { "pid \(pid) on \(host), started \(startedAt)" }
    }

    public enum LockError: Error, Sendable, CustomStringConvertible {
        case timedOut(installation: String, holder: Holder?, waited: Duration)
        case cannotOpen(path: String, reason: String)

        public var description: String {
            switch self {
            case .timedOut(let installation, let holder, let waited):
                let who = holder.map { " by \($0)" } ?? ""
                return
                    "installation \(installation) is being upgraded\(who); waited \(waited.components.seconds) s (raise --lock-timeout to wait longer)"
            case .cannotOpen(let path, let reason):
                return "cannot open the lock file \(path): \(reason)"
            }
        }
    }

    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        // The file names the holder only while it holds the lock; left behind, it
        // would name a finished process to whoever next waits on someone else.
        ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    /// Waits up to `timeout` for the lock, polling so a waiter can report who holds it.
    public static func acquire(
        installation: String,
        storePath: String,
        timeout: Duration,
        onWait: (@Sendable (Holder?) -> Void)? = nil
    ) async throws -> InstallationLock {
        // The lock belongs to the store, not to the spelling of its path: a symlinked
        // folder or a relative path reaches the same file, so it must reach the same lock.
        let folder = canonicalPath(storePath) + ".locks"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let safeName = installation.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }
        let path = folder + "/" + String(safeName) + ".lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw LockError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        let deadline = ContinuousClock.now + timeout
        var told = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = readHolder(path)
            if !told {
                onWait?(holder)
                told = true
            }
            guard ContinuousClock.now < deadline else {
                close(descriptor)
                throw LockError.timedOut(installation: installation, holder: holder, waited: timeout)
            }
            try? await Task.sleep(for: .milliseconds(100))
        }
        let lock = InstallationLock(descriptor: descriptor, path: path)
        lock.writeHolder()
        return lock
    }

    /// The store's path with every symlink and `..` resolved; the path as given if it does not exist yet.
    static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    private func writeHolder() {
        let text = "\(getpid())\n\(ProcessInfo.processInfo.hostName)\n\(ISO8601DateFormatter().string(from: Date()))\n"
        ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        fsync(descriptor)
    }

    static func readHolder(_ path: String) -> Holder? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 3, let pid = Int32(lines[0]) else { return nil }
        // Text left by a killed holder on this host: that process no longer holds anything.
        if lines[1] == ProcessInfo.processInfo.hostName, kill(pid, 0) != 0, errno == ESRCH { return nil }
        return Holder(pid: pid, host: lines[1], startedAt: lines[2])
    }
}
