import Foundation
import LockstepLedger
import LockstepTestSupport
import Testing

/// `sync` from a remote served by `lockstep serve --witness-key` has the ledger's
/// checkpoint cosigned without being asked (DESIGN section 13): real processes, a
/// real TUF repository and witness on 127.0.0.1.
@Suite(.serialized)
struct WitnessAfterSyncTests {
    static let manifest = TestManifests.busyboxWeb(named: "inventory")

    /// A vendor with a published repository at `vendor.folder/repo`, and a customer store.
    struct Parties {
        let vendor: LockstepCLI
        let customer: LockstepCLI
        var repo: String { vendor.folder.appendingPathComponent("repo").path }
        var checkpoints: String { customer.folder.appendingPathComponent("keys/checkpoints").path }

        init() throws {
            vendor = try LockstepCLI()
            customer = try LockstepCLI()
            let manifest = try vendor.write("manifest.yaml", WitnessAfterSyncTests.manifest)
            let created = try vendor.run("release", "create", "--manifest", manifest, "--version", "1.0.0", "--promote", "Stable")
            #expect(created.status == 0, "\(created.combined)")
            let keys = vendor.folder.appendingPathComponent("keys").path
            #expect(try vendor.run("repo", "init", "--keys", keys, "--out", repo).status == 0)
            #expect(try vendor.run("publish", "--keys", keys, "--out", repo).status == 0)
        }

        func addRemote(_ server: BackgroundServer) throws {
            let added = try customer.run("remote", "add", "acme", server.base, "--root", repo + "/metadata/1.root.json")
            #expect(added.status == 0, "\(added.combined)")
        }

        func remove() {
            vendor.removeFolder()
            customer.removeFolder()
        }
    }

    @Test func syncHasTheCheckpointCosignedAndAForkedStoreRefused() throws {
        let parties = try Parties()
        defer { parties.remove() }
        let customer = parties.customer
        let witnessKey = parties.vendor.folder.appendingPathComponent("witness/witness.key").path
        let server = try BackgroundServer.lockstepServe(parties.repo, extra: ["--witness-key", witnessKey])
        defer { _ = server.stop() }
        let witness = try WitnessTests.witnessVerifier(server)
        try parties.addRemote(server)
        #expect(try customer.fillLedger(rows: 300, batch: 100).status == 0)
        // The attacker's copy of the store, remote and all, taken before the first cosignature.
        let fork = customer.folder.appendingPathComponent("fork.sqlite").path
        #expect(try HostProcess.run("/usr/bin/sqlite3", [customer.storePath, ".backup '\(fork)'"]).status == 0)

        let synced = try customer.run("sync")
        #expect(synced.status == 0, "\(synced.combined)")
        #expect(synced.stderr.contains("acme: checkpoint of 300 entries cosigned by lockstep-witness@"), "\(synced.stderr)")
        let ledgerKey = try #require(LedgerVerifierKey(try customer.run("ledger", "key").stdout))
        let first = try #require(try CheckpointFile.read(path: parties.checkpoints).last)
        #expect(first.checkpoint.size == 300)
        #expect(first.note.isSigned(by: witness) && first.note.isSigned(by: ledgerKey))

        // The next sync extends it, with a consistency proof the witness checked.
        #expect(try customer.fillLedger(rows: 100, batch: 100).status == 0)
        let again = try customer.run("sync", "acme")
        #expect(again.status == 0, "\(again.combined)")
        let second = try #require(try CheckpointFile.read(path: parties.checkpoints).last)
        #expect(second.checkpoint.size == 400 && second.note.isSigned(by: witness))
        #expect(try customer.run("ledger", "verify").status == 0)

        // The fork writes other rows past 400: the sync itself succeeds, the witness refuses
        // in one warning line, and the refusal is a failed row in the fork's ledger.
        let benchmarks = URL(fileURLWithPath: LockstepCLI.binaryPath).deletingLastPathComponent().appendingPathComponent("LockstepBenchmarks").path
        let forged = try HostProcess.run(benchmarks, ["ledger-fill", "--store", fork, "--rows", "450", "--batch", "450", "--prefix", "forged"])
        #expect(forged.status == 0, "\(forged.combined)")
        let refused = try customer.run("sync", "--store", fork)
        #expect(refused.status == 0, "\(refused.combined)")
        let warnings = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("warning: ") }
        #expect(warnings.count == 1, "\(refused.stderr)")
        #expect(
            warnings.first?.contains("acme: the witness \(server.base)/witness/add-checkpoint holds a checkpoint this ledger does not extend")
                == true,
            "\(refused.stderr)"
        )
        #expect(warnings.first?.contains("does not extend the cosigned one of size 400") == true, "\(refused.stderr)")
        let failed = try customer.run("ledger", "ls", "--store", fork, "--status", "failed")
        #expect(failed.stdout.contains("witness-refused"), "\(failed.combined)")
        #expect(try #require(try CheckpointFile.read(path: parties.checkpoints).last).checkpoint.size == 400, "nothing cosigned for the fork")
    }

    @Test func aServerWithoutAWitnessIsQuietlySkipped() throws {
        let parties = try Parties()
        defer { parties.remove() }
        let server = try BackgroundServer.lockstepServe(parties.repo)
        defer { _ = server.stop() }
        try parties.addRemote(server)
        let synced = try parties.customer.run("sync")
        #expect(synced.status == 0, "\(synced.combined)")
        #expect(!synced.stderr.contains("warning"), "\(synced.stderr)")
        #expect(!synced.stderr.contains("witness"), "\(synced.stderr)")
        #expect(!FileManager.default.fileExists(atPath: parties.checkpoints))
        #expect(server.stderr.contains("POST /witness/add-checkpoint"), "the sync asked: \(server.stderr)")
    }
}
