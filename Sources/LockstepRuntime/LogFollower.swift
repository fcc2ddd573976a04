import Foundation

/// `<engine> logs --follow` as a stream of lines. The engine ends the command
/// when the container stops; cancelling the consumer terminates it early.
enum LogFollower {
    static func follow(executable: URL, arguments: [String], observer: (@Sendable ([String]) -> Void)?) -> AsyncStream<String> {
        AsyncStream { continuation in
            observer?(arguments)
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.standardInput = FileHandle.nullDevice
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            let handle = pipe.fileHandleForReading
            let box = ProcessBox(process)
            continuation.onTermination = { _ in box.terminate() }
            do {
                try process.run()
            } catch {
                continuation.finish()
                return
            }
            // A dedicated thread reads until EOF; lines are split here so a
            // chunk boundary never cuts a line in two.
            Thread.detachNewThread {
                var pending = Data()
                PipeReader.drain([handle.fileDescriptor], isRunning: { process.isRunning }) { _, chunk in
                    pending.append(chunk)
                    while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.yield(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
                        pending.removeSubrange(pending.startIndex...newline)
                    }
                }
                if !pending.isEmpty { continuation.yield(String(decoding: pending, as: UTF8.self)) }
                process.waitUntilExit()
                continuation.finish()
            }
        }
    }
}

/// Lets the stream's termination handler stop the engine process.
private final class ProcessBox: @unchecked Sendable {
    private let process: Process

    init(_ process: Process) { self.process = process }

    func terminate() {
        if process.isRunning { process.terminate() }
    }
}
