import Foundation
import LockstepCatalog
import LockstepRunner
import LockstepStore
import LockstepTestSupport
import LockstepUpgrade
import Testing

/// Issue 9, finding 13: "done, installation runs X" was shown before the step's success
/// was saved, so a kill right after it resumed a step the user was told was done.
@Suite("the step's success is saved before it is shown", .serialized)
struct ProgressAfterJournalTests {
    final class Seen: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int64?] = []
        func append(_ value: Int64?) { lock.withLock { values.append(value) } }
        var all: [Int64?] { lock.withLock { values } }
    }

    @Test("when stepFinished arrives, the installation already runs the step's release")
    func savedBeforeShown() async throws {
        try await RunnerFixture.with("saved") { fixture in
            let folder = try TemporaryDirectory()
            defer { folder.remove() }
            let store = try Store.open(path: folder.path + "/store.sqlite")
            let catalog = try Catalog(store: store)
            let manifest = """
                name: t
                components:
                  - name: web
                    containers:
                      - image_name: \(TestImages.busybox.split(separator: ":").first ?? "busybox")
                        version: "\(TestImages.busybox.split(separator: ":").last ?? "latest")"
                        cmd: '["sleep", "3600"]'
                """
            _ = try catalog.createRelease(version: "1.0.0", manifest: manifest, manifestFile: "m.yaml", promoteTo: "Stable")
            let coordinator = UpgradeCoordinator(catalog: catalog, engine: fixture.engine, logger: fixture.logs.logger("lockstep.upgrade"))
            let seen = Seen()
            let outcome = try await coordinator.run(UpgradeRequest(installation: fixture.installation, target: "1.0.0", network: "host")) {
                progress in
                if case .stepFinished(_, _, _, let report) = progress, report.succeeded {
                    // What a kill at this very moment would leave in the store.
                    seen.append(try? catalog.installationIfExists(named: fixture.installation)?.releaseSequence)
                }
            }
            #expect(outcome.succeeded, "\(outcome.failure ?? "")")
            #expect(seen.all == [1], "the installation's release when 'done' was shown: \(seen.all)")
        }
    }
}
