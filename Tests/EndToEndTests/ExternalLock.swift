import Foundation

/// Another process holding a file's `flock` for a while: util-linux `flock -o FILE sleep N`
/// (`-o`: the lock stays with flock itself, not with sleep). It ends on its own.
final class ExternalLock: @unchecked Sendable {
    private let process = Process()
    let path: String

    init(path: String, seconds: Int) throws {
        self.path = path
        guard let flock = ["/usr/bin/flock", "/bin/flock"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ScenarioError("util-linux flock is not installed (apt-get install util-linux)")
        }
        process.executableURL = URL(fileURLWithPath: flock)
        process.arguments = ["-o", path, "sleep", String(seconds)]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    func waitUntilHeld() async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !Self.isHeld(path) {
            guard ContinuousClock.now < deadline, process.isRunning else { throw ScenarioError("flock never took \(path)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the holder to end (it sleeps only as long as it was asked to).
    func release() {
        if process.isRunning { process.waitUntilExit() }
    }

    /// Whether some process holds an exclusive flock on `path` (a shared probe would fail).
    static func isHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return true
    }
}
