#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A strong validator built from the file's identity: device, inode, size and the
/// modification time in nanoseconds. `publish` replaces files by rename, so a new
/// `timestamp.json` of the same length written within the same second still gets a
/// new tag (a tag from whole seconds and size alone would answer 304 with stale metadata).
struct EntityTag: Sendable, Equatable {
    let value: String

    init(device: UInt64, inode: UInt64, size: Int, modifiedSeconds: Int, modifiedNanoseconds: Int) {
        let parts = [device, inode, UInt64(size), UInt64(bitPattern: Int64(modifiedSeconds)), UInt64(modifiedNanoseconds)]
        value = "\"" + parts.map { String($0, radix: 16) }.joined(separator: "-") + "\""
    }

    /// RFC 9110 13.1.2: If-None-Match uses the weak comparison; `*` matches any current file.
    func matches(ifNoneMatch header: String) -> Bool {
        for candidate in header.split(separator: ",") {
            var tag = candidate.trimmingWhitespace()
            if tag == "*" { return true }
            if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
            if tag == value[...] { return true }
        }
        return false
    }
}

extension Substring {
    func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
