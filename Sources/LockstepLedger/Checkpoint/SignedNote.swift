import Crypto
import Foundation

/// A C2SP signed-note (https://c2sp.org/signed-note): UTF-8 text ending in a
/// newline, a blank line, then one line per signature,
/// `— <key name> <base64(4-byte key ID ‖ Ed25519 signature)>`.
/// Go's `golang.org/x/mod/sumdb/note` reads and writes the same bytes.
public struct SignedNote: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        public let name: String
        public let keyID: UInt32
        public let signature: [UInt8]
    }

    public let text: String
    public let signatures: [Signature]

    static let dash = "\u{2014} "

    /// The note as bytes on disk.
    public var serialized: String {
        text + "\n"
            + signatures.map { Self.dash + $0.name + " " + Data(Self.bytes(of: $0.keyID) + $0.signature).base64EncodedString() + "\n" }.joined()
    }

    public static func sign(text: String, with key: LedgerKey) -> SignedNote {
        let signature = key.sign(Array(text.utf8))
        return SignedNote(text: text, signatures: [Signature(name: key.name, keyID: key.keyID, signature: signature)])
    }

    /// Parses a note; nil when it is not one.
    public static func parse(_ serialized: String) -> SignedNote? {
        guard let split = serialized.range(of: "\n\n", options: .backwards) else { return nil }
        let text = String(serialized[..<split.lowerBound]) + "\n"
        var signatures: [Signature] = []
        let block = serialized[split.upperBound...]
        guard block.hasSuffix("\n") else { return nil }
        for line in block.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix(dash) else { return nil }
            let parts = line.dropFirst(dash.count).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let data = Data(base64Encoded: String(parts[1])), data.count > 4 else { return nil }
            let bytes = Array(data)
            let keyID = bytes[0..<4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            signatures.append(Signature(name: String(parts[0]), keyID: keyID, signature: Array(bytes[4...])))
        }
        guard !signatures.isEmpty else { return nil }
        return SignedNote(text: text, signatures: signatures)
    }

    /// True when some signature is `verifier`'s and verifies.
    public func isSigned(by verifier: LedgerVerifierKey) -> Bool {
        signatures.contains {
            $0.name == verifier.name && $0.keyID == verifier.keyID && verifier.verify(signature: $0.signature, of: Array(text.utf8))
        }
    }

    static func bytes(of keyID: UInt32) -> [UInt8] {
        [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xff), UInt8(keyID >> 8 & 0xff), UInt8(keyID & 0xff)]
    }
}
