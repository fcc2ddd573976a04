import Foundation

/// The vendor's key files: `<role>-<n>.key`, one per key, mode 0600. Root's stay offline;
/// the others sign every publish.
public struct KeyDirectory: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url }

    func fileURL(_ role: Role, _ index: Int) -> URL { url.appending(path: "\(role.rawValue)-\(index).key") }

    public func keys(for role: Role) throws -> [SigningKey] {
        var keys = [SigningKey]()
        var index = 1
        while let data = try? Data(contentsOf: fileURL(role, index)) {
            keys.append(try SigningKey(fileData: data, file: fileURL(role, index).path))
            index += 1
        }
        guard !keys.isEmpty else {
            throw RepositoryError.keys("no \(role.rawValue) key in \(url.path) (expected \(role.rawValue)-1.key; run `lockstep repo init`)")
        }
        return keys
    }

    public func create(role: Role, count: Int) throws -> [SigningKey] {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return try (1...count).map { index in
            let key = SigningKey()
            try write(key, to: fileURL(role, index), replacing: false)
            return key
        }
    }

    /// Replaces a role's keys; the old files are kept as `.retired-<stamp>` so nothing
    /// signed with them becomes unverifiable by accident.
    public func replace(role: Role, with keys: [SigningKey], stamp: String) throws {
        var index = 1
        while FileManager.default.fileExists(atPath: fileURL(role, index).path) {
            let old = fileURL(role, index)
            try FileManager.default.moveItem(at: old, to: old.appendingPathExtension("retired-\(stamp)"))
            index += 1
        }
        for (offset, key) in keys.enumerated() { try write(key, to: fileURL(role, offset + 1), replacing: false) }
    }

    func write(_ key: SigningKey, to file: URL, replacing: Bool) throws {
        if !replacing && FileManager.default.fileExists(atPath: file.path) {
            throw RepositoryError.keys("\(file.path) already exists; keys are never overwritten")
        }
        // Created 0600 before the private half is written, so it is never readable by others.
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw RepositoryError.io("cannot create \(file.path)")
        }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.write(contentsOf: key.fileData())
    }
}
