import Crypto
import Foundation

/// The Ed25519 key that signs checkpoints, kept in a file outside the store in
/// Go's signed-note signer form `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ seed)>`
/// (so `note.NewSigner` reads it too).
public struct LedgerKey: Sendable {
    public let name: String
    /// The 32-byte Ed25519 seed (a `PrivateKey` is not Sendable).
    private let seed: [UInt8]

    public init(name: String, key: Curve25519.Signing.PrivateKey = Curve25519.Signing.PrivateKey()) {
        self.name = name
        self.seed = Array(key.rawRepresentation)
    }

    private var key: Curve25519.Signing.PrivateKey {
        // The seed came from a valid key.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    public var verifier: LedgerVerifierKey {
        LedgerVerifierKey(name: name, publicKey: Array(key.publicKey.rawRepresentation))
    }

    var keyID: UInt32 { verifier.keyID }

    func sign(_ message: [UInt8]) -> [UInt8] {
        // Ed25519 signing fails only for a malformed key, which init rules out.
        Array(try! key.signature(for: message))
    }

    var serialized: String {
        "PRIVATE+KEY+" + name + "+" + String(format: "%08x", keyID) + "+"
            + Data([LedgerVerifierKey.ed25519Algorithm] + seed).base64EncodedString() + "\n"
    }

    static let expected = "a lockstep ledger key (PRIVATE+KEY+name+id+key)"

    /// Reads the key at `path`; nil when there is no file.
    public static func load(path: String) throws(KeyFileError) -> LedgerKey? {
        guard let text = try KeyFile.read(path: path) else { return nil }
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY", LedgerVerifierKey.isValidName(String(parts[2])),
            let id = UInt32(parts[3], radix: 16), let data = Data(base64Encoded: String(parts[4])), data.count == 33,
            data.first == LedgerVerifierKey.ed25519Algorithm,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: data.dropFirst())
        else { throw .malformed(path: path, expected: expected) }
        let loaded = LedgerKey(name: String(parts[2]), key: key)
        guard loaded.keyID == id else { throw .malformed(path: path, expected: expected + " with a matching key ID") }
        return loaded
    }

    /// The key at `path`, created (mode 0600) when there is none.
    public static func loadOrCreate(path: String, name: String = defaultName) throws(KeyFileError) -> LedgerKey {
        if let key = try load(path: path) { return key }
        let key = LedgerKey(name: name)
        if try KeyFile.create(path: path, contents: key.serialized) { return key }
        // Another process created it between our read and our create: use theirs.
        guard let key = try load(path: path) else { throw .unreadable(path: path, reason: "it vanished while being created") }
        return key
    }

    /// `lockstep-ledger@<host>`, white space and `+` replaced.
    public static var defaultName: String {
        let host = ProcessInfo.processInfo.hostName.unicodeScalars.map { $0.properties.isWhitespace || $0 == "+" ? "-" : String($0) }.joined()
        return "lockstep-ledger@" + (host.isEmpty ? "localhost" : host)
    }
}
