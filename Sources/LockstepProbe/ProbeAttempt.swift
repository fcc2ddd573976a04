import Foundation

/// One pass through the stages, run as a single blocking unit so that the
/// connection it opens is always finished before it returns.
struct ProbeAttempt {
    struct ServerFacts: Sendable, Equatable {
        var version: Int
        var inRecovery: Bool
        var readOnly: Bool
        var database: String
        var installedExtensions: [String]
    }

    enum Facts: Sendable {
        case noAttempt(message: String)
        case noResponse(message: String)
        /// `ping` tells whether PQpingParams already saw the server accept connections.
        case connectFailed(ping: LibPQ.Ping, message: String, needsPassword: Bool)
        case queryFailed(sqlstate: String?, message: String)
        case answered(ServerFacts)
    }

    static let query = """
        SELECT 1, current_setting('server_version_num')::int, pg_is_in_recovery(), \
        current_setting('transaction_read_only'), current_database(), \
        (SELECT coalesce(json_agg(extname ORDER BY extname), '[]'::json) FROM pg_extension)
        """

    /// Connection failures slower than this are not retried just to learn
    /// their message: something is holding connections open without answering.
    static let slowPing: Duration = .seconds(1)

    static func run(connection: String, connectTimeoutSeconds: Int) -> Facts {
        let parameters = LibPQ.parameters(connection, connectTimeoutSeconds: connectTimeoutSeconds)
        let clock = ContinuousClock()
        let started = clock.now
        let ping = LibPQ.ping(parameters)
        switch ping {
        case .noAttempt:
            return .noAttempt(message: LibPQ.optionsError(parameters))
        case .noResponse where started.duration(to: clock.now) >= slowPing:
            return .noResponse(
                message: "no answer from a PostgreSQL server within \(connectTimeoutSeconds) s (is something else listening on that port?)"
            )
        case .ok, .reject, .noResponse:
            // For a rejection or no response, connecting anyway gets the reason
            // (and catches a server that became ready in between).
            break
        }
        switch LibPQ.connect(parameters) {
        case .failed(let message, let needsPassword):
            return .connectFailed(ping: ping, message: message, needsPassword: needsPassword)
        case .connected(let connection):
            defer { connection.finish() }
            switch connection.execute(query) {
            case .failed(let sqlstate, let message):
                return .queryFailed(sqlstate: sqlstate, message: message)
            case .rows(let rows):
                guard let row = rows.first, row.count == 6,
                    let version = row[1].flatMap({ Int($0) })
                else {
                    return .queryFailed(sqlstate: nil, message: "unexpected answer to the readiness query")
                }
                let extensions = row[5].flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
                return .answered(
                    ServerFacts(
                        version: version,
                        inRecovery: row[2] == "t",
                        readOnly: row[3] == "on",
                        database: row[4] ?? "",
                        installedExtensions: extensions
                    )
                )
            }
        }
    }
}

/// The verdict of one attempt, before retry policy is applied.
struct AttemptVerdict: Equatable {
    var outcome: ProbeOutcome
    var stage: ProbeStage
    var sqlstate: String?
    var message: String
    var facts: ProbeAttempt.ServerFacts?

    init(_ facts: ProbeAttempt.Facts, options: ProbeOptions) {
        switch facts {
        case .noAttempt(let message):
            self.init(outcome: .noAttempt, stage: .ping, message: message)
        case .noResponse(let message):
            self.init(outcome: .noResponse, stage: .ping, message: message)
        case .connectFailed(let ping, let message, let needsPassword):
            let text = FailureClassifier.serverMessage(message)
            switch ping {
            case .noResponse, .noAttempt:
                // Keep libpq's "connection to server at … failed:" here: it names the address tried.
                let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
                self.init(outcome: .noResponse, stage: .ping, message: firstLine)
            case .reject:
                let classified = FailureClassifier.classifyConnectFailure(message, needsPassword: needsPassword)
                self.init(outcome: .rejecting, stage: .ping, sqlstate: classified.sqlstate ?? "57P03", message: text)
            case .ok:
                let classified = FailureClassifier.classifyConnectFailure(message, needsPassword: needsPassword)
                self.init(outcome: classified.outcome, stage: .connect, sqlstate: classified.sqlstate, message: text)
            }
        case .queryFailed(let sqlstate, let message):
            // A failing round trip on a fresh connection means the server is
            // not (yet) fit for work, e.g. shutting down under us.
            self.init(outcome: .rejecting, stage: .query, sqlstate: sqlstate, message: message)
        case .answered(let server):
            self.init(server: server, options: options)
        }
    }

    init(outcome: ProbeOutcome, stage: ProbeStage, sqlstate: String? = nil, message: String, facts: ProbeAttempt.ServerFacts? = nil) {
        self.outcome = outcome
        self.stage = stage
        self.sqlstate = sqlstate
        self.message = message
        self.facts = facts
    }

    private init(server: ProbeAttempt.ServerFacts, options: ProbeOptions) {
        let version = Self.versionText(server.version)
        if let minimum = options.minimumVersionNumber, server.version < minimum {
            let wanted = options.minimumVersion.map { $0 < 1000 ? String($0) : Self.versionText($0) } ?? ""
            self.init(
                outcome: .versionMismatch,
                stage: .assertions,
                message: "PostgreSQL \(version) is older than the required \(wanted)",
                facts: server
            )
            return
        }
        let missing = options.requiredExtensions.filter { !server.installedExtensions.contains($0) }
        if !missing.isEmpty {
            let names = missing.joined(separator: ", ")
            self.init(
                outcome: .extensionMissing,
                stage: .assertions,
                message: "extension\(missing.count > 1 ? "s" : "") \(names) not installed in database \"\(server.database)\" (CREATE EXTENSION)",
                facts: server
            )
            return
        }
        let writable = !server.inRecovery && !server.readOnly
        if options.requireWritable, !writable {
            let why = server.inRecovery ? "the server is in recovery (a standby)" : "transaction_read_only is on"
            self.init(
                outcome: .readOnly,
                stage: .assertions,
                sqlstate: "25006",
                message: "database \"\(server.database)\" is read-only: \(why)",
                facts: server
            )
            return
        }
        self.init(
            outcome: .ready,
            stage: .assertions,
            message: "PostgreSQL \(version) accepts \(writable ? "writes" : "read-only connections") on database \"\(server.database)\"",
            facts: server
        )
    }

    static func versionText(_ number: Int) -> String {
        number >= 100000 ? "\(number / 10000).\(number % 10000)" : "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }
}
