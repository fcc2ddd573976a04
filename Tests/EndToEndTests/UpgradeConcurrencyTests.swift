import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// Only one upgrade of an installation at a time, across processes.
    @Suite("concurrent upgrades of one installation")
    struct ConcurrencyTests {
        @Test("ten `upgrade --to latest` at once: one does the work, the others find it up to date")
        func tenUpgradesAtOnce() async throws {
            try await UpgradeScenario.with("race") { scenario in
                try await scenario.cutAll()
                try await scenario.installFirst()

                let outputs = try await withThrowingTaskGroup(of: LockstepCLI.Output.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await scenario.upgrade("--to", "latest", "--lock-timeout", "120") }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(outputs.count == 10)
                for output in outputs {
                    #expect(output.status == 0, "\(output.combined)")
                }
                let workers = outputs.filter { $0.stderr.contains("step 1/3 1.2.0: applying") }
                #expect(workers.count == 1, "exactly one process upgraded: \(outputs.map(\.stderr))")
                #expect(outputs.filter { $0.stderr.contains("already runs 1.5.0; nothing to do") }.count == 9)
                #expect(outputs.contains { $0.stderr.contains("waiting for the installation's lock") })
                #expect(outputs.allSatisfy { $0.stdout.contains("installation \(scenario.install) runs 1.5.0") })

                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])
                #expect(await scenario.appAnswer() == "inventory 1.5.0")
                let migrations = try await scenario.ledger("--kind", "run", "--component", "migrate")
                #expect(migrations.map(\.releaseVersion) == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"], "each migration container ran once")
                #expect(try await scenario.ledger("--kind", "upgrade", "--status", "succeeded").count == 2, "the install and one upgrade")
                try await scenario.expectLedgerIntact()
            }
        }

        @Test("ten `upgrade --to 1.5.0` at once: the same named version is deployed once, each migration runs once")
        func tenUpgradesToOneNamedVersion() async throws {
            try await UpgradeScenario.with("named") { scenario in
                try await scenario.cutAll()
                try await scenario.installFirst()

                let outputs = try await withThrowingTaskGroup(of: LockstepCLI.Output.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await scenario.upgrade("--to", "1.5.0", "--lock-timeout", "2m") }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                for output in outputs {
                    #expect(output.status == 0, "\(output.combined)")
                }
                #expect(outputs.filter { $0.stderr.contains("step 1/3 1.2.0: applying") }.count == 1, "\(outputs.map(\.stderr))")
                #expect(outputs.filter { $0.stderr.contains("already runs 1.5.0; nothing to do") }.count == 9)
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"], "each migration ran once in the database")
                let migrations = try await scenario.ledger("--kind", "run", "--component", "migrate")
                #expect(migrations.map(\.releaseVersion) == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])

                // --redeploy is the explicit way to deploy the running release again.
                let again = try await scenario.upgrade("--to", "1.5.0", "--redeploy")
                #expect(again.stderr.contains("redeploy from 1.5.0") || again.stderr.contains("step 1/1 1.5.0: applying"), "\(again.combined)")
            }
        }

        @Test("the lock belongs to the store: two upgrades through a symlinked folder take turns")
        func symlinkedStoreFolder() async throws {
            try await UpgradeScenario.with("alias") { scenario in
                try await scenario.cutAll()
                try await scenario.installFirst()
                let alias = scenario.cli.folder.deletingLastPathComponent().appendingPathComponent("alias-\(UUID().uuidString)")
                try FileManager.default.createSymbolicLink(at: alias, withDestinationURL: scenario.cli.folder)
                defer { try? FileManager.default.removeItem(at: alias) }
                let aliasStore = alias.appendingPathComponent("store.sqlite").path

                async let direct = scenario.upgrade("--to", "1.5.0", "--lock-timeout", "2m")
                async let viaAlias = scenario.upgrade("--to", "1.5.0", "--lock-timeout", "2m", environment: ["LOCKSTEP_STORE": aliasStore])
                let outputs = try await [direct, viaAlias]
                for output in outputs {
                    #expect(output.status == 0, "\(output.combined)")
                }
                #expect(outputs.filter { $0.stderr.contains("step 1/3 1.2.0: applying") }.count == 1, "\(outputs.map(\.stderr))")
                #expect(outputs.contains { $0.stderr.contains("waiting for the installation's lock") })
                #expect(outputs.filter { $0.stderr.contains("already runs 1.5.0; nothing to do") }.count == 1)
                #expect(try await scenario.schemaHistory() == ["1.0.0", "1.2.0", "1.4.0", "1.5.0"])
            }
        }
    }
}
