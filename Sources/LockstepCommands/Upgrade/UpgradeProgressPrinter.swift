import Foundation
import LockstepRunner
import LockstepUpgrade
import Logging

/// Shows an upgrade as it goes: step i/n, the version, what it waits for and the
/// elapsed time. On a terminal the waiting line ticks in place; piped, every
/// change is one plain line.
final class UpgradeProgressPrinter: @unchecked Sendable {
    private let quiet: Bool
    private let interactive = Terminal.standardErrorIsTerminal
    private let lock = NSLock()
    private var stepLabel = ""
    private var waitingFor: String?
    private var stepStarted = ContinuousClock.now
    private var ticker: Task<Void, Never>?

    init(quiet: Bool) {
        self.quiet = quiet
        if interactive && !quiet {
            ticker = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    self?.redraw()
                }
            }
        }
    }

    func logger() -> Logger {
        Logger(label: "lockstep.upgrade") { _ in ProgressLogHandler(printer: self) }
    }

    func show(_ progress: UpgradeProgress) {
        switch progress {
        case .waitingForLock(let holder):
            line("waiting for the installation's lock, held by \(holder ?? "another upgrade")")
        case .resuming(let upgradeID, let remaining):
            line("resuming upgrade \(upgradeID.prefix(8)): \(remaining) step(s) left")
        case .planned(let steps, let from, let kind):
            line("\(kind) from \(from ?? "nothing installed"): " + steps.map { $0.version + ($0.required ? " (required)" : "") }.joined(separator: " -> "))
        case .upToDate(let version):
            line("already up to date: \(version)")
        case .nothingToResume:
            line("no interrupted upgrade to resume")
        case .stepStarted(let position, let count, let version):
            lock.withLock {
                stepLabel = "step \(position)/\(count) \(version)"
                stepStarted = .now
                waitingFor = nil
            }
            line("\(stepLabel): applying")
        case .milestone(_, _, let milestone):
            switch milestone {
            case .waiting(let event): setWaiting(event)
            case .eventFired(let event): line("\(stepLabel): \(event) fired")
            case .starting(let container, let ephemeral): setWaiting(ephemeral ? "migration \(container)" : "start of \(container)")
            case .ephemeralStarted(let container): setWaiting("\(container) to exit")
            case .output(let container, let text): line("\(stepLabel): \(container) | \(Self.printable(text))")
            case .ephemeralExited(let container, let code): line("\(stepLabel): \(container) exited \(code)")
            case .started(let container): line("\(stepLabel): started \(container)")
            }
        case .stepFinished(_, _, let version, let report):
            setWaiting(nil)
            let elapsed = report.finishedAt.timeIntervalSince(report.startedAt)
            if report.succeeded {
                line("\(stepLabel): done, installation runs \(version) (\(String(format: "%.1f", elapsed)) s)")
            } else {
                line("\(stepLabel): FAILED: \(report.failure ?? "")")
                for run in report.runs where run.outcome == .failed && !run.logTail.isEmpty {
                    line("  last log lines of \(run.name):")
                    for logLine in run.logLines.suffix(10) { line("    \(Self.printable(logLine))") }
                }
            }
        }
    }

    func note(_ message: String) {
        line("\(stepLabel.isEmpty ? "" : stepLabel + ": ")\(message)")
    }

    func finish() {
        ticker?.cancel()
        setWaiting(nil)
    }

    /// A container's output line with its control characters (terminal escapes, say)
    /// shown as `\u{1B}` rather than obeyed.
    static func printable(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\t" || (0x7F...0x9F).contains(scalar.value) {
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private func setWaiting(_ what: String?) {
        lock.withLock { waitingFor = what }
        if let what, !interactive { line("\(stepLabel): waiting for \(what)") }
        redraw()
    }

    private func redraw() {
        guard interactive, !quiet else { return }
        let text: String = lock.withLock {
            guard let waitingFor else { return "\r\u{1B}[K" }
            let seconds = (ContinuousClock.now - stepStarted).components.seconds
            return "\r\u{1B}[K\(stepLabel): waiting for \(waitingFor) (\(seconds) s)"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }

    private func line(_ text: String) {
        guard !quiet else { return }
        lock.withLock {
            let prefix = interactive ? "\r\u{1B}[K" : ""
            FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
        }
        redraw()
    }
}

/// Routes the runner's log lines (info and above) into the progress display.
struct ProgressLogHandler: LogHandler {
    let printer: UpgradeProgressPrinter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = ProcessInfo.processInfo.environment["LOCKSTEP_DEBUG"] == nil ? .info : .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        printer.note(event.level >= .warning ? "\(event.level): \(event.message)" : "\(event.message)")
    }
}
