import Foundation

/// Progress on stderr: a line rewritten in place on a terminal, plain lines
/// (at most one per tenth of the work) when piped.
final class ProgressLine: @unchecked Sendable {
    private let label: String
    private let interactive = Terminal.standardErrorIsTerminal
    private var lastTenth = -1
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(_ label: String) {
        self.label = label
    }

    func update(_ done: Int, of total: Int) {
        lock.lock()
        defer { lock.unlock() }
        guard total > 0 else { return }
        if interactive {
            let now = Date()
            guard done == total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            write("\r\(label) \(done)/\(total) (\(done * 100 / total)%)\u{1B}[K" + (done == total ? "\n" : ""))
        } else {
            let tenth = done * 10 / total
            guard tenth != lastTenth else { return }
            lastTenth = tenth
            write("\(label) \(done)/\(total) (\(tenth * 10)%)\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
