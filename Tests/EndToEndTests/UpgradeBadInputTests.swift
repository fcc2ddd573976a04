import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// Bad input and unavailable parts: a clear error, the documented exit status, and
    /// the installation left as it was.
    @Suite("upgrade refuses clearly and changes nothing")
    struct BadInputTests {
        @Test("an unknown installation: resume and status exit 66")
        func unknownInstallation() async throws {
            try await UpgradeScenario.with("unknown") { scenario in
                try await scenario.cutAll(Array(UpgradeScenario.demoReleases.prefix(2)))
                let resumed = try await scenario.lockstep(["resume", "--install", scenario.install])
                #expect(resumed.status == 66, "\(resumed.combined)")
                #expect(resumed.stderr.contains(scenario.install), "the message names the installation: \(resumed.stderr)")
                let status = try await scenario.lockstep(["status", "--install", scenario.install])
                #expect(status.status == 66, "\(status.combined)")
                #expect(status.stderr.contains(scenario.install), "\(status.stderr)")
                let listed = try await scenario.lockstep(["install", "ls", "--output", "json"])
                #expect(!listed.stdout.contains(scenario.install), "nothing was created: \(listed.stdout)")
                #expect(try await scenario.ledger().isEmpty)
            }
        }

        @Test("a target not on the channel, a lock held by another process, a lock file left by a dead one")
        func refusalsAndLocks() async throws {
            try await UpgradeScenario.with("locks") { scenario in
                try await scenario.cutAll()
                try await scenario.installFirst()
                let ledgerBefore = try await scenario.ledger()

                let missing = try await scenario.upgrade("--to", "1.3.5")
                #expect(missing.status == 67, "\(missing.combined)")
                #expect(missing.stderr.contains("1.3.5 is not on channel Stable; nearest available: 1.3.0, 1.4.0"), "\(missing.stderr)")
                #expect(try await scenario.status().current == "1.0.0")
                #expect(try await scenario.ledger().count == ledgerBefore.count, "a refusal records nothing")

                // Another process holds the installation's flock (not lockstep, so no holder is named).
                let holder = try ExternalLock(path: scenario.lockFile, seconds: 4)
                defer { holder.release() }
                try await holder.waitUntilHeld()
                let started = ContinuousClock.now
                let blocked = try await scenario.upgrade("--to", "latest", "--lock-timeout", "1")
                let waited = ContinuousClock.now - started
                #expect(blocked.status == 75, "\(blocked.combined)")
                #expect(blocked.stderr.contains("installation \(scenario.install) is being upgraded"), "\(blocked.stderr)")
                #expect(blocked.stderr.contains("waited 1 s"), "\(blocked.stderr)")
                #expect(!blocked.stderr.contains("by pid"), "no lockstep holds it, so no stale pid is named: \(blocked.stderr)")
                #expect(waited < .seconds(10), "it gave up after about --lock-timeout: \(waited)")
                holder.release()
                #expect(try await scenario.status().current == "1.0.0")
                #expect(try await scenario.ledger().count == ledgerBefore.count)
                #expect(try await scenario.schemaHistory() == ["1.0.0"])

                // A crashed lockstep's lock file: the kernel dropped its flock, only the text remains.
                let deadPID = Self.deadPID()
                try "\(deadPID)\nsome-host\n2020-01-01T00:00:00Z\n".write(toFile: scenario.lockFile, atomically: false, encoding: .utf8)
                let proceeded = try await scenario.upgrade("--to", "1.1.0", "--lock-timeout", "1")
                #expect(proceeded.status == 0, "\(proceeded.combined)")
                #expect(!proceeded.stderr.contains("waiting for the installation's lock"), "\(proceeded.stderr)")
                #expect(try await scenario.status().current == "1.1.0")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.1.0"])
                #expect(await scenario.appAnswer() == "inventory 1.1.0")
            }
        }

        @Test("a second upgrade while one runs: exit 75 naming the holder's pid, host and start time")
        func aRunningUpgradeIsNamed() async throws {
            try await UpgradeScenario.with("holder") { scenario in
                var releases = Array(UpgradeScenario.demoReleases.prefix(2))
                releases[1].sql = "SELECT pg_sleep(6); " + releases[1].sql
                try await scenario.cutAll(releases)
                try await scenario.installFirst()

                async let first = scenario.upgrade("--to", "1.1.0")
                let holderPID = try await Self.waitForLockstepHolder(scenario.lockFile, otherThan: nil)
                let second = try await scenario.upgrade("--to", "1.1.0", "--lock-timeout", "1")
                #expect(second.status == 75, "\(second.combined)")
                #expect(second.stderr.contains("by pid \(holderPID) on \(ProcessInfo.processInfo.hostName), started "), "\(second.stderr)")
                let finished = try await first
                #expect(finished.status == 0, "\(finished.combined)")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.1.0"])
            }
        }

        @Test("PostgreSQL never becomes ready: exit 69 (unavailable) naming the event, the installation unchanged")
        func postgresDownForTheWholeTimeout() async throws {
            try await UpgradeScenario.with("pgdown") { scenario in
                try await scenario.cutAll(Array(UpgradeScenario.demoReleases.prefix(2)))
                try await scenario.installFirst()
                let deadPort = try PostgresCluster.freePort()
                let broken = UpgradeScenario.Release(version: "1.2.0", required: false, sql: "INSERT INTO schema_history (version) VALUES ('1.2.0');")
                try await scenario.cut(broken) { manifest in
                    manifest
                        .replacingOccurrences(of: "}}:\(scenario.dbPort)/inventory'", with: "}}:\(deadPort)/inventory'")
                        .replacingOccurrences(of: "timeout: 120", with: "timeout: 3")
                }
                let ledgerBefore = try await scenario.ledger()

                let started = ContinuousClock.now
                let failed = try await scenario.upgrade("--to", "1.2.0")
                let took = ContinuousClock.now - started
                #expect(failed.status == 69, "\(failed.combined)")
                #expect(failed.stderr.contains("event \"database accepts writes\""), "the failure names the event: \(failed.stderr)")
                #expect(failed.stderr.contains("the installation stays on 1.0.0"), "\(failed.stderr)")
                #expect(!failed.combined.contains(scenario.password), "the connection string's password is redacted")
                #expect(took < .seconds(30), "bounded by the event's 3 s timeout: \(took)")

                #expect(try await scenario.status().current == "1.0.0")
                #expect(try await scenario.schemaHistory() == ["1.0.0"], "the migration never ran")
                #expect(await scenario.appAnswer() == "inventory 1.0.0", "the app was never stopped")
                let failures = try await scenario.ledger("--status", "failed").filter { $0.id > (ledgerBefore.last?.id ?? 0) }
                #expect(
                    failures.contains { $0.kind == "step" && $0.message?.contains("database accepts writes") == true },
                    "\(failures.map(\.message))"
                )
                try await scenario.expectLedgerIntact()
            }
        }

        /// A pid no process has: above every live one and refused by kill(0).
        static func deadPID() -> Int32 {
            var pid: Int32 = 4_000_000
            while kill(pid, 0) == 0 || errno != ESRCH { pid += 1 }
            return pid
        }

        /// The pid lockstep wrote in the lock file once it holds the flock.
        static func waitForLockstepHolder(_ path: String, otherThan old: Int32?) async throws -> Int32 {
            let deadline = ContinuousClock.now + .seconds(30)
            while ContinuousClock.now < deadline {
                if ExternalLock.isHeld(path), let text = try? String(contentsOfFile: path, encoding: .utf8),
                    let pid = text.split(separator: "\n").first.flatMap({ Int32($0) }), pid != old, kill(pid, 0) == 0
                {
                    return pid
                }
                try await Task.sleep(for: .milliseconds(50))
            }
            throw ScenarioError("no lockstep took the lock \(path) within 30 s")
        }
    }
}
