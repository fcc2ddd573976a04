import Foundation

/// Result of a finished child process.
public struct PostgresCommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a PostgreSQL tool (or any program) to completion without blocking
/// Swift's cooperative pool.
///
/// Foundation's `Process` is not used: on Linux it detects a child's exit
/// through a socket the child inherits, and `pg_ctl start` passes that socket
/// on to the postmaster, which lives on — the wait would never end
/// (swift-corelibs-foundation#4795). Here the child gets only stdin, stdout
/// and stderr (output goes to temporary files), and exit is seen by waitpid.
public enum PostgresCommand {
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: URL? = nil,
        asUser user: String? = nil,
        standardInput: String? = nil
    ) async throws -> PostgresCommandResult {
        var executable = executable
        var arguments = arguments
        if let user, geteuid() == 0 {
            arguments = ["-u", user, "--", executable] + arguments
            executable = "/usr/sbin/runuser"
        }
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw PostgresClusterError.setupFailed("\(executable) is not installed")
        }
        let outputDirectory = try TemporaryDirectory(prefix: "lockstep-cmd")
        defer { outputDirectory.remove() }
        let outPath = outputDirectory.appending("stdout").path
        let errPath = outputDirectory.appending("stderr").path
        var inPath = "/dev/null"
        if let standardInput {
            inPath = outputDirectory.appending("stdin").path
            try Data(standardInput.utf8).write(to: URL(fileURLWithPath: inPath))
        }
        let directory = currentDirectory?.path ?? "/"
        var env = ProcessInfo.processInfo.environment
        if let environment { env.merge(environment) { $1 } }
        let argv = [executable] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }

        let pid = try spawn(executable, argv: argv, envp: envp, directory: directory, stdin: inPath, stdout: outPath, stderr: errPath)
        let status = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        return PostgresCommandResult(status: exitStatus, stdout: read(outPath), stderr: read(errPath))
    }

    private static func spawn(
        _ executable: String,
        argv: [String],
        envp: [String],
        directory: String,
        stdin: String,
        stdout: String,
        stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // glibc ≥ 2.34 has both; Swift's Glibc module hides them (_GNU_SOURCE).
        guard let chdirAction = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np"),
            let closeFromAction = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        else {
            throw PostgresClusterError.setupFailed("this C library lacks posix_spawn_file_actions_addclosefrom_np (glibc 2.34+ needed)")
        }
        typealias ChdirAction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
        typealias CloseFromAction = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        _ = unsafeBitCast(chdirAction, to: ChdirAction.self)(&actions, directory)
        _ = unsafeBitCast(closeFromAction, to: CloseFromAction.self)(&actions, 3)

        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envp.map { strdup($0) } + [nil]
        defer { for pointer in cArgs + cEnv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, nil, cArgs, cEnv)
        guard result == 0 else {
            throw PostgresClusterError.setupFailed("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Like `run`, but a non-zero status is an error carrying the output.
    @discardableResult
    public static func check(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: URL? = nil,
        asUser user: String? = nil
    ) async throws -> PostgresCommandResult {
        let result = try await run(
            executable,
            arguments,
            environment: environment,
            currentDirectory: currentDirectory,
            asUser: user
        )
        guard result.status == 0 else {
            let name = (executable as NSString).lastPathComponent
            throw PostgresClusterError.commandFailed(command: name, status: result.status, output: result.stderr + result.stdout)
        }
        return result
    }
}
