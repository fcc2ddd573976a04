import ArgumentParser
import Foundation
import LockstepProbe
import Logging

extension Lockstep.Probe {
    struct Postgres: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "postgres",
            abstract: "Wait until PostgreSQL accepts work: authenticated, queried, and asserted.",
            discussion: """
                Unlike a TCP port check or pg_isready, the probe connects as the given user to the \
                given database, runs one query, and checks the server version, extensions and \
                writability you ask for. Retryable failures (not listening, starting up, too many \
                clients, read-only) are retried with backoff until --timeout; a wrong password or a \
                missing database only during --provisioning-window.

                The password never appears in the output. To keep it out of the process list too, \
                leave it out of the URL and use PGPASSWORD or ~/.pgpass, or pass "-" and write the \
                connection string on standard input.

                Exit status: 0 ready, 1 rejecting, 2 no response, 3 no attempt (bad connection \
                string), 4 authentication failed, 5 database missing, 6 read-only, 7 version \
                too old, 8 extension missing, 9 timeout (the deadline passed while still retrying; \
                the JSON's lastFailure tells why).
                """
        )

        @Argument(
            help: ArgumentHelp(
                "postgresql:// URL or key=value conninfo; \"-\" reads it from standard input.",
                valueName: "url|conninfo"
            )
        )
        var connection: String

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Give up after this long (30s, 15m, 12h, 7d; a bare number is seconds); 0 tries once, like pg_isready.",
                valueName: "duration"
            )
        )
        var timeout = DurationArgument(seconds: 60)

        @Option(
            name: .customLong("min-version"),
            parsing: .unconditional,
            help: ArgumentHelp(
                "Lowest acceptable server: a major version (15) or a server_version_num (150004).",
                valueName: "version"
            )
        )
        var minVersion: Int?

        @Option(
            name: .customLong("extension"),
            help: ArgumentHelp(
                "An extension that must be installed in the database (repeatable).",
                valueName: "name"
            )
        )
        var extensions: [String] = []

        @Flag(name: .customLong("require-writable"), help: "Not ready while the server is a standby or read-only.")
        var requireWritable = false

        @Option(name: .customLong("stable"), parsing: .unconditional, help: ArgumentHelp("Consecutive passing checks required.", valueName: "n"))
        var stablePasses: Int = 1

        @Option(
            name: .customLong("provisioning-window"),
            parsing: .unconditional,
            help: ArgumentHelp(
                "How long a failed login or missing database is retried (the database may still be being created).",
                valueName: "duration"
            )
        )
        var provisioningWindow = DurationArgument(seconds: 3)

        @Option(help: ArgumentHelp("Output format: text (one line) or json.", valueName: "format"))
        var output: ProbeOutputFormat = .text

        @Flag(name: .shortAndLong, help: "Print nothing; only the exit status tells.")
        var quiet = false

        @Flag(name: .shortAndLong, help: "Log each change of the server's state on standard error.")
        var verbose = false

        static let maximumStablePasses = 1_000
        static let maximumVersionNumber = 9_999_999

        func validate() throws {
            guard (1...Self.maximumStablePasses).contains(stablePasses) else {
                throw ValidationError("--stable must be between 1 and \(Self.maximumStablePasses), found \(stablePasses).")
            }
            if let minVersion, !(1...Self.maximumVersionNumber).contains(minVersion) {
                throw ValidationError("--min-version must be a major version (15) or a server_version_num (150004), found \(minVersion).")
            }
            if extensions.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
                throw ValidationError("--extension needs a name.")
            }
        }

        func run() async throws {
            var logger = Logger(label: "lockstep.probe") { label in StreamLogHandler.standardError(label: label) }
            logger.logLevel = verbose ? .info : .warning
            let options = ProbeOptions(
                connection: connection == "-" ? Self.readStandardInput() : connection,
                timeout: timeout.duration,
                minimumVersion: minVersion,
                requiredExtensions: extensions,
                requireWritable: requireWritable,
                stablePasses: stablePasses,
                provisioningWindow: provisioningWindow.duration
            )
            let report = await PostgresProbe(options: options, logger: logger).run()
            if !quiet {
                switch output {
                case .text:
                    print(report.summary)
                case .json:
                    try JSONOutput.print(ProbeJSON(report: report))
                }
            }
            let code = report.outcome.exitCode
            if code != 0 { throw ExitCode(code) }
        }

        private static func readStandardInput() -> String {
            (readLine(strippingNewline: true) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

enum ProbeOutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case text, json
}
