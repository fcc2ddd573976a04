/// The chain's hashes are stored as lowercase hex text; verify compares SHA-256
/// digests with them in place instead of formatting a string per row.
enum Hex {
    /// The lowercase hex digit of a nibble, computed: a table is a global, and
    /// its lazy-initialization check on every byte showed in verify's profile.
    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 48 : nibble &+ 87
    }

    static func matches(_ digest: MerkleHash, _ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count == 2 * MerkleHash.byteCount else { return false }
        return digest.withBytes { bytes in
            var position = 0
            for byte in bytes {
                guard text[position] == digit(byte >> 4), text[position + 1] == digit(byte & 0x0f) else { return false }
                position += 2
            }
            return true
        }
    }

    static func matches(_ digest: MerkleHash, _ text: [UInt8]) -> Bool {
        text.withUnsafeBytes { matches(digest, $0) }
    }

    static func string(_ digest: MerkleHash) -> String {
        var text = [UInt8]()
        text.reserveCapacity(2 * MerkleHash.byteCount)
        for byte in digest.bytes {
            text.append(digit(byte >> 4))
            text.append(digit(byte & 0x0f))
        }
        return String(decoding: text, as: UTF8.self)
    }
}
