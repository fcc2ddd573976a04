import Foundation

/// Runs a command's entry point inside the test process, as a process test would run the
/// binary: with the session's environment, working folder and standard input, and with what
/// it writes to file descriptors 1 and 2 captured. No process start, no binary to find.
///
/// The environment, the working folder and the standard streams belong to the whole
/// process, so runs take turns; a test that runs commands in process never sees another's
/// output. Output the test harness itself writes while a run holds the streams lands in
/// that run's capture, which is why `swift test --no-parallel` (CI) is the reliable mode.
public enum InProcessCommand {
    private static let turn = Turn()

    public static func run(
        environment: [String: String],
        directory: URL,
        input: String? = nil,
        _ body: () async -> Int32
    ) async throws -> HostProcess.Output {
        await turn.acquire()
        let output: Result<HostProcess.Output, any Error>
        do {
            output = .success(try await captured(environment: environment, directory: directory, input: input, body))
        } catch {
            output = .failure(error)
        }
        await turn.release()
        return try output.get()
    }

    private static func captured(
        environment: [String: String],
        directory: URL,
        input: String?,
        _ body: () async -> Int32
    ) async throws -> HostProcess.Output {
        let capture = try TemporaryDirectory(prefix: "lockstep-capture")
        defer { capture.remove() }
        let outPath = capture.appending("stdout").path
        let errPath = capture.appending("stderr").path
        let inPath = capture.appending("stdin").path
        try Data((input ?? "").utf8).write(to: URL(fileURLWithPath: inPath))

        // Put back whatever happens, or every later test would run in this one's setting.
        let restoreEnvironment = apply(environment)
        defer { restoreEnvironment() }
        let previousFolder = FileManager.default.currentDirectoryPath
        _ = FileManager.default.changeCurrentDirectoryPath(directory.path)
        defer { _ = FileManager.default.changeCurrentDirectoryPath(previousFolder) }
        fflush(nil)
        let saved = try redirect([(0, inPath, O_RDONLY), (1, outPath, O_WRONLY | O_CREAT | O_TRUNC), (2, errPath, O_WRONLY | O_CREAT | O_TRUNC)])

        let status = await body()

        fflush(nil)
        restore(saved)
        return HostProcess.Output(
            status: status,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        )
    }

    /// Points each descriptor at its file; returns copies of the originals to put back.
    private static func redirect(_ targets: [(Int32, String, Int32)]) throws -> [(Int32, Int32)] {
        var saved: [(Int32, Int32)] = []
        for (descriptor, path, flags) in targets {
            let file = open(path, flags, 0o600)
            guard file >= 0 else {
                restore(saved)
                throw InProcessError(description: "cannot open \(path) to capture descriptor \(descriptor): errno \(errno)")
            }
            saved.append((descriptor, dup(descriptor)))
            dup2(file, descriptor)
            close(file)
        }
        return saved
    }

    /// Points each descriptor back at its original and closes the copy.
    private static func restore(_ saved: [(Int32, Int32)]) {
        for (descriptor, copy) in saved {
            dup2(copy, descriptor)
            close(copy)
        }
    }

    /// Makes the process environment `environment` (set what differs, unset what is
    /// missing) and returns how to put the previous one back.
    private static func apply(_ environment: [String: String]) -> () -> Void {
        let previous = ProcessInfo.processInfo.environment
        for (key, value) in environment where previous[key] != value { setenv(key, value, 1) }
        for key in previous.keys where environment[key] == nil { unsetenv(key) }
        return {
            let current = ProcessInfo.processInfo.environment
            for (key, value) in previous where current[key] != value { setenv(key, value, 1) }
            for key in current.keys where previous[key] == nil { unsetenv(key) }
        }
    }

    public struct InProcessError: Error, CustomStringConvertible {
        public let description: String
    }

    /// One run at a time, in the order they asked.
    private actor Turn {
        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func acquire() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty {
                busy = false
            } else {
                waiting.removeFirst().resume()
            }
        }
    }
}
