import Foundation
import LockstepTestSupport
import Testing

/// Issue 9's crashes and messages: one clear line, a documented exit status, no trap, no
/// backtrace, nothing changed. Out-of-range numbers run the binary (a trap must show as the
/// process's death, not the test runner's); the rest run in process (`LockstepCLI.execute`).
@Suite("Bad input on the command line (issue 9)")
struct BadInputCLITests {
    static let manifest = TestManifests.busyboxWeb(named: "shop")

    static func expectClean(_ result: LockstepCLI.Output, status: Int32, mentions: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.combined)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(mentions), "\(result.stderr)", sourceLocation: sourceLocation)
        for crash in ["Fatal error", "Backtrace", "Stack dump", "Illegal instruction", "SIGILL"] {
            #expect(!result.combined.contains(crash), "\(result.combined)", sourceLocation: sourceLocation)
        }
    }

    @Test(
        "Huge or negative numbers and durations are range-checked, never trap",
        arguments: [
            (["probe", "postgres", "postgresql://127.0.0.1/app", "--timeout", "1e10"], "--timeout"),
            (["probe", "postgres", "postgresql://127.0.0.1/app", "--provisioning-window", "1e300"], "--provisioning-window"),
            (["probe", "postgres", "postgresql://127.0.0.1/app", "--timeout", "-5"], "--timeout"),
            (["probe", "postgres", "postgresql://127.0.0.1/app", "--stable", "-3"], "--stable must be between 1 and"),
            (["probe", "postgres", "postgresql://127.0.0.1/app", "--stable", "99999999999999999999"], "--stable"),
            (["probe", "postgres", "postgresql://127.0.0.1/app", "--min-version", "-1"], "--min-version must be"),
            (["upgrade", "--to", "1.0.0", "--lock-timeout", "1e16"], "--lock-timeout"),
            (["resume", "--lock-timeout", "nan"], "--lock-timeout"),
            (["ledger", "ls", "--limit", "-3"], "--limit must be"),
            (["channel", "demote", "Stable", "--channel-sequence", "-1"], "--channel-sequence must be"),
        ]
    )
    func numbers(arguments: [String], mentions: String) throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let result = try cli.run(arguments: arguments)
        Self.expectClean(result, status: 64, mentions: mentions)
        #expect(!result.stderr.contains("Missing value"))
        #expect(!FileManager.default.fileExists(atPath: cli.storePath), "a refused command created the store")
    }

    @Test("Durations take 30s, 15m, 12h, 7d and bare seconds")
    func durationForms() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        // No server on port 1: `--timeout 0` tries once; `--timeout 250ms` retries briefly; both exit without waiting.
        for timeout in ["0", "250ms", "0s"] {
            let result = try await cli.execute(
                "probe",
                "postgres",
                "host=127.0.0.1 port=1 user=app dbname=app",
                "--timeout",
                timeout,
                "--provisioning-window",
                "1m"
            )
            #expect([2, 9].contains(result.status), "\(timeout): \(result.combined)")
        }
    }

    @Test("A device, a folder or an oversized manifest is refused before it is read whole")
    func manifestFiles() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        for command in [["release", "create", "--version", "1.0.0", "--manifest"], ["release", "lint", "--manifest"], ["manifest", "graph"]] {
            let zero = try await cli.execute(arguments: command + ["/dev/zero"])
            Self.expectClean(zero, status: 65, mentions: "a device, not a regular file")
            #expect(!zero.stderr.contains("permission"))
            let folder = try await cli.execute(arguments: command + [cli.folder.path])
            Self.expectClean(folder, status: 65, mentions: "a folder, not a regular file")
        }
        // 2 MB of valid YAML: a comment padding a real manifest.
        let padding = "# " + String(repeating: "x", count: 1_000) + "\n"
        let big = try cli.write("big.yaml", Self.manifest + "\n" + String(repeating: padding, count: 2_100))
        let refused = try await cli.execute("release", "create", "--manifest", big, "--version", "1.0.0")
        Self.expectClean(refused, status: 65, mentions: "the limit is 1048576 bytes (1 MB)")
        #expect(!FileManager.default.fileExists(atPath: cli.storePath))
        let lint = try await cli.execute("release", "lint", "--manifest", big)
        Self.expectClean(lint, status: 65, mentions: "the limit is 1048576 bytes")
        let missing = try await cli.execute(
            "release",
            "create",
            "--manifest",
            cli.folder.appendingPathComponent("nope.yaml").path,
            "--version",
            "1.0.0"
        )
        Self.expectClean(missing, status: 66, mentions: "No such file or directory")
    }

    @Test("Terminal escapes in labels, notes and channel names are shown, not obeyed")
    func escapes() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let escape = "\u{1B}[2J\u{1B}]0;owned\u{07}"
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        let channel = try await cli.execute("channel", "create", "Evil", "--no-semver", "--description", "desc\(escape)")
        #expect(channel.status == 0, "\(channel.combined)")
        let created = try await cli.execute(
            "release",
            "create",
            "--manifest",
            manifest,
            "--version",
            "1.0.0",
            "--notes",
            "notes\(escape)\nforged line",
            "--promote",
            "Evil"
        )
        #expect(created.status == 0, "\(created.combined)")
        for arguments in [["channel", "ls"], ["release", "ls"], ["release", "show", "1.0.0"], ["channel", "show", "Evil"]] {
            let shown = try await cli.execute(arguments: arguments)
            #expect(shown.status == 0, "\(arguments): \(shown.combined)")
            #expect(!shown.combined.contains("\u{1B}"), "\(arguments) printed a raw escape")
            #expect(!shown.combined.contains("\u{07}"))
            #expect(shown.combined.contains("\\u{1B}[2J"), "\(arguments): \(shown.combined)")
        }
        // A label with a control character is refused outright.
        let label = try await cli.execute("release", "create", "--manifest", manifest, "--version", "2.0\(escape)", "--promote", "Evil")
        #expect(label.status == 65, "\(label.combined)")
        #expect(!label.stderr.contains("\u{1B}"))
        let unknown = try await cli.execute("channel", "show", "Nope\(escape)")
        #expect(unknown.status == 66)
        #expect(!unknown.stderr.contains("\u{1B}"))
        #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")
    }

    @Test(
        "Text that is not a PostgreSQL connection string exits 3 at once",
        arguments: [
            ("", "no connection string given"),
            ("not a url at all", "not a connection string"),
            ("mysql://root:Hunter2-pw@127.0.0.1/shop", "the URL scheme is \"mysql\""),
            ("mysql://root:Hunter2-pw@127.0.0.1/shop?ssl=1", "the URL scheme is \"mysql\""),
            ("host=127.0.0.1 frobnicate=1 password=Hunter2-pw", "unknown option \"frobnicate\""),
            ("postgresql://app:Hunter2-pw@127.0.0.1/app?frobnicate=1", "unknown option \"frobnicate\""),
            ("host=127.0.0.1 password=Hunter2 pw=x", "an unknown option follows the password"),
        ]
    )
    func notPostgres(connection: String, mentions: String) async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let started = ContinuousClock.now
        let result = try await cli.execute("probe", "postgres", connection, "--timeout", "30s")
        #expect(result.status == 3, "\(result.combined)")
        #expect(started.duration(to: .now) < .seconds(5))
        #expect(result.stdout.contains(mentions), "\(result.stdout)")
        #expect(!result.combined.contains("Hunter2"), "\(result.combined)")
    }
}
