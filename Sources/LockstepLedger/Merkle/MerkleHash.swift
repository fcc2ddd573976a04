import Crypto
import Foundation

/// A SHA-256 node of the ledger's Merkle tree, hashed as RFC 6962 prescribes:
/// a leaf is SHA-256(0x00 ‖ entry bytes), an interior node SHA-256(0x01 ‖ left ‖ right).
/// The prefixes keep a leaf from ever passing for a node (second-preimage attacks).
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    public static let byteCount = 32
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = bytes
    }

    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64) else { return nil }
        self.init(bytes: Array(data))
    }

    init(digest: SHA256.Digest) {
        bytes = Array(digest)
    }

    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { base64 }

    /// The hash of a tree with no leaves: SHA-256 of nothing (RFC 6962 section 2.1).
    public static let empty = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    public static func leaf(_ entryBytes: some DataProtocol) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: [0])
        hasher.update(data: entryBytes)
        return MerkleHash(digest: hasher.finalize())
    }

    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: [1])
        hasher.update(data: left.bytes)
        hasher.update(data: right.bytes)
        return MerkleHash(digest: hasher.finalize())
    }
}
