import Foundation
import LockstepManifest
import LockstepRunner
import LockstepRuntime
import LockstepUpgrade
import Logging

/// Shows an upgrade as it goes. Calm (the default): on a terminal one line per step
/// rewritten in place (step i/n, version, what it waits for, elapsed), the
/// migration's own output indented under it; piped, one plain line per change of
/// state and no escape codes. Verbose: every event and log line, as plain lines.
final class UpgradeProgressPrinter: @unchecked Sendable {
    private let quiet: Bool
    private let verbose: Bool
    private let interactive: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var stepLabel = ""
    private var waitingFor: String?
    private var headerShown = false
    private var stepStarted = ContinuousClock.now
    private let upgradeStarted = ContinuousClock.now
    private var ticker: Task<Void, Never>?
    /// What the JSON report and the summary need: the plan and each step's report.
    let timeline = UpgradeTimeline()

    /// `lockstep-<install>-`: the part of every container name a person need not read.
    private let namePrefix: String

    init(
        quiet: Bool,
        verbose: Bool = false,
        installation: String = "",
        interactive: Bool = Terminal.standardErrorIsTerminal,
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }
    ) {
        self.quiet = quiet
        self.verbose = verbose
        self.interactive = interactive && !verbose
        self.write = write
        namePrefix = String(ContainerNaming.name(install: installation, component: "x", container: "x").dropLast(3))
        if self.interactive && !quiet {
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
        timeline.record(progress)
        switch progress {
        case .waitingForLock(let holder):
            line("waiting for the installation's lock, held by \(holder ?? "another upgrade")")
        case .resuming(let upgradeID, let remaining):
            line("resuming upgrade \(upgradeID.prefix(8)): \(remaining) step(s) left")
        case .planned(let steps, let from, let kind):
            line(
                "\(kind) from \(from ?? "nothing installed"): "
                    + steps.map { $0.version + ($0.required ? " (required)" : "") }.joined(separator: " -> ")
            )
        case .upToDate(let version):
            line("already runs \(version); nothing to do (--redeploy deploys it again)")
        case .nothingToResume:
            line("no interrupted upgrade to resume")
        case .stepStarted(let position, let count, let version):
            lock.withLock {
                stepLabel = "step \(position)/\(count) \(version)"
                stepStarted = .now
                waitingFor = nil
                headerShown = false
            }
            if interactive { setWaiting("the first event") } else { line("\(stepLabel): applying") }
        case .milestone(_, _, let milestone):
            show(milestone)
        case .stepFinished(_, _, let version, let report):
            lock.withLock { waitingFor = nil }
            let elapsed = DurationText.between(report.startedAt, report.finishedAt)
            if report.succeeded {
                line("\(stepLabel): done in \(elapsed), installation runs \(version)")
            } else {
                line("\(stepLabel): FAILED after \(elapsed): \(report.failure ?? "")")
                for run in report.runs where run.outcome == .failed && !run.logTail.isEmpty {
                    line("  last log lines of \(run.name):")
                    for logLine in run.logLines.suffix(10) { line("    \(Self.printable(logLine))") }
                }
            }
        }
    }

    /// `migrate-migrate` for `lockstep-shop-migrate-migrate`.
    func shortName(_ container: String) -> String {
        container.hasPrefix(namePrefix) && container.count > namePrefix.count ? String(container.dropFirst(namePrefix.count)) : container
    }

    private func show(_ milestone: RunMilestone) {
        let milestone = milestone.named(by: shortName)
        switch milestone {
        case .waiting(let event): setWaiting(event)
        case .eventFired(let event): if verbose { line("\(stepLabel): \(event) fired") }
        case .starting(let container, let ephemeral): setWaiting(ephemeral ? "migration \(container) to start" : "\(container) to start")
        case .ephemeralStarted(let container): setWaiting("\(container) to exit")
        case .output(let container, let text):
            if verbose {
                line("\(stepLabel): \(container) | \(Self.printable(text))")
            } else {
                let needsHeader = lock.withLock { () -> Bool in
                    defer { headerShown = true }
                    return !headerShown && interactive
                }
                if needsHeader { line("\(stepLabel): \(container) says:") }
                line("    \(Self.printable(text))")
            }
        case .ephemeralExited(let container, let code):
            if !interactive { line("\(stepLabel): \(container) exited \(code)") }
        case .started(let container):
            // Piped, the runner's own line says it (`started web/web on …`).
            if verbose { line("\(stepLabel): started \(container)") }
        }
    }

    func note(_ message: String) {
        line("\(stepLabel.isEmpty ? "" : stepLabel + ": ")\(message)")
    }

    /// Whether a runner log line is shown: on a terminal warnings only; piped or
    /// verbose, every one (each says what changed: started, stopped, kept).
    func shows(_ level: Logger.Level) -> Bool { !interactive || level >= .warning }

    /// Stops the ticking line and prints the summary of what this run did.
    func finish(installation: String = "", outcome: UpgradeOutcome? = nil) {
        ticker?.cancel()
        lock.withLock { waitingFor = nil }
        redraw()
        guard let outcome else { return }
        let applied = timeline.finishedSteps
        guard !applied.isEmpty else { return }
        let done = applied.filter(\.report.succeeded).count
        let total = DurationText.format(ContinuousClock.now - upgradeStarted)
        if outcome.succeeded {
            let from = timeline.from.map { " from \($0)" } ?? ""
            line("upgraded \(installation)\(from) to \(outcome.installedVersion ?? "?") in \(done) step\(done == 1 ? "" : "s"), \(total)")
        } else {
            line("\(done) of \(applied.count) step\(applied.count == 1 ? "" : "s") done in \(total); stopped at \(applied.last?.version ?? "?")")
        }
    }

    /// A container's output line with its control characters (terminal escapes, say)
    /// shown as `\u{1B}` rather than obeyed.
    static func printable(_ text: String) -> String {
        text.escapingControlCharacters
    }

    private func setWaiting(_ what: String?) {
        let changed = lock.withLock { () -> Bool in
            defer { waitingFor = what }
            return waitingFor != what
        }
        if let what, !interactive, changed { line("\(stepLabel): waiting for \(what)") }
        redraw()
    }

    private func redraw() {
        guard interactive, !quiet else { return }
        let text: String = lock.withLock {
            guard let waitingFor else { return "\r\u{1B}[K" }
            let elapsed = DurationText.format(ContinuousClock.now - stepStarted)
            return "\r\u{1B}[K" + "\(stepLabel): waiting for \(waitingFor) (\(elapsed))".escapingControlCharacters
        }
        write(text)
    }

    private func line(_ text: String) {
        guard !quiet else { return }
        lock.withLock { write((interactive ? "\r\u{1B}[K" : "") + text.escapingControlCharacters + "\n") }
        redraw()
    }
}

/// Routes the runner's log lines into the progress display: every one when
/// verbose, warnings and errors otherwise.
struct ProgressLogHandler: LogHandler {
    let printer: UpgradeProgressPrinter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = ProcessInfo.processInfo.environment["LOCKSTEP_DEBUG"] == nil ? .info : .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        guard printer.shows(event.level) else { return }
        printer.note(event.level >= .warning ? "\(event.level): \(event.message)" : "\(event.message)")
    }
}

extension RunMilestone {
    /// The same milestone with its container name as `rename` writes it.
    func named(by rename: (String) -> String) -> RunMilestone {
        switch self {
        case .waiting, .eventFired: self
        case .starting(let container, let ephemeral): .starting(container: rename(container), ephemeral: ephemeral)
        case .ephemeralStarted(let container): .ephemeralStarted(container: rename(container))
        case .output(let container, let line): .output(container: rename(container), line: line)
        case .ephemeralExited(let container, let code): .ephemeralExited(container: rename(container), exitCode: code)
        case .started(let container): .started(container: rename(container))
        }
    }
}
