import Foundation

public struct TimestampMetadata: Sendable {
    public var header: Header
    public var snapshot: MetaFile

    public init(_ signed: JSONValue, file: String = "timestamp.json") throws {
        header = try Header(signed, file: file, expecting: "timestamp")
        guard let meta = signed["meta"]?.objectValue, meta.count == 1, let entry = meta["snapshot.json"] else {
            throw RepositoryError.malformed(file: file, reason: "meta must list snapshot.json only")
        }
        snapshot = try MetaFile(entry, file: file)
    }

    static func body(version: Int64, expires: Date, snapshot: MetaFile) -> JSONValue {
        .object([
            "_type": .string("timestamp"), "spec_version": .string(specVersion), "version": .int(version),
            "expires": .string(Timestamps.format(expires)), "meta": .object(["snapshot.json": snapshot.json]),
        ])
    }
}

public struct SnapshotMetadata: Sendable {
    public var header: Header
    public var meta: [String: MetaFile]

    public init(_ signed: JSONValue, file: String = "snapshot.json") throws {
        header = try Header(signed, file: file, expecting: "snapshot")
        guard let object = signed["meta"]?.objectValue, object["targets.json"] != nil else {
            throw RepositoryError.malformed(file: file, reason: "meta must list targets.json")
        }
        meta = try object.mapValues { try MetaFile($0, file: file) }
    }

    static func body(version: Int64, expires: Date, meta: [String: MetaFile]) -> JSONValue {
        .object([
            "_type": .string("snapshot"), "spec_version": .string(specVersion), "version": .int(version),
            "expires": .string(Timestamps.format(expires)), "meta": .object(meta.mapValues(\.json)),
        ])
    }
}

public struct TargetFile: Sendable, Equatable {
    public var length: Int64
    public var hashes: [String: String]

    public init(length: Int64, hashes: [String: String]) {
        self.length = length
        self.hashes = hashes
    }

    public init(data: Data) {
        length = Int64(data.count)
        hashes = ["sha256": Hashes.digest("sha256", of: data)!]
    }

    init(_ json: JSONValue, file: String) throws {
        guard let length = json["length"]?.intValue, length >= 0, let hashes = json["hashes"] else {
            throw RepositoryError.malformed(file: file, reason: "a target needs length and hashes")
        }
        self.length = length
        self.hashes = try Hashes.parse(hashes, file: file)
    }

    var json: JSONValue { .object(["length": .int(length), "hashes": .object(hashes.mapValues { .string($0) })]) }
}

public struct DelegatedRole: Sendable {
    public var name: String
    public var keys: RoleKeys
    public var terminating: Bool
    public var paths: [String]?
    public var pathHashPrefixes: [String]?

    init(_ json: JSONValue, file: String) throws {
        guard let name = json["name"]?.stringValue, let terminating = json["terminating"]?.boolValue else {
            throw RepositoryError.malformed(file: file, reason: "a delegated role needs name and terminating")
        }
        self.name = name
        self.keys = try RoleKeys(json, file: file)
        self.terminating = terminating
        paths = json["paths"]?.arrayValue?.compactMap(\.stringValue)
        pathHashPrefixes = json["path_hash_prefixes"]?.arrayValue?.compactMap(\.stringValue)
        guard (paths == nil) != (pathHashPrefixes == nil) else {
            throw RepositoryError.malformed(file: file, reason: "role \(name) needs exactly one of paths and path_hash_prefixes")
        }
    }

    /// The spec's shell-style match: `*` never crosses a `/`, and the pattern must have as
    /// many path segments as the target.
    public func matches(_ target: String) -> Bool {
        if let paths {
            let targetParts = target.split(separator: "/", omittingEmptySubsequences: false)
            return paths.contains { pattern in
                let parts = pattern.split(separator: "/", omittingEmptySubsequences: false)
                guard parts.count == targetParts.count else { return false }
                return zip(parts, targetParts).allSatisfy { Glob.matches(Array($0.0.utf8), Array($0.1.utf8)) }
            }
        }
        let hash = Hashes.digest("sha256", of: Data(target.utf8))!
        return pathHashPrefixes?.contains { hash.hasPrefix($0) } ?? false
    }
}

enum Glob {
    static func matches(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0
        var t = 0
        var star = -1
        var mark = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == UInt8(ascii: "?") || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == UInt8(ascii: "*") {
                star = p
                mark = t
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                t = mark
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }
}

public struct TargetsMetadata: Sendable {
    public var header: Header
    public var targets: [String: TargetFile]
    public var delegationKeys: [String: PublicKey]
    public var delegatedRoles: [DelegatedRole]

    public init(_ signed: JSONValue, file: String = "targets.json") throws {
        header = try Header(signed, file: file, expecting: "targets")
        guard let object = signed["targets"]?.objectValue else {
            throw RepositoryError.malformed(file: file, reason: "targets must be an object")
        }
        targets = try object.mapValues { try TargetFile($0, file: file) }
        if let delegations = signed["delegations"] {
            delegationKeys = try parseKeys(delegations["keys"], file: file)
            guard let roles = delegations["roles"]?.arrayValue else {
                throw RepositoryError.malformed(file: file, reason: "delegations need roles")
            }
            delegatedRoles = try roles.map { try DelegatedRole($0, file: file) }
        } else {
            delegationKeys = [:]
            delegatedRoles = []
        }
    }

    static func body(version: Int64, expires: Date, targets: [String: TargetFile]) -> JSONValue {
        .object([
            "_type": .string("targets"), "spec_version": .string(specVersion), "version": .int(version),
            "expires": .string(Timestamps.format(expires)), "targets": .object(targets.mapValues(\.json)),
        ])
    }
}
