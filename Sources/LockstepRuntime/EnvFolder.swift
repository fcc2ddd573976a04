import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The one folder lockstep keeps env-files in: `lockstep-env-<uid>` under a tmpfs
/// (`/dev/shm`, else `$XDG_RUNTIME_DIR`, else the temporary folder), mode 0700, owned
/// by the user. `LOCKSTEP_ENV_DIR` names another parent (tests, unusual hosts).
enum EnvFolder {
    static func parent(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment["LOCKSTEP_ENV_DIR"], !explicit.isEmpty { return explicit }
        // A tmpfs keeps secrets off the disk: they vanish at reboot and never reach a backup.
        if isWritableTmpfs("/dev/shm") { return "/dev/shm" }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty, isWritableTmpfs(runtime) { return runtime }
        return NSTemporaryDirectory()
    }

    static var path: String {
        (parent() as NSString).appendingPathComponent("lockstep-env-\(getuid())")
    }

    /// Creates the folder 0700, or checks that the existing one is a real folder of ours
    /// that nobody else can enter (a symlink or another user's folder is refused).
    static func prepare() throws(RuntimeError) -> URL {
        let folder = path
        if mkdir(folder, 0o700) != 0, errno != EEXIST {
            throw .launchFailed(path: folder, reason: "cannot create the private env-file folder: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard lstat(folder, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == getuid() else {
            throw .launchFailed(path: folder, reason: "the env-file folder is not a folder owned by this user; remove it")
        }
        if info.st_mode & 0o077 != 0, chmod(folder, 0o700) != 0 {
            throw .launchFailed(path: folder, reason: "cannot make the env-file folder private: \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: folder, isDirectory: true)
    }

    /// Removes env-files left by runs that were killed between writing and removing them:
    /// each name starts with its creator's process id, and a file whose creator no longer
    /// runs (all of them older than this run) is nobody's.
    @discardableResult
    static func sweep(_ folder: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var removed: [String] = []
        for name in names where name.hasSuffix(".env") {
            guard let pid = Int32(name.prefix { $0 != "-" }), pid != getpid() else { continue }
            if kill(pid, 0) != 0, errno == ESRCH {
                if unlink(folder.appendingPathComponent(name).path) == 0 { removed.append(name) }
            }
        }
        return removed
    }

    /// Whether `path` is a writable folder on a tmpfs, by the mount table's longest prefix.
    private static func isWritableTmpfs(_ path: String) -> Bool {
        guard access(path, W_OK | X_OK) == 0,
            let table = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)
        else { return false }
        var best: (mountPoint: String, type: String)?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let mountPoint = String(fields[1])
            let covers = path == mountPoint || path.hasPrefix(mountPoint == "/" ? "/" : mountPoint + "/")
            if covers, mountPoint.count >= (best?.mountPoint.count ?? -1) { best = (mountPoint, String(fields[2])) }
        }
        return best?.type == "tmpfs"
    }
}
