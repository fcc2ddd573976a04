import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// The README's story (examples/demo.sh) and its unhappy middle: a migration that fails.
    @Suite("upgrade walks the required releases")
    struct StoryTests {
        @Test("install 1.0.0, upgrade --to latest: the planned path, each migration once, the new app")
        func upgradeToLatestWalksThePlan() async throws {
            try await UpgradeScenario.with("story") { scenario in
                try await scenario.cutAll()
                try await scenario.installFirst()
                #expect(try await scenario.schemaHistory() == ["1.0.0"])
                #expect(await scenario.appAnswer() == "inventory 1.0.0")

                let planned = try await scenario.lockstep(["plan", "--to", "latest", "--install", scenario.install, "--output", "json"])
                #expect(planned.status == 0, "\(planned.combined)")
                let plan = try JSONDecoder().decode(PlanJSON.self, from: Data(planned.stdout.utf8))
                #expect(plan.steps.map(\.version) == ["1.2.0", "1.4.0", "1.5.0"])

                let dryRun = try await scenario.upgrade("--to", "latest", "--dry-run", "--output", "json")
                #expect(dryRun.status == 0, "\(dryRun.combined)")
                #expect(try JSONDecoder().decode(PlanJSON.self, from: Data(dryRun.stdout.utf8)).steps.map(\.version) == ["1.2.0", "1.4.0", "1.5.0"])
                #expect(try await scenario.status().current == "1.0.0", "--dry-run runs nothing")
                #expect(try await scenario.schemaHistory() == ["1.0.0"])

                let upgraded = try await scenario.upgrade("--to", "latest", "--output", "json")
                #expect(upgraded.status == 0, "\(upgraded.combined)")
                let report = try JSONDecoder().decode(UpgradeReportJSON.self, from: Data(upgraded.stdout.utf8))
                #expect(report.succeeded)
                #expect(report.installedVersion == "1.5.0")
                #expect(report.steps.map(\.version) == plan.steps.map(\.version), "the path taken is the path planned")
                #expect(report.steps.map(\.required) == plan.steps.map(\.required))
                #expect(report.steps.allSatisfy { $0.state == "succeeded" })
                #expect(report.migrations.map(\.exitCode) == [0, 0, 0])
                #expect(report.runs.filter { $0.component == "db" }.allSatisfy { $0.outcome == "kept" }, "the database is not restarted")

                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])
                #expect(try await scenario.columns(of: "items") == ["id", "name", "sku"])
                #expect(try await scenario.columns(of: "invoices") == ["id", "item_id", "total"])
                #expect(await scenario.appAnswer() == "inventory 1.5.0")

                let status = try await scenario.status()
                #expect(status.current == "1.5.0")
                #expect(status.upToDate)
                let table = try await scenario.lockstep(["status", "--install", scenario.install])
                #expect(table.stdout.contains("current:      1.5.0"), "\(table.stdout)")

                let ledgerBefore = try await scenario.ledger()
                let again = try await scenario.upgrade("--to", "latest")
                #expect(again.status == 0, "\(again.combined)")
                #expect(again.stderr.contains("already runs 1.5.0; nothing to do"), "\(again.stderr)")
                #expect(!again.stderr.contains("applying"), "an up-to-date installation runs nothing: \(again.stderr)")
                #expect(try await scenario.ledger().count == ledgerBefore.count, "nothing ran, nothing recorded")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])
                #expect(
                    ledgerBefore.filter { $0.kind == "run" && $0.component == "migrate" }.map(\.releaseVersion) == [
                        "1.0.0", "1.2.0", "1.4.0", "1.5.0",
                    ]
                )
                try await scenario.expectLedgerIntact()
            }
        }

        @Test("a failing migration stops the upgrade on the last good release; a fixed release continues it")
        func failedMigrationStopsThenAFixContinues() async throws {
            try await UpgradeScenario.with("fail") { scenario in
                var releases = UpgradeScenario.demoReleases
                // The vendor's bug: 1.4.0 references a table that does not exist.
                releases[4].sql =
                    "CREATE TABLE invoices (id serial PRIMARY KEY, item_id int NOT NULL REFERENCES item(id)); INSERT INTO schema_history (version) VALUES ('1.4.0');"
                try await scenario.cutAll(releases)
                try await scenario.installFirst()

                let failed = try await scenario.upgrade("--to", "latest", "--output", "json")
                #expect(failed.status == 1, "\(failed.combined)")
                #expect(failed.stderr.contains("error: upgrade stopped:"), "\(failed.stderr)")
                #expect(failed.stderr.contains("the installation stays on 1.2.0"), "\(failed.stderr)")
                let report = try JSONDecoder().decode(UpgradeReportJSON.self, from: Data(failed.stdout.utf8))
                #expect(!report.succeeded)
                #expect(report.steps.map(\.version) == ["1.2.0", "1.4.0", "1.5.0"])
                #expect(report.steps.map(\.state) == ["succeeded", "failed", "pending"], "it stops at the failed step")

                #expect(try await scenario.status().current == "1.2.0")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0"], "the failed migration's transaction left nothing")
                #expect(await scenario.appAnswer() == "inventory 1.2.0", "the previous app runs again (--on-failure restore)")

                let failures = try await scenario.ledger("--status", "failed")
                let run = try #require(failures.first { $0.kind == "run" && $0.component == "migrate" })
                #expect(run.releaseVersion == "1.4.0")
                #expect(run.exitCode != nil && run.exitCode != 0, "exit code recorded: \(String(describing: run.exitCode))")
                #expect(run.logTail?.contains("relation \"item\" does not exist") == true, "psql's error is in the log tail: \(run.logTail ?? "nil")")
                #expect(failures.contains { $0.kind == "step" && $0.releaseVersion == "1.4.0" })
                #expect(failures.contains { $0.kind == "upgrade" })

                // The vendor ships a fixed, required 1.4.1 and demotes the broken 1.4.0.
                var fixed = UpgradeScenario.demoReleases[4]
                fixed.version = "1.4.1"
                fixed.sql = fixed.sql.replacingOccurrences(of: "'1.4.0'", with: "'1.4.1'")
                try await scenario.cut(fixed)
                let demoted = try await scenario.lockstep(["channel", "demote", "Stable", "1.4.0"])
                #expect(demoted.status == 0, "\(demoted.combined)")

                let resumed = try await scenario.upgrade("--to", "latest", "--output", "json")
                #expect(resumed.status == 0, "\(resumed.combined)")
                let second = try JSONDecoder().decode(UpgradeReportJSON.self, from: Data(resumed.stdout.utf8))
                #expect(second.steps.map(\.version) == ["1.4.1", "1.5.0"], "it continues from 1.2.0")
                #expect(second.installedVersion == "1.5.0")
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.1", "1.5.0"])
                #expect(try await scenario.columns(of: "invoices") == ["id", "item_id", "total"])
                #expect(await scenario.appAnswer() == "inventory 1.5.0")
                try await scenario.expectLedgerIntact()
            }
        }
    }
}
