import Crypto

/// The hash chain's encoding, documented for auditors who recheck an export:
///
/// `row_hash` = lowercase hex SHA-256 of the bytes `lockstep-ledger/1\n`
/// followed, for each column of `LedgerEntry.columnNames` except `row_hash`
/// (id … previous_hash, in that order), by `0x00` when the value is NULL, else
/// `0x01`, the value's UTF-8 byte length as 8 bytes big-endian, and its UTF-8
/// bytes (integers written in decimal). `previous_hash` is the `row_hash` of the
/// row before; the first row's is 64 zeros.
public enum LedgerHash {
    public static let genesis = String(repeating: "0", count: 64)
    public static let domain = Array("lockstep-ledger/1\n".utf8)
    public static let scheme =
        "sha256(\"lockstep-ledger/1\\n\" + for each column id..previous_hash: 0x00 if NULL else 0x01 + uint64 big-endian UTF-8 length + UTF-8 text; integers in decimal), lowercase hex; previous_hash of row 1 = 64 zeros"

    public static func hash(fields: [String?]) -> String {
        var hasher = LedgerHasher()
        for field in fields {
            if var text = field {
                text.withUTF8 { hasher.append(UnsafeRawBufferPointer($0)) }
            } else {
                hasher.append(nil)
            }
        }
        return String(decoding: hasher.finishHex(), as: UTF8.self)
    }
}

/// Builds one row's encoding in a reused buffer, so verifying a million rows
/// allocates almost nothing per row.
struct LedgerHasher {
    private var buffer: [UInt8]
    private var hex = [UInt8](repeating: 0, count: 64)
    private static let digits = Array("0123456789abcdef".utf8)

    init() {
        buffer = LedgerHash.domain
        buffer.reserveCapacity(4096)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer?) {
        guard let bytes else {
            buffer.append(0)
            return
        }
        buffer.append(1)
        withUnsafeBytes(of: UInt64(bytes.count).bigEndian) { buffer.append(contentsOf: $0) }
        if !bytes.isEmpty {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Bytes encoded so far, domain included.
    var encodedCount: Int { buffer.count }

    private static let leafHeader: [UInt8] = [0] + LedgerEntryBytes.domain

    /// The Merkle leaf of the fields appended before `end` (an `encodedCount`):
    /// the entry bytes are the same field encoding under the entry domain, so
    /// verify hashes each row's fields from one buffer for both the chain and the tree.
    func leaf(fieldsEnd end: Int) -> MerkleHash {
        var sha = SHA256()
        sha.update(data: Self.leafHeader)
        buffer.withUnsafeBytes { sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[LedgerHash.domain.count..<end])) }
        return MerkleHash(digest: sha.finalize())
    }

    /// The hex digest of what was appended; resets for the next row. The
    /// returned array is reused by the next call.
    mutating func finishHex() -> [UInt8] {
        let digest = SHA256.hash(data: buffer)
        var index = 0
        for byte in digest {
            hex[index] = Self.digits[Int(byte >> 4)]
            hex[index + 1] = Self.digits[Int(byte & 0x0f)]
            index += 2
        }
        buffer.removeSubrange(LedgerHash.domain.count...)
        return hex
    }
}
