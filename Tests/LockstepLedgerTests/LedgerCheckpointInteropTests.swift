import Foundation
import LockstepTestSupport
import Testing

/// Checkpoints, proofs and exports of a real store, checked by Go's
/// golang.org/x/mod/sumdb/note and sumdb/tlog (code nobody here wrote).
@Suite("Ledger checkpoints interoperate with Go's sumdb note and tlog", .serialized)
struct LedgerCheckpointInteropTests {
    static func ok(_ output: LockstepCLI.Output, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        #expect(output.status == 0, "\(what): \(output.combined)", sourceLocation: sourceLocation)
        return output.status == 0
    }

    static func go(_ arguments: String...) throws -> HostProcess.Output {
        try GoLedgerVerifier.run(arguments)
    }

    @Test("notes verify with sumdb/note; roots at 1, 2, 3, 7, 8, 1000 match sumdb/tlog; proofs pass CheckRecord and CheckTree")
    func interop() throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let key = try cli.run("ledger", "key")
        guard Self.ok(key, "ledger key") else { return }
        let verifier = key.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(verifier.split(separator: "+", maxSplits: 2).map(\.count).prefix(2).last == 8, "name+hash+base64: \(verifier)")
        let keyPath = cli.folder.appendingPathComponent("keys/ledger.key").path
        let mode = try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)

        var filled = 0
        var roots: [Int: String] = [:]
        for size in [1, 2, 3, 7, 8, 1000] {
            guard Self.ok(try cli.fillLedger(rows: size - filled, batch: 100), "bench-fill") else { return }
            filled = size
            guard Self.ok(try cli.run("ledger", "checkpoint", "--out", "cp\(size)"), "checkpoint") else { return }
            let opened = try Self.go("note", verifier, cli.folder.appendingPathComponent("cp\(size)").path)
            #expect(opened.status == 0, "Go note.Open: \(opened.combined)")
            let fields = opened.stdout.split(separator: " ")
            #expect(fields.count == 3 && fields[0].hasPrefix("lockstep/") && fields[1] == "\(size)", "\(opened.stdout)")
            roots[size] = fields.count == 3 ? fields[2].trimmingCharacters(in: .whitespacesAndNewlines) : ""
        }

        let export = try cli.run("ledger", "export", "--format", "jsonl")
        guard Self.ok(export, "export jsonl") else { return }
        #expect(export.stdout.split(separator: "\n").count == 1000)
        let exportPath = try cli.write("export.jsonl", export.stdout)
        let recomputed = try Self.go("roots", exportPath, "1", "2", "3", "7", "8", "1000")
        #expect(recomputed.status == 0, "\(recomputed.combined)")
        #expect(recomputed.stdout.split(separator: "\n").map(String.init) == [1, 2, 3, 7, 8, 1000].map { roots[$0] ?? "" })

        for id in ["1", "500", "1000"] {
            let proof = try cli.run("ledger", "prove", id, "--checkpoint", "cp1000")
            guard Self.ok(proof, "prove \(id)") else { return }
            let checked = try Self.go("inclusion", verifier, try cli.write("proof-\(id).json", proof.stdout))
            #expect(checked.status == 0, "Go tlog.CheckRecord for \(id): \(checked.combined)")
        }
        // A proof of one entry does not pass for the bytes of another.
        let proof = try cli.run("ledger", "prove", "7", "--checkpoint", "cp1000").stdout
        let other = try cli.run("ledger", "prove", "8", "--checkpoint", "cp1000").stdout
        let leafOf = { (text: String) in try (JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["leaf"] as? String ?? "" }
        let swapped = proof.replacingOccurrences(of: try leafOf(proof), with: try leafOf(other))
        let rejected = try Self.go("inclusion", verifier, try cli.write("swapped.json", swapped))
        #expect(rejected.status != 0, "Go must reject a proof for other bytes")

        guard Self.ok(try cli.fillLedger(rows: 5), "bench-fill") else { return }
        for old in ["cp1", "cp7", "cp8", "cp1000"] {
            let consistency = try cli.run("ledger", "consistency", "--from", old)
            guard Self.ok(consistency, "consistency --from \(old)") else { return }
            let checked = try Self.go("consistency", verifier, try cli.write("consistency-\(old).json", consistency.stdout))
            #expect(checked.status == 0, "Go tlog.CheckTree from \(old): \(checked.combined)")
        }

        // A note changed by one byte, or checked against another key, does not verify in Go.
        let note = try String(contentsOf: cli.folder.appendingPathComponent("cp8"), encoding: .utf8)
        let tampered = try cli.write("tampered", note.replacingOccurrences(of: "\n8\n", with: "\n9\n"))
        #expect(try Self.go("note", verifier, tampered).status != 0)
        let stranger = try LockstepCLI()
        defer { stranger.removeFolder() }
        let strangerKey = try stranger.run("ledger", "key").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.go("note", strangerKey, cli.folder.appendingPathComponent("cp8").path).status != 0)

        let verified = try cli.run("ledger", "verify", "--checkpoint", "cp1", "--checkpoint", "cp1000")
        #expect(verified.status == 0, "\(verified.combined)")
        #expect(verified.stdout.contains("ledger intact: 1005 entries"))
        #expect(verified.stdout.contains("checkpoint cp1000 (size 1000): signed, and the ledger extends it"))
    }
}
