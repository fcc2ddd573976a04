import Crypto
import Foundation

/// The public half of a ledger key, in the signed-note verifier form
/// `<name>+<8 hex digits of key ID>+<base64(0x01 ‖ Ed25519 public key)>`,
/// where the key ID is the first 4 bytes of SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key).
public struct LedgerVerifierKey: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let publicKey: [UInt8]

    static let ed25519Algorithm: UInt8 = 1

    public init(name: String, publicKey: [UInt8]) {
        self.name = name
        self.publicKey = publicKey
    }

    /// Parses the verifier form; nil when malformed or its key ID does not match.
    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, Self.isValidName(String(parts[0])), parts[1].count == 8, let id = UInt32(parts[1], radix: 16),
            let data = Data(base64Encoded: String(parts[2])), data.count == 33, data.first == Self.ed25519Algorithm
        else { return nil }
        self.init(name: String(parts[0]), publicKey: Array(data.dropFirst()))
        guard keyID == id else { return nil }
    }

    public var keyID: UInt32 {
        Self.keyID(name: name, publicKey: publicKey)
    }

    public var description: String {
        name + "+" + String(format: "%08x", keyID) + "+" + Data([Self.ed25519Algorithm] + publicKey).base64EncodedString()
    }

    func verify(signature: [UInt8], of message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0a, ed25519Algorithm] + publicKey))
        return digest[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// A note key name: not empty, no white space, no `+`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("+") && !name.unicodeScalars.contains { $0.properties.isWhitespace }
    }
}
