import Crypto
import Foundation

/// A SHA-256 node of the ledger's Merkle tree, hashed as RFC 6962 prescribes:
/// a leaf is SHA-256(0x00 ‖ entry bytes), an interior node SHA-256(0x01 ‖ left ‖ right).
/// The prefixes keep a leaf from ever passing for a node (second-preimage attacks).
/// The 32 bytes are stored inline: verify makes millions of these.
public struct MerkleHash: Sendable, Hashable, CustomStringConvertible {
    public static let byteCount = 32
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    private init() {}

    public init?(bytes: [UInt8]) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init()
        bytes.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
    }

    /// From 32 bytes read in place (a stored hash), without an array.
    init(bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == Self.byteCount, "a Merkle hash is 32 bytes")
        self.init()
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: bytes) }
    }

    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64) else { return nil }
        self.init(bytes: Array(data))
    }

    init(digest: SHA256.Digest) {
        self.init()
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: source) }
        }
    }

    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// The 32 bytes, without copying them into an array.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try withUnsafeBytes(of: words, body)
    }

    public var base64: String { Data(bytes).base64EncodedString() }

    public var description: String { base64 }

    public static func == (lhs: MerkleHash, rhs: MerkleHash) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: $0) }
    }

    /// The hash of a tree with no leaves: SHA-256 of nothing (RFC 6962 section 2.1).
    public static let empty = MerkleHash(digest: SHA256.hash(data: [UInt8]()))

    private static let leafPrefix: [UInt8] = [0]
    private static let nodePrefix: [UInt8] = [1]

    public static func leaf(_ entryBytes: some DataProtocol) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: leafPrefix)
        hasher.update(data: entryBytes)
        return MerkleHash(digest: hasher.finalize())
    }

    public static func node(_ left: MerkleHash, _ right: MerkleHash) -> MerkleHash {
        var hasher = SHA256()
        hasher.update(data: nodePrefix)
        left.withBytes { hasher.update(bufferPointer: $0) }
        right.withBytes { hasher.update(bufferPointer: $0) }
        return MerkleHash(digest: hasher.finalize())
    }
}
