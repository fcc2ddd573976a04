import Foundation

/// The outcome of one engine invocation.
struct CommandOutput: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs an executable with an argument vector (never a shell), capturing its
/// output. Blocking work happens on a dispatch thread so async callers are not
/// held up; both pipes are polled together so a chatty engine cannot fill one
/// and deadlock.
enum CommandRunner {
    static func run(_ executable: URL, _ arguments: [String], mergeOutput: Bool = false) async throws(RuntimeError) -> CommandOutput {
        let result: Result<CommandOutput, RuntimeError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: runBlocking(executable, arguments, mergeOutput: mergeOutput))
            }
        }
        return try result.get()
    }

    static func runBlocking(_ executable: URL, _ arguments: [String], mergeOutput: Bool) -> Result<CommandOutput, RuntimeError> {
        var child: ChildProcess
        do {
            child = try ChildProcess.spawn(executable.path, arguments, mergeOutput: mergeOutput)
        } catch {
            return .failure(error)
        }
        var outData = Data()
        var errData = Data()
        PipeReader.drain(
            child.outputs,
            isRunning: { child.poll() },
            onData: { index, data in
                if index == 0 { outData.append(data) } else { errData.append(data) }
            }
        )
        let status = child.wait()
        return .success(
            CommandOutput(
                status: status,
                stdout: String(decoding: outData, as: UTF8.self),
                stderr: String(decoding: errData, as: UTF8.self)
            )
        )
    }
}
