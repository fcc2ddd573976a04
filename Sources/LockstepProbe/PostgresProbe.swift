import Foundation
import Logging

/// Decides whether a PostgreSQL server is ready for work, over the same
/// network path an application uses (section 4 of the design).
///
/// `run()` retries retryable failures with backoff until ready, a fatal
/// failure, or the deadline; it never throws and returns at the deadline even
/// if a connection attempt is still hanging. Cancelling the task ends it early.
public struct PostgresProbe: Sendable {
    public let options: ProbeOptions
    private let logger: Logger

    public init(options: ProbeOptions, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    /// `connection` with its password replaced by `***`; an unparsable string
    /// is not echoed at all.
    public static func redact(_ connection: String) -> String {
        (try? ConnectionString(connection))?.redacted ?? "<invalid connection string>"
    }

    public func run() async -> ProbeReport {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started + options.timeout
        let connection: ConnectionString
        do {
            connection = try ConnectionString(options.connection)
        } catch {
            logger.notice("no attempt: \(error.description)")
            return ProbeReport(
                outcome: .noAttempt,
                stage: .conninfo,
                classification: .fatal,
                message: error.description,
                attempts: 0,
                elapsedMilliseconds: 0,
                connection: Self.redact(options.connection)
            )
        }
        if let problem = ProbeTarget.problem(options.connection, parsed: connection) {
            logger.notice("no attempt: \(problem)")
            return ProbeReport(
                outcome: .noAttempt,
                stage: .conninfo,
                classification: .fatal,
                message: problem,
                attempts: 0,
                elapsedMilliseconds: 0,
                connection: connection.redacted
            )
        }
        let environment = ProcessInfo.processInfo.environment
        let queue = DispatchQueue(label: "lockstep.probe")
        var backoff = Backoff()
        var attempts = 0
        var passes = 0
        var last: AttemptVerdict?
        var lastLogged: String?

        func report(
            _ verdict: AttemptVerdict,
            outcome: ProbeOutcome? = nil,
            classification: ProbeClassification,
            lastFailure: ProbeOutcome? = nil,
            message: String? = nil
        ) -> ProbeReport {
            ProbeReport(
                outcome: outcome ?? verdict.outcome,
                stage: verdict.stage,
                classification: classification,
                lastFailure: lastFailure,
                sqlstate: verdict.sqlstate,
                message: connection.redact(message ?? verdict.message, environment: environment),
                attempts: attempts,
                elapsedMilliseconds: Self.milliseconds(started.duration(to: clock.now)),
                serverVersion: verdict.facts?.version,
                inRecovery: verdict.facts?.inRecovery,
                readOnly: verdict.facts.map { $0.inRecovery || $0.readOnly },
                connection: connection.redacted
            )
        }

        func timedOut(_ why: String) -> ProbeReport {
            let verdict = last ?? AttemptVerdict(outcome: .noResponse, stage: .ping, message: why)
            logger.notice("timeout: \(connection.redact(verdict.message, environment: environment))")
            return report(verdict, outcome: .timeout, classification: .retryable, lastFailure: verdict.outcome)
        }

        while true {
            if attempts > 0, clock.now >= deadline { return timedOut("deadline passed") }
            attempts += 1
            let single = options.timeout <= .zero
            let connectTimeout = single ? 3 : Self.connectTimeoutSeconds(remaining: clock.now.duration(to: deadline))
            let raw = options.connection
            let facts = await BlockingCall.run(on: queue, until: single ? nil : deadline) {
                ProbeAttempt.run(connection: raw, connectTimeoutSeconds: connectTimeout)
            }
            guard let facts else {
                if Task.isCancelled {
                    return report(
                        last ?? AttemptVerdict(outcome: .noResponse, stage: .ping, message: "cancelled"),
                        outcome: .timeout,
                        classification: .retryable,
                        lastFailure: last?.outcome,
                        message: "probe cancelled"
                    )
                }
                return timedOut("no answer before the deadline")
            }
            var verdict = AttemptVerdict(facts, options: options)
            if verdict.outcome == .noAttempt { verdict.message = connection.redactOptionError(verdict.message) }
            let stateChanged = verdict.outcome != last?.outcome || verdict.message != last?.message
            last = verdict
            let logLine = "\(verdict.outcome): \(connection.redact(verdict.message, environment: environment))"
            if logLine != lastLogged {
                lastLogged = logLine
                logger.info("\(logLine)", metadata: ["attempt": "\(attempts)", "stage": "\(verdict.stage.rawValue)"])
            }

            let elapsed = started.duration(to: clock.now)
            switch verdict.outcome {
            case .ready:
                passes += 1
                if passes >= max(1, options.stablePasses) { return report(verdict, classification: .none) }
            case .authenticationFailed, .databaseMissing:
                passes = 0
                if single || elapsed >= min(options.provisioningWindow, options.timeout) {
                    return report(verdict, classification: .fatal)
                }
            case .noAttempt, .versionMismatch, .extensionMissing, .timeout:
                return report(verdict, classification: .fatal)
            case .rejecting, .noResponse, .readOnly:
                passes = 0
                if single { return report(verdict, classification: .retryable) }
            }
            if single { return report(verdict, classification: .none) }

            if stateChanged { backoff.reset() }
            let delay = min(backoff.next(), clock.now.duration(to: deadline))
            if delay > .zero {
                do { try await Task.sleep(for: delay) } catch {
                    return report(verdict, outcome: .timeout, classification: .retryable, lastFailure: verdict.outcome, message: "probe cancelled")
                }
            }
        }
    }

    /// Bounds each libpq connection attempt. libpq takes whole seconds and
    /// treats anything below 2 as 2; the deadline race cuts it shorter anyway.
    static func connectTimeoutSeconds(remaining: Duration) -> Int {
        let seconds = Int(remaining.components.seconds) + 1
        return min(10, max(2, seconds))
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension ProbeReport {
    /// One line for people: the outcome and why.
    public var summary: String {
        switch outcome {
        case .ready:
            return "ready: \(message) (\(attempts) attempt\(attempts == 1 ? "" : "s"), \(elapsedMilliseconds) ms)"
        case .timeout:
            let why = lastFailure.map { "\($0): " } ?? ""
            return
                "timeout after \(elapsedMilliseconds) ms and \(attempts) attempt\(attempts == 1 ? "" : "s"); last: \(why)\(message)\(sqlstate.map { " (SQLSTATE \($0))" } ?? "")"
        default:
            return "\(outcome): \(message)\(sqlstate.map { " (SQLSTATE \($0))" } ?? "")"
        }
    }
}
