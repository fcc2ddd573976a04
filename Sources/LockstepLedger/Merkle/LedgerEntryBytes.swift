/// The bytes a ledger entry contributes to the Merkle log, documented for
/// auditors who recompute leaves from an export:
///
/// `lockstep-ledger-entry/1\n`, then for each column `id` … `message` of
/// `LedgerEntry.columnNames` in that order (25 columns; the old chain columns
/// `previous_hash` and `row_hash` are not part of it): `0x00` when the value is
/// NULL, else `0x01`, the value's UTF-8 byte length as 8 bytes big-endian, and
/// its UTF-8 bytes, integers in decimal, times and JSON exactly as stored.
/// The leaf hash is SHA-256(0x00 ‖ these bytes); leaf index = id − 1.
public enum LedgerEntryBytes {
    public static let domain = Array("lockstep-ledger-entry/1\n".utf8)
    /// Columns `id` … `message`.
    public static let columnCount = LedgerEntry.columnNames.count - 2

    public static func bytes(of entry: LedgerEntry) -> [UInt8] {
        var encoding = FieldEncoding()
        for field in entry.hashedFields.prefix(columnCount) { encoding.append(field) }
        return domain + Array(encoding.bytes)
    }
}
