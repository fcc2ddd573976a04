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
        var encoding = FieldEncoding()
        for field in fields { encoding.append(field) }
        var sha = SHA256()
        domain.withUnsafeBytes { sha.update(bufferPointer: $0) }
        sha.update(bufferPointer: encoding.bytes)
        return Hex.string(MerkleHash(digest: sha.finalize()))
    }
}
