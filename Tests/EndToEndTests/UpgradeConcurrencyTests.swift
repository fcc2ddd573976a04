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
                #expect(outputs.filter { $0.stderr.contains("already up to date: 1.5.0") }.count == 9)
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
    }
}
