import Foundation
import LockstepLedger
import LockstepTestSupport
import Testing

@Suite("Keys outside the store: the ledger key and the config sealing key")
struct KeyFileTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("the ledger key is created once, mode 0600, and read back with the same verifier key")
    func ledgerKey() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sub/ledger.key").path
        let created = try LedgerKey.loadOrCreate(path: path)
        let again = try LedgerKey.loadOrCreate(path: path)
        #expect(created.verifier == again.verifier)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(LedgerVerifierKey(created.verifier.description) == created.verifier)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("PRIVATE+KEY+\(created.name)+"))
    }

    @Test("a key others can read is refused, naming the file and the fix")
    func tooOpen() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("ledger.key").path
        _ = try LedgerKey.loadOrCreate(path: path)
        chmod(path, 0o644)
        #expect(throws: KeyFileError.tooOpen(path: path, mode: "644")) { try LedgerKey.load(path: path) }
        let cli = try LockstepCLI(environment: ["LOCKSTEP_LEDGER_KEY": path])
        defer { cli.removeFolder() }
        let refused = try cli.run("ledger", "key")
        #expect(refused.status == 67)
        #expect(refused.stderr.contains("the key \(path) has mode 644"), "\(refused.combined)")
        #expect(refused.stderr.contains("chmod 600"))
    }

    @Test("a signed note round-trips and fails for a changed text or another key")
    func notes() throws {
        let key = LedgerKey(name: "test-ledger")
        let checkpoint = Checkpoint(origin: "lockstep/abc", size: 3, root: .empty)
        let signed = SignedCheckpoint.sign(checkpoint, with: key)
        let parsed = try #require(SignedCheckpoint(serialized: signed.note.serialized))
        #expect(parsed.checkpoint == checkpoint)
        #expect(parsed.note.isSigned(by: key.verifier))
        #expect(!parsed.note.isSigned(by: LedgerKey(name: "test-ledger").verifier))
        let changed = try #require(SignedCheckpoint(serialized: signed.note.serialized.replacingOccurrences(of: "\n3\n", with: "\n4\n")))
        #expect(!changed.note.isSigned(by: key.verifier))
    }

    @Test("sealed values open only with their key, installation and name")
    func sealing() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("config.key").path
        let sealer = ConfigSealer(keyPath: path)
        let sealed = try sealer.seal("hunter2-secret", installation: "prod", name: "db_password")
        #expect(ConfigSealer.isSealed(sealed))
        #expect(!sealed.contains("hunter2"))
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(sealer.unseal(sealed, installation: "prod", name: "db_password") == "hunter2-secret")
        #expect(sealer.unseal(sealed, installation: "prod", name: "other") == nil)
        #expect(sealer.unseal(sealed, installation: "staging", name: "db_password") == nil)
        #expect(
            ConfigSealer(keyPath: folder.appendingPathComponent("other.key").path).unseal(sealed, installation: "prod", name: "db_password") == nil
        )
        try FileManager.default.removeItem(atPath: path)
        #expect(sealer.unseal(sealed, installation: "prod", name: "db_password") == nil)
    }
}
