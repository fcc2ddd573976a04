import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// After real upgrades: the store holds no password in any encoding, each
    /// upgrade left a checkpoint that Go's sumdb/note verifies, and a store
    /// without its config key asks for the password again.
    @Suite("a real upgrade leaves signed checkpoints and no secret in the store")
    struct LedgerTrustTests {
        /// The password as clear text, hex, and base64 at each of the three byte alignments.
        static func encodings(of secret: String) -> [String] {
            let bytes = Array(secret.utf8)
            var forms = [secret, bytes.map { String(format: "%02x", $0) }.joined(), bytes.map { String(format: "%02X", $0) }.joined()]
            for shift in 0..<3 {
                let encoded = Data(Array(repeating: 0x20, count: shift) + bytes + [0x20, 0x20]).base64EncodedString()
                // Characters away from the ends depend on the secret's bytes only.
                forms.append(String(encoded.dropFirst(4).dropLast(8)))
            }
            return forms
        }

        @Test("sqlite3 .dump holds no password; checkpoints verify with Go; without the config key the value is asked for again")
        func trust() async throws {
            try await UpgradeScenario.with("trust") { scenario in
                try await scenario.cutAll()
                try await scenario.installFirst("1.0.0")
                let folder = scenario.cli.folder

                let dump = try HostProcess.run("/usr/bin/sqlite3", [scenario.cli.storePath, ".dump"])
                #expect(dump.status == 0)
                #expect(dump.stdout.contains("installation_config"), "the dump covers the saved config")
                #expect(dump.stdout.contains("sealed:v1:"), "the password is saved sealed")
                for form in Self.encodings(of: scenario.password) {
                    #expect(!dump.stdout.contains(form), "the store holds the password as \(form)")
                }
                let keyMode =
                    try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("keys/config.key").path)[.posixPermissions] as? Int
                #expect(keyMode == 0o600)

                let verifier = try await scenario.lockstep(["ledger", "key"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                let checkpoints = try String(contentsOf: folder.appendingPathComponent("keys/checkpoints"), encoding: .utf8)
                // The newest note: the file holds one per upgrade, oldest first.
                let start =
                    checkpoints.range(of: "\nlockstep/", options: .backwards).map { checkpoints.index(after: $0.lowerBound) }
                    ?? checkpoints.startIndex
                let note = String(checkpoints[start...])
                #expect(note.hasPrefix("lockstep/"), "the install wrote a checkpoint: \(checkpoints)")
                let opened = try GoLedgerVerifier.run(["note", verifier, try scenario.cli.write("last.checkpoint", note)])
                #expect(opened.status == 0, "Go note.Open: \(opened.combined)")
                let rows = try await scenario.ledger()
                #expect(opened.stdout.contains(" \(rows.count) "), "the checkpoint covers every ledger row: \(opened.stdout)")

                // A store without its config key (copied elsewhere, key lost) asks again, naming the value.
                try FileManager.default.removeItem(at: folder.appendingPathComponent("keys/config.key"))
                let refused = try await scenario.upgrade("--to", "1.2.0")
                #expect(refused.status == 67, "\(refused.combined)")
                #expect(refused.stderr.contains("db_password"), "\(refused.combined)")
                #expect(refused.stderr.contains("--config") && refused.stderr.contains("--set"), "\(refused.combined)")
                #expect(try await scenario.status().current == "1.0.0", "nothing changed")
                let given = try await scenario.upgrade("--to", "1.2.0", "--config", scenario.configPath)
                #expect(given.status == 0, "\(given.combined)")

                let verified = try await scenario.lockstep(["ledger", "verify", "--verifier", verifier])
                #expect(verified.status == 0, "\(verified.combined)")
                #expect(verified.stdout.contains("signed, and the ledger extends it"), "\(verified.combined)")
            }
        }
    }
}
