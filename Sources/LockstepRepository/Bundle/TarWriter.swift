import Foundation

/// Writes a POSIX ustar archive of regular files, streaming: a bundle's image archives
/// are copied through a small buffer, never held in memory.
public final class TarWriter {
    private let handle: FileHandle
    public private(set) var bytesWritten: Int64 = 0

    public init(creating url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o644]),
            let handle = try? FileHandle(forWritingTo: url)
        else {
            throw RepositoryError.io("cannot create \(url.path)")
        }
        self.handle = handle
    }

    public func add(_ name: String, data: Data) throws {
        try writeHeader(name, size: Int64(data.count))
        try write(data)
        try pad(Int64(data.count))
    }

    /// Copies a file into the archive; `progress` gets the bytes copied so far.
    public func add(_ name: String, file url: URL, progress: ((Int64) -> Void)? = nil) throws {
        guard let source = try? FileHandle(forReadingFrom: url) else { throw RepositoryError.io("cannot read \(url.path)") }
        defer { try? source.close() }
        let size = Int64((try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value ?? 0)
        try writeHeader(name, size: size)
        var copied: Int64 = 0
        while copied < size {
            guard let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty else { break }
            let take = chunk.prefix(Int(size - copied))
            try write(take)
            copied += Int64(take.count)
            progress?(copied)
        }
        guard copied == size else { throw RepositoryError.io("\(url.path) changed while it was being copied") }
        try pad(size)
    }

    /// The end-of-archive marker: two zero blocks.
    public func finish() throws {
        try write(Data(count: 1024))
        try handle.synchronize()
        try handle.close()
    }

    private func writeHeader(_ name: String, size: Int64) throws {
        var header = [UInt8](repeating: 0, count: 512)
        var prefix = ""
        var base = name
        if name.utf8.count > 100 {
            guard let slash = name.utf8.indices.last(where: { name.utf8[$0] == UInt8(ascii: "/") }) else {
                throw RepositoryError.io("\(name): name too long for a tar header")
            }
            prefix = String(name[..<slash])
            base = String(name[name.index(after: slash)...])
            guard prefix.utf8.count <= 155, base.utf8.count <= 100 else { throw RepositoryError.io("\(name): name too long for a tar header") }
        }
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        put(base, at: 0)
        put(String(format: "%07o", 0o644), at: 100)
        put(String(format: "%07o", 0), at: 108)
        put(String(format: "%07o", 0), at: 116)
        put(String(size, radix: 8).leftPadded(to: 11), at: 124)
        put(String(Int64(Date().timeIntervalSince1970), radix: 8).leftPadded(to: 11), at: 136)
        header[156] = UInt8(ascii: "0")
        put("ustar", at: 257)
        put("00", at: 263)
        put(prefix, at: 345)
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(to: 6), at: 148)
        header[154] = 0
        try write(Data(header))
    }

    private func pad(_ size: Int64) throws {
        let rest = Int((512 - size % 512) % 512)
        if rest > 0 { try write(Data(count: rest)) }
    }

    private func write(_ data: Data) throws {
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw RepositoryError.io("cannot write the bundle: \(error.localizedDescription)")
        }
        bytesWritten += Int64(data.count)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
