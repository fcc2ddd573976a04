import Foundation

/// Files read from an unpacked bundle, served to the TUF client like a repository.
/// Consistent-snapshot names (`dir/<hash>.<name>`) resolve to the plain target name.
public struct MemoryTransport: RepositoryTransport {
    public let files: [String: Data]

    public init(_ files: [String: Data]) { self.files = files }

    public func fetch(_ path: String, maxLength: Int) async throws -> Data {
        var data = files[path]
        if data == nil {
            var parts = path.split(separator: "/").map(String.init)
            if let last = parts.popLast(), let dot = last.firstIndex(of: ".") {
                data = files[(parts + [String(last[last.index(after: dot)...])]).joined(separator: "/")]
            }
        }
        guard let data else { throw RepositoryError.notFound(file: path) }
        guard data.count <= maxLength else { throw RepositoryError.sizeCap(file: path, cap: maxLength) }
        return data
    }
}
