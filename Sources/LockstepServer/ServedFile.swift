#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps a request path to a regular file inside the served folder, or says why not.
/// Refuses `..` segments (also when percent-encoded), NUL bytes, directories (no listings)
/// and anything whose real path, after following symlinks, leaves the folder.
struct ServedFile: Sendable {
    enum Refusal: Error, Equatable {
        /// A path that tries to climb out of the folder or is not valid: 400.
        case badPath
        /// Not there, a directory, not a regular file, or outside the folder: 404.
        case notFound
    }

    let path: String
    let size: Int
    let tag: EntityTag

    /// `root` must already be a real path (no symlinks, no trailing slash).
    static func resolve(requestPath: String, root: String) throws(Refusal) -> ServedFile {
        guard let decoded = requestPath.removingPercentEncodingStrictly() else { throw .badPath }
        var segments: [Substring] = []
        for segment in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == ".." || segment.contains("\0") || segment.contains("\\") { throw .badPath }
            if segment == "." { continue }
            segments.append(segment)
        }
        guard !segments.isEmpty else { throw .notFound }
        let candidate = root + "/" + segments.joined(separator: "/")
        guard let real = realPath(candidate), real.hasPrefix(root + "/") else { throw .notFound }
        var info = stat()
        guard stat(real, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { throw .notFound }
        let tag = EntityTag(
            device: UInt64(info.st_dev),
            inode: UInt64(info.st_ino),
            size: Int(info.st_size),
            modifiedSeconds: Int(info.st_mtim.tv_sec),
            modifiedNanoseconds: Int(info.st_mtim.tv_nsec)
        )
        return ServedFile(path: real, size: Int(info.st_size), tag: tag)
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The media type by extension; TUF metadata and channel files are JSON, manifests YAML.
    var contentType: String {
        let name = path.split(separator: "/").last ?? ""
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        switch name[name.index(after: dot)...].lowercased() {
        case "json": return "application/json"
        case "yaml", "yml": return "application/yaml"
        case "txt": return "text/plain; charset=utf-8"
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "gz": return "application/gzip"
        default: return "application/octet-stream"
        }
    }
}

extension String {
    /// Percent-decoding that fails on a malformed escape instead of passing it through.
    func removingPercentEncodingStrictly() -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next().flatMap(Self.hexValue), let low = iterator.next().flatMap(Self.hexValue) else { return nil }
                bytes.append(high << 4 | low)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
