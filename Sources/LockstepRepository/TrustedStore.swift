import Foundation
import Synchronization

/// Where a client keeps the metadata it trusts, by role name ("root", "targets", a
/// delegated role). The spec persists each role as soon as it verifies.
public protocol TrustedStore: Sendable {
    func load(_ role: String) -> Data?
    func save(_ role: String, _ data: Data) throws
}

/// Keeps the trusted metadata in memory so a caller can commit all of it at once, or
/// none of it, after the whole update verifies.
public final class MemoryTrustedStore: TrustedStore {
    private let files: Mutex<[String: Data]>

    public init(_ files: [String: Data] = [:]) { self.files = Mutex(files) }

    public func load(_ role: String) -> Data? { files.withLock { $0[role] } }
    public func save(_ role: String, _ data: Data) throws { files.withLock { $0[role] = data } }
    public var contents: [String: Data] { files.withLock { $0 } }
}

/// One file per role, `<role>.json`, as tuf-conformance reads them.
public struct DirectoryTrustedStore: TrustedStore {
    public let directory: URL

    public init(directory: URL) { self.directory = directory }

    public func load(_ role: String) -> Data? {
        try? Data(contentsOf: directory.appending(path: PathQuoting.quote(role) + ".json"))
    }

    public func save(_ role: String, _ data: Data) throws {
        do {
            try data.write(to: directory.appending(path: PathQuoting.quote(role) + ".json"), options: .atomic)
        } catch {
            throw RepositoryError.io("cannot write \(role).json in \(directory.path): \(error.localizedDescription)")
        }
    }
}

enum PathQuoting {
    /// Python's `urllib.parse.quote(name, "")`, which python-tuf uses for role file names.
    static func quote(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
