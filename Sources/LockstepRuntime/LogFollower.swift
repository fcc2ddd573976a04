import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `<engine> logs --follow` as a stream of lines. The engine ends the command
/// when the container stops; cancelling the consumer terminates it early. The
/// child is spawned like every other engine command (see `ChildProcess`).
enum LogFollower {
    static func follow(executable: URL, arguments: [String], observer: (@Sendable ([String]) -> Void)?) -> AsyncStream<String> {
        AsyncStream { continuation in
            observer?(arguments)
            let spawned: ChildProcess
            do {
                spawned = try ChildProcess.spawn(executable.path, arguments, mergeOutput: true)
            } catch {
                continuation.finish()
                return
            }
            let liveness = ChildLiveness(pid: spawned.pid)
            continuation.onTermination = { _ in liveness.terminate() }
            // A dedicated thread reads until the child ends; lines are split here so a
            // chunk boundary never cuts a line in two.
            Thread.detachNewThread {
                var child = spawned
                var pending = Data()
                PipeReader.drain(child.outputs, isRunning: { liveness.poll { child.poll() } }) { _, chunk in
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                }
                if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                liveness.stopSignalling()
                _ = child.wait()
                continuation.finish()
            }
        }
    }
}

/// Lets the stream's termination handler stop the engine process, but never signal
/// its pid once it has been reaped (the number may belong to another process by then).
private final class ChildLiveness: @unchecked Sendable {
    private let pid: pid_t
    private let lock = NSLock()
    private var reaped = false

    init(pid: pid_t) { self.pid = pid }

    func terminate() {
        lock.withLock {
            if !reaped { kill(pid, SIGTERM) }
        }
    }

    /// Runs a non-blocking reap; once it reaped the child, no signal is sent any more.
    func poll(_ stillRunning: () -> Bool) -> Bool {
        lock.withLock {
            let running = stillRunning()
            if !running { reaped = true }
            return running
        }
    }

    /// Before a blocking reap: the output has ended, so the child is exiting anyway.
    func stopSignalling() {
        lock.withLock { reaped = true }
    }
}
