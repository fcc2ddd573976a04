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

    /// The answers of C2SP tlog-witness, as a client of another implementation sees them.
    @Test func refusalsCarryTheTlogWitnessStatusCodes() throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let server = try BackgroundServer.lockstepServe(
            cli.folder.path,
            extra: ["--witness-key", cli.folder.appendingPathComponent("witness/witness.key").path]
        )
        defer { _ = server.stop() }
        let log = LedgerKey(name: "lockstep-ledger@status-codes")
        let impostor = LedgerKey(name: "lockstep-ledger@status-codes")
        let origin = "lockstep/status-codes"
        let leaves = (0..<3).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }
        let root2 = MerkleHash.node(leaves[0], leaves[1])
        let root3 = MerkleHash.node(root2, leaves[2])
        let forgedRoot3 = MerkleHash.node(root2, MerkleHash.leaf(Array("another entry 2".utf8)))
        func post(_ body: String) throws -> (status: String, body: String) {
            let request = try cli.write("request-\(UUID().uuidString)", body)
            let answer = cli.folder.appendingPathComponent("answer-\(UUID().uuidString)").path
            let curl = try HostProcess.run(
                "/usr/bin/curl",
                [
                    "-s", "-o", answer, "-w", "%{http_code}", "--data-binary", "@" + request, "-H", "Lockstep-Ledger-Verifier: \(log.verifier)",
                    server.base + "/witness/add-checkpoint",
                ]
            )
            return (curl.stdout, (try? String(contentsOfFile: answer, encoding: .utf8)) ?? "")
        }
        func request(old: Int64, proof: [MerkleHash], size: Int64, root: MerkleHash, key: LedgerKey) -> String {
            WitnessRequest(oldSize: old, proof: proof, checkpoint: .sign(Checkpoint(origin: origin, size: size, root: root), with: key)).body
        }

        let first = try post(request(old: 0, proof: [], size: 2, root: root2, key: log))
        #expect(first.status == "200" && first.body.hasPrefix("\u{2014} lockstep-witness@"), "\(first)")
        let malformed = try post("old 2\nnot a proof\n")
        #expect(malformed.status == "400", "\(malformed)")
        #expect(malformed.body.hasPrefix("not an add-checkpoint request"), "\(malformed)")
        let oldAfterNew = try post(request(old: 3, proof: [], size: 2, root: root2, key: log))
        #expect(oldAfterNew.status == "400", "\(oldAfterNew)")
        let badSignature = try post(request(old: 2, proof: [leaves[2]], size: 3, root: root3, key: impostor))
        #expect(badSignature.status == "403", "\(badSignature)")
        #expect(badSignature.body.contains("is not signed by the key the witness trusts for it"), "\(badSignature)")
        let stale = try post(request(old: 1, proof: [], size: 3, root: root3, key: log))
        #expect(stale.status == "409" && stale.body == "2\n", "the size it holds, to retry from: \(stale)")
        let forged = try post(request(old: 2, proof: [leaves[2]], size: 3, root: forgedRoot3, key: log))
        #expect(forged.status == "422", "\(forged)")
        #expect(forged.body.contains("does not extend the cosigned one of size 2 of lockstep/status-codes"), "\(forged)")
        // None of the refusals moved what the witness holds: the true extension is cosigned.
        let extended = try post(request(old: 2, proof: [leaves[2]], size: 3, root: root3, key: log))
        #expect(extended.status == "200", "\(extended)")
    }
}
