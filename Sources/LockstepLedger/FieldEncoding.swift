/// The field encoding the hash chain (`LedgerHash`) and the Merkle leaves
/// (`LedgerEntryBytes`) share: per field a presence byte, a big-endian length,
/// the bytes. Appends encode one entry; verify writes every row of a block into
/// the same memory, straight from SQLite. A noncopyable struct, not a class: a
/// verify appends 27 million fields, and a class's dynamic exclusivity checks
/// showed in the profile.
struct FieldEncoding: ~Copyable {
    private var buffer: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(capacity: Int = 4096) {
        buffer = .allocate(byteCount: capacity, alignment: 8)
    }

    deinit { buffer.deallocate() }

    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<count]) }

    func prefix(_ end: Int) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[0..<end]) }

    mutating func removeAll() { count = 0 }

    mutating func appendNull() {
        reserve(1)
        buffer[count] = 0
        count += 1
    }

    mutating func append(_ value: UnsafeRawBufferPointer) {
        reserve(9 + value.count)
        buffer[count] = 1
        buffer.storeBytes(of: UInt64(value.count).bigEndian, toByteOffset: count + 1, as: UInt64.self)
        count += 9
        if let base = value.baseAddress, !value.isEmpty {
            (buffer.baseAddress! + count).copyMemory(from: base, byteCount: value.count)
            count += value.count
        }
    }

    mutating func append(_ text: String?) {
        guard var text else { return appendNull() }
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// An integer in decimal, as SQLite's own text conversion writes it.
    mutating func append(_ value: Int64) {
        var scratch = (UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &scratch) { digits in
            var magnitude = value.magnitude
            var position = digits.count
            repeat {
                position -= 1
                digits[position] = UInt8(truncatingIfNeeded: magnitude % 10) + 48
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                position -= 1
                digits[position] = 45
            }
            append(UnsafeRawBufferPointer(rebasing: digits[position...]))
        }
    }

    private mutating func reserve(_ extra: Int) {
        guard count + extra > buffer.count else { return }
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: max(buffer.count * 2, count + extra), alignment: 8)
        larger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: count)
        buffer.deallocate()
        buffer = larger
    }
}
