import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// Design section 6: after a kill -9 at any point, the next `upgrade` (or `resume`)
    /// continues where it stopped and never runs a migration twice.
    @Suite("an upgrade killed with SIGKILL finishes on the next run")
    struct CrashTests {
        static let points = ["before-migration", "during-migration", "after-migration", "before-app-start", "after-app-start"]

        @Test("kill -9, then upgrade again: the state of an uninterrupted run", arguments: points)
        func killedUpgradeFinishesOnTheNextRun(point: String) async throws {
            try await UpgradeScenario.with("crash") { scenario in
                var releases = UpgradeScenario.demoReleases
                if point == "during-migration" {
                    // Long enough for the migration to outlive lockstep, short enough to wait for.
                    releases[2].sql = "SELECT pg_sleep(3); " + releases[2].sql
                }
                try await scenario.cutAll(releases)
                // Not under LOCKSTEP_CRASH_AT: before-app-start would also fire for the first install's database.
                try await scenario.installFirst()

                let crashed = try await scenario.upgrade("--to", "latest", environment: ["LOCKSTEP_CRASH_AT": point])
                // Foundation reports a death by signal as the signal number; a shell would say 137.
                #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL, "status \(crashed.status): \(crashed.combined)")
                #expect(crashed.stderr.contains("LOCKSTEP_CRASH_AT=\(point): killing lockstep now"), "\(crashed.stderr)")
                #expect(try await scenario.status().current == "1.0.0", "the installation moves only when a step succeeded")

                let migrate = "lockstep-\(scenario.install)-migrate-migrate"
                let left = try await scenario.containers()
                switch point {
                case "during-migration":
                    #expect(left[migrate] != nil, "the migration outlived lockstep: \(left)")
                case "after-migration":
                    #expect(left[migrate] == "exited", "exited, not yet removed: \(left)")
                default:
                    break
                }

                // `resume` is the documented continuation; `upgrade` again must be one too.
                let usesResume = point == "after-migration"
                let finished =
                    usesResume
                    ? try await scenario.lockstep(["resume", "--install", scenario.install])
                    : try await scenario.upgrade("--to", "latest")
                #expect(finished.status == 0, "\(finished.combined)")
                #expect(finished.stderr.contains("resuming upgrade"), "\(finished.stderr)")
                #expect(finished.stdout.contains("runs 1.5.0"), "\(finished.combined)")
                switch point {
                case "during-migration":
                    #expect(
                        finished.stderr.contains("migrate/migrate of this run is still there"),
                        "the running migration was adopted, not repeated: \(finished.stderr)"
                    )
                case "after-migration", "before-app-start", "after-app-start":
                    #expect(!finished.stderr.contains("step 1/3 1.2.0: started migrate/migrate"), "the journaled exit 0 decided: \(finished.stderr)")
                default:
                    #expect(
                        finished.stderr.contains("step 1/3 1.2.0: started migrate/migrate"),
                        "a migration that never started runs now: \(finished.stderr)"
                    )
                }

                #expect(try await scenario.status().current == "1.5.0")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"], "each migration ran once, in order")
                #expect(try await scenario.columns(of: "invoices") == ["id", "item_id", "total"])
                #expect(await scenario.appAnswer() == "inventory 1.5.0")
                let running = try await scenario.containers()
                #expect(
                    running == ["lockstep-\(scenario.install)-db-postgres": "running", "lockstep-\(scenario.install)-web-web": "running"],
                    "no leftover migration container: \(running)"
                )

                let migrations = try await scenario.ledger("--kind", "run", "--component", "migrate")
                #expect(migrations.filter { $0.status == "succeeded" }.map(\.releaseVersion) == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])
                #expect(!migrations.contains { $0.status == "failed" })
                try await scenario.expectLedgerIntact()

                let nothing = try await scenario.lockstep(["resume", "--install", scenario.install])
                #expect(nothing.status == 0)
                #expect(nothing.stderr.contains("no interrupted upgrade to resume"), "\(nothing.stderr)")
            }
        }
        @Test("killed before a migration that then fails: the previous app is started again")
        func restoreAfterACrashThenAFailure() async throws {
            try await UpgradeScenario.with("crashfail") { scenario in
                var releases = UpgradeScenario.demoReleases
                releases[2].sql = "ALTER TABLE item ADD COLUMN sku text; INSERT INTO schema_history (version) VALUES ('1.2.0');"
                try await scenario.cutAll(releases)
                try await scenario.installFirst()

                let crashed = try await scenario.upgrade("--to", "latest", environment: ["LOCKSTEP_CRASH_AT": "before-migration"])
                #expect(crashed.status == SIGKILL || crashed.status == 128 + SIGKILL, "status \(crashed.status): \(crashed.combined)")
                let failed = try await scenario.upgrade("--to", "latest")
                #expect(failed.status == 1, "\(failed.combined)")
                #expect(failed.stderr.contains("the installation stays on 1.0.0"), "\(failed.stderr)")
                #expect(try await scenario.schemaHistory() == ["1.0.0"])
                // The crashed run stopped the 1.0.0 app for the migration; --on-failure restore undoes that.
                let containers = try await scenario.containers()
                let answer = await scenario.appAnswer()
                #expect(answer == "inventory 1.0.0", "containers: \(containers)")
            }
        }
    }
}
