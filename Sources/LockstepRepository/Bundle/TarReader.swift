import Foundation

/// Why a bundle's tar was refused before anything in it was used.
public enum TarError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated(String)
    case unsafePath(String)
    case unsupportedType(name: String, kind: String)
    case badHeader(offset: Int64)

    public var description: String {
        switch self {
        case .truncated(let what): return "truncated bundle: \(what)"
        case .unsafePath(let name): return "bundle entry \"\(name)\" points outside the bundle (absolute or '..' path)"
        case .unsupportedType(let name, let kind): return "bundle entry \"\(name)\" is a \(kind); only regular files are allowed"
        case .badHeader(let offset): return "not a tar archive: bad header checksum at byte \(offset)"
        }
    }
}

/// lockstep's own streaming ustar reader: regular files only, relative paths without
/// `..`, checksums checked, a short file is an error rather than a shorter archive.
public final class TarReader {
    public struct Entry: Sendable {
        public var name: String
        public var size: Int64
    }

    private let handle: FileHandle
    private var remaining: Int64 = 0
    private var padding = 0
    private var current: Entry?
    public private(set) var offset: Int64 = 0

    public init(url: URL) throws {
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw RepositoryError.notFound(file: url.path) }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next entry's header; its body must be read (or skipped) before the next call.
    public func next() throws -> Entry? {
        if remaining > 0 { try skipBody() }
        if padding > 0 {
            _ = try take(padding, what: "padding of \(current?.name ?? "an entry")")
            padding = 0
        }
        while true {
            let start = offset
            let header = try take(512, what: "missing end-of-archive marker")
            if header.allSatisfy({ $0 == 0 }) {
                _ = try take(512, what: "missing end-of-archive marker")
                return nil
            }
            let entry = try parse(header, at: start)
            if let entry { return entry }
        }
    }

    /// Up to `maxCount` bytes of the current entry's body; empty at its end.
    public func read(maxCount: Int = 1 << 20) throws -> Data {
        guard remaining > 0 else { return Data() }
        let chunk = try take(Int(min(Int64(maxCount), remaining)), what: "\(current?.name ?? "an entry") is cut short")
        remaining -= Int64(chunk.count)
        return chunk
    }

    public func readAll(cap: Int) throws -> Data {
        guard let current, current.size <= cap else {
            throw RepositoryError.sizeCap(file: current?.name ?? "entry", cap: cap)
        }
        var data = Data()
        while case let chunk = try read(), !chunk.isEmpty { data.append(chunk) }
        return data
    }

    private func skipBody() throws {
        while remaining > 0 { _ = try read() }
    }

    private func parse(_ header: Data, at start: Int64) throws -> Entry? {
        let bytes = [UInt8](header)
        func field(_ from: Int, _ length: Int) -> String {
            let slice = bytes[from..<(from + length)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: bytes[from..<end], as: UTF8.self)
        }
        func octal(_ from: Int, _ length: Int) -> Int64? {
            Int64(field(from, length).trimmingCharacters(in: CharacterSet(charactersIn: " ")), radix: 8)
        }
        var sum = 0
        for (index, byte) in bytes.enumerated() { sum += (148..<156).contains(index) ? 32 : Int(byte) }
        guard let recorded = octal(148, 8), recorded == sum else { throw TarError.badHeader(offset: start) }
        let prefix = field(345, 155)
        let name = prefix.isEmpty ? field(0, 100) : prefix + "/" + field(0, 100)
        guard let size = octal(124, 12), size >= 0 else { throw TarError.badHeader(offset: start) }
        let kinds: [UInt8: String] = [
            UInt8(ascii: "1"): "hard link", UInt8(ascii: "2"): "symbolic link", UInt8(ascii: "3"): "character device",
            UInt8(ascii: "4"): "block device", UInt8(ascii: "6"): "FIFO",
        ]
        let type = bytes[156]
        if let kind = kinds[type] { throw TarError.unsupportedType(name: name, kind: kind) }
        let components = name.split(separator: "/", omittingEmptySubsequences: true)
        guard !name.hasPrefix("/"), !components.isEmpty, !components.contains("..") else { throw TarError.unsafePath(name) }
        if type == UInt8(ascii: "5") { return nil }
        guard type == UInt8(ascii: "0") || type == 0 else {
            throw TarError.unsupportedType(name: name, kind: "tar entry of type '\(String(UnicodeScalar(type)))'")
        }
        current = Entry(name: components.joined(separator: "/"), size: size)
        remaining = size
        padding = Int((512 - size % 512) % 512)
        return current
    }

    /// Reads straight from the file: no buffer outlives a call, so memory stays at one chunk.
    private func take(_ count: Int, what: String) throws -> Data {
        var out = Data()
        while out.count < count {
            guard let more = try handle.read(upToCount: count - out.count), !more.isEmpty else {
                throw TarError.truncated(what)
            }
            if out.isEmpty { out = more } else { out.append(more) }
        }
        offset += Int64(count)
        return out
    }
}
