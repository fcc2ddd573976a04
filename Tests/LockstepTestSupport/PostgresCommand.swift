import Foundation

/// Result of a finished child process.
public struct PostgresCommandResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs a PostgreSQL tool (or any program) to completion without blocking Swift's cooperative pool:
/// the waiting happens on a GCD thread.
public enum PostgresCommand {
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        currentDirectory: URL? = nil,
        asUser user: String? = nil
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.currentDirectoryURL = currentDirectory ?? URL(fileURLWithPath: "/")
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let group = DispatchGroup()
                nonisolated(unsafe) var errData = Data()
                DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
                let outData = out.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: PostgresCommandResult(
                    status: process.terminationStatus,
                    stdout: String(decoding: outData, as: UTF8.self),
                    stderr: String(decoding: errData, as: UTF8.self)
                ))
            }
        }
    }

    /// Like `run`, but a non-zero status is an error carrying the output.
    @discardableResult
    public static func check(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        currentDirectory: URL? = nil, asUser user: String? = nil
    ) async throws -> PostgresCommandResult {
        let result = try await run(executable, arguments, environment: environment,
                                   currentDirectory: currentDirectory, asUser: user)
        guard result.status == 0 else {
            let name = (executable as NSString).lastPathComponent
            throw PostgresClusterError.commandFailed(command: name, status: result.status, output: result.stderr + result.stdout)
        }
        return result
    }
}
