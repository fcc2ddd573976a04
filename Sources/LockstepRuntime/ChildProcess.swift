import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child started with posix_spawn and reaped with waitpid.
///
/// Foundation's `Process` is not used for engine commands: on Linux it learns
/// that a child ended when a socket the child inherits is closed, and
/// `podman start` hands that socket on to conmon, which lives as long as the
/// container. `podman start` of a long-running container would then look
/// like it never returns.
struct ChildProcess {
    let pid: pid_t
    /// Read ends: stdout, then stderr unless it was merged into stdout.
    let outputs: [Int32]
    private var reapedStatus: Int32?

    static func spawn(_ executable: String, _ arguments: [String], mergeOutput: Bool) throws(RuntimeError) -> ChildProcess {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        guard pipe(&outPipe) == 0, mergeOutput || pipe(&errPipe) == 0 else {
            throw .launchFailed(path: executable, reason: String(cString: strerror(errno)))
        }
        for fd in outPipe + (mergeOutput ? [] : errPipe) { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, mergeOutput ? outPipe[1] : errPipe[1], 2)
        // Nothing else of ours (test servers' sockets, other pipes) leaks into the engine.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(outPipe[1])
        if !mergeOutput { close(errPipe[1]) }
        guard result == 0 else {
            close(outPipe[0])
            if !mergeOutput { close(errPipe[0]) }
            throw .launchFailed(path: executable, reason: String(cString: strerror(result)))
        }
        return ChildProcess(pid: pid, outputs: mergeOutput ? [outPipe[0]] : [outPipe[0], errPipe[0]])
    }

    /// glibc 2.34+'s posix_spawn_file_actions_addclosefrom_np, looked up at run
    /// time because Swift's Glibc module only declares it under _GNU_SOURCE.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    /// Non-blocking: reaps the child if it has exited.
    mutating func poll() -> Bool {
        guard reapedStatus == nil else { return false }
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid { reapedStatus = status }
        return reapedStatus == nil
    }

    /// Blocks until the child exits; returns the exit status (128+signal when killed).
    mutating func wait() -> Int32 {
        while reapedStatus == nil {
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid { reapedStatus = status } else if result < 0 && errno != EINTR { reapedStatus = 0x7f00 | 127 }
        }
        for descriptor in outputs { close(descriptor) }
        let status = reapedStatus!
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
