import Foundation
import LockstepTestSupport
import Testing

/// `lockstep probe postgres` as a user runs it: the built binary, its exit
/// status, its output — and never the password.
@Suite("lockstep probe postgres (CLI)", .serialized)
struct ProbeCLITests {
    /// The `lockstep` executable: $LOCKSTEP_BIN, else next to the test bundle in .build.
    static func binary() throws -> String {
        let candidate = LockstepCLI.binaryPath
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw PostgresClusterError.setupFailed("lockstep binary not found at \(candidate); run `swift build` first or set LOCKSTEP_BIN")
        }
        return candidate
    }

    static func probe(_ arguments: [String], stdin: String? = nil) async throws -> PostgresCommandResult {
        try await PostgresCommand.run(try binary(), ["probe", "postgres"] + arguments, standardInput: stdin)
    }

    static func expectNoSecret(_ result: PostgresCommandResult, _ secrets: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for secret in secrets {
            #expect(!result.stdout.contains(secret), "stdout shows the password: \(result.stdout)", sourceLocation: sourceLocation)
            #expect(!result.stderr.contains(secret), "stderr shows the password: \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    static func json(_ result: PostgresCommandResult) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("Exit statuses 0, 4, 5, 7, 8 against a running server; no password in any output")
    func exitCodes() async throws {
        try await PostgresCluster.withCluster { cluster in
            try await cluster.createApp()
            let secrets = [App.password, App.password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, "Wr0ng-Pa55phrase"]

            let ready = try await Self.probe([cluster.appURL(), "--verbose"])
            #expect(ready.status == 0, "\(ready)")
            #expect(ready.stdout.hasPrefix("ready: PostgreSQL 15."))
            #expect(ready.stdout.split(separator: "\n").count == 1, "text output is one line")
            Self.expectNoSecret(ready, secrets)

            let wrong = try await Self.probe([
                cluster.appURL(password: "Wr0ng-Pa55phrase"), "--output", "json", "--verbose", "--provisioning-window", "0",
            ])
            #expect(wrong.status == 4, "\(wrong)")
            Self.expectNoSecret(wrong, secrets)
            let document = try Self.json(wrong)
            #expect(document["outcome"] as? String == "authenticationFailed")
            #expect(document["sqlstate"] as? String == "28P01")
            #expect(document["stage"] as? String == "connect")
            #expect(document["classification"] as? String == "fatal")
            #expect(document["attempts"] as? Int == 1)
            #expect(document["elapsedMilliseconds"] is Int)
            #expect(document["exitCode"] as? Int == 4)
            #expect((document["message"] as? String)?.contains("password authentication failed") == true)
            #expect(document["connection"] as? String == "postgresql://app:***@127.0.0.1:\(cluster.port)/app")

            let missing = try await Self.probe([cluster.appURL(database: "nope"), "--provisioning-window", "0"])
            #expect(missing.status == 5, "\(missing)")
            #expect(missing.stdout.contains("3D000"))

            let old = try await Self.probe([cluster.appURL(), "--min-version", "99"])
            #expect(old.status == 7, "\(old)")
            let noExtension = try await Self.probe([cluster.appURL(), "--extension", "plpgsql", "--extension", "no_such_ext"])
            #expect(noExtension.status == 8, "\(noExtension)")
            #expect(noExtension.stdout.contains("no_such_ext"))

            // conninfo form, password from the environment, as libpq does it.
            let conninfo = "host=127.0.0.1 port=\(cluster.port) user=app dbname=app password='\(App.password)'"
            let keyValue = try await Self.probe([conninfo, "--output", "json"])
            #expect(keyValue.status == 0, "\(keyValue)")
            Self.expectNoSecret(keyValue, secrets)

            // "-" reads the connection string from standard input (keeps it out of `ps`).
            let fromStdin = try await Self.probe(["-"], stdin: cluster.appURL() + "\n")
            #expect(fromStdin.status == 0, "\(fromStdin)")
            Self.expectNoSecret(fromStdin, secrets)
        }
    }

    @Test("Nothing listening: 9 (timeout) with a deadline, 2 (no response) with --timeout 0")
    func noServer() async throws {
        let port = try PostgresCluster.freePort()
        let started = ContinuousClock.now
        let waited = try await Self.probe([App.url(port: port), "--timeout", "1", "--output", "json"])
        #expect(waited.status == 9, "\(waited)")
        #expect(started.duration(to: .now) < .seconds(3))
        let document = try Self.json(waited)
        #expect(document["lastFailure"] as? String == "noResponse")
        #expect((document["attempts"] as? Int ?? 0) > 1)

        let once = try await Self.probe([App.url(port: port), "--timeout", "0"])
        #expect(once.status == 2, "\(once)")
        Self.expectNoSecret(once, [App.password])
    }

    @Test(
        "A bad connection string exits 3 at once, without echoing the password",
        arguments: [
            "host=127.0.0.1 port=5432 password=abc defghi",
            "postgresql://app:Secret-pw@127.0.0.1:5432/app?sslmode=bogus",
            "postgresql://app:Secret-pw@[::1/app",
        ]
    )
    func badConnectionString(connection: String) async throws {
        let started = ContinuousClock.now
        let result = try await Self.probe([connection, "--timeout", "30", "--output", "json"])
        #expect(result.status == 3, "\(result)")
        #expect(started.duration(to: .now) < .seconds(2))
        Self.expectNoSecret(result, ["abc", "defghi", "Secret-pw"])
        #expect(try Self.json(result)["attempts"] as? Int ?? 99 <= 1)
    }

    @Test("Standbys: 1 (rejecting) with hot_standby off, 6 (read-only) with --require-writable")
    func standbys() async throws {
        try await PostgresCluster.withCluster { primary in
            let off = try await primary.startStandby(hotStandby: false)
            let rejecting = try await Self.probe([off.connectionURL(), "--timeout", "0"])
            await off.stop()
            #expect(rejecting.status == 1, "\(rejecting)")
            #expect(rejecting.stdout.contains("57P03"))

            let on = try await primary.startStandby(hotStandby: true)
            let readOnly = try await Self.probe([on.connectionURL(), "--timeout", "0", "--require-writable"])
            let readable = try await Self.probe([on.connectionURL(), "--timeout", "0"])
            await on.stop()
            #expect(readOnly.status == 6, "\(readOnly)")
            #expect(readable.status == 0, "\(readable)")
        }
    }

    @Test("Invalid flags are usage errors (64)", arguments: [["--stable", "0"], ["--timeout", "-1"]])
    func usage(flags: [String]) async throws {
        let result = try await Self.probe(["postgresql://127.0.0.1/app"] + flags)
        #expect(result.status == 64, "\(result)")
    }
}
