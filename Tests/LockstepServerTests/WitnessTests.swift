import Foundation
import LockstepLedger
import LockstepTestSupport
import Testing

/// `lockstep serve --witness-key` cosigning a customer's ledger checkpoints sent by
/// `lockstep ledger witness`: real processes on 127.0.0.1, a real store.
@Suite(.serialized)
struct WitnessTests {
    static func witnessVerifier(_ server: BackgroundServer) throws -> LedgerVerifierKey {
        let line = try #require(server.stderr.split(separator: "\n").first { $0.hasPrefix("witness key ") })
        return try #require(LedgerVerifierKey(String(line.dropFirst("witness key ".count))))
    }

    @Test func cosignsExtensionsAndRefusesARewrittenHistory() throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        #expect(try cli.fillLedger(rows: 300, batch: 100).status == 0)
        let site = cli.folder.appendingPathComponent("site").path
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        let witnessKey = cli.folder.appendingPathComponent("witness/witness.key").path
        let server = try BackgroundServer.lockstepServe(site, extra: ["--witness-key", witnessKey])
        defer { _ = server.stop() }
        let witness = try Self.witnessVerifier(server)
        let checkpoints = cli.folder.appendingPathComponent("keys/checkpoints").path

        // A copy of the store as it is now, for the attacker below.
        let fork = cli.folder.appendingPathComponent("fork.sqlite").path
        #expect(try HostProcess.run("/usr/bin/sqlite3", [cli.storePath, ".backup '\(fork)'"]).status == 0)

        let first = try cli.run("ledger", "witness", server.base)
        #expect(first.status == 0, "\(first.combined)")
        let cosigned = try #require(try CheckpointFile.read(path: checkpoints).last)
        #expect(cosigned.checkpoint.size == 300)
        #expect(cosigned.note.isSigned(by: witness))
        #expect(server.stderr.contains("on first use"))
        // Go's sumdb/note accepts the cosignature with the witness's key alone.
        let opened = try GoLedgerVerifier.run(["note", witness.description, try cli.write("cosigned.checkpoint", cosigned.note.serialized)])
        #expect(opened.status == 0, "\(opened.combined)")
        #expect(opened.stdout.hasPrefix("\(cosigned.checkpoint.origin) 300 \(cosigned.checkpoint.root.base64)"))

        #expect(try cli.fillLedger(rows: 100, batch: 100).status == 0)
        let second = try cli.run("ledger", "witness", server.base)
        #expect(second.status == 0, "\(second.combined)")
        let extended = try #require(try CheckpointFile.read(path: checkpoints).last)
        #expect(extended.checkpoint.size == 400)
        #expect(extended.note.isSigned(by: witness))
        let ledgerKey = try #require(LedgerVerifierKey(try cli.run("ledger", "key").stdout))
        #expect(extended.note.isSigned(by: ledgerKey))

        // The attacker rolls the store back to the copy and writes other rows past the cosigned 400.
        let benchmarks = URL(fileURLWithPath: LockstepCLI.binaryPath).deletingLastPathComponent().appendingPathComponent("LockstepBenchmarks").path
        let forged = try HostProcess.run(benchmarks, ["ledger-fill", "--store", fork, "--rows", "150", "--batch", "150", "--prefix", "forged"])
        #expect(forged.status == 0, "\(forged.combined)")
        let refused = try cli.run("ledger", "witness", server.base, "--store", fork)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("does not extend the cosigned one of size 400"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")

        // Without the size hint the client retries from the size the witness holds.
        try FileManager.default.removeItem(atPath: checkpoints + ".witnessed")
        #expect(try cli.fillLedger(rows: 10, batch: 10).status == 0)
        let retried = try cli.run("ledger", "witness", server.base)
        #expect(retried.status == 0, "\(retried.combined)")
        #expect(try #require(try CheckpointFile.read(path: checkpoints).last).note.isSigned(by: witness))
    }

    @Test func aServerWithoutAWitnessIsSkipped() throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        #expect(try cli.fillLedger(rows: 5, batch: 5).status == 0)
        let server = try BackgroundServer.lockstepServe(cli.folder.path)
        defer { _ = server.stop() }
        let result = try cli.run("ledger", "witness", server.base)
        #expect(result.status == 0, "\(result.combined)")
        #expect(result.stderr.contains("has no witness"))
    }
}
