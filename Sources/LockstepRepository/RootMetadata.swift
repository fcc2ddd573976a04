import Foundation

public struct RoleKeys: Sendable, Equatable {
    public var keyIDs: [String]
    public var threshold: Int

    public init(keyIDs: [String], threshold: Int) {
        self.keyIDs = keyIDs
        self.threshold = threshold
    }

    init(_ json: JSONValue, file: String) throws {
        guard let ids = json["keyids"]?.arrayValue, let threshold = json["threshold"]?.intValue, threshold >= 1 else {
            throw RepositoryError.malformed(file: file, reason: "a role needs keyids and a threshold of at least 1")
        }
        let keyIDs = ids.compactMap(\.stringValue)
        guard keyIDs.count == ids.count, Set(keyIDs).count == keyIDs.count else {
            throw RepositoryError.malformed(file: file, reason: "a role's keyids must be distinct strings")
        }
        self.keyIDs = keyIDs
        self.threshold = Int(threshold)
    }

    var json: JSONValue { .object(["keyids": .array(keyIDs.map { .string($0) }), "threshold": .int(Int64(threshold))]) }
}

func parseKeys(_ json: JSONValue?, file: String) throws -> [String: PublicKey] {
    guard let object = json?.objectValue else { throw RepositoryError.malformed(file: file, reason: "keys must be an object") }
    var keys = [String: PublicKey]()
    for (keyID, value) in object { keys[keyID] = try PublicKey(json: value) }
    return keys
}

public struct RootMetadata: Sendable {
    public var header: Header
    public var consistentSnapshot: Bool
    public var keys: [String: PublicKey]
    public var roles: [String: RoleKeys]

    public init(_ signed: JSONValue, file: String = "root.json") throws {
        header = try Header(signed, file: file, expecting: "root")
        consistentSnapshot = signed["consistent_snapshot"]?.boolValue ?? false
        keys = try parseKeys(signed["keys"], file: file)
        guard let roleObject = signed["roles"]?.objectValue else {
            throw RepositoryError.malformed(file: file, reason: "roles must be an object")
        }
        var roles = [String: RoleKeys]()
        for role in Role.allCases {
            guard let value = roleObject[role.rawValue] else {
                throw RepositoryError.malformed(file: file, reason: "role \(role.rawValue) is missing")
            }
            roles[role.rawValue] = try RoleKeys(value, file: file)
        }
        self.roles = roles
    }

    public func role(_ role: Role) -> RoleKeys { roles[role.rawValue]! }

    public func verify(_ envelope: Envelope, role: Role, file: String) throws {
        let authorized = self.role(role)
        try envelope.verify(role: role.rawValue, file: file, keys: keys, keyIDs: authorized.keyIDs, threshold: authorized.threshold)
    }

    static func body(version: Int64, expires: Date, keys: [String: PublicKey], roles: [Role: RoleKeys]) -> JSONValue {
        .object([
            "_type": .string("root"), "spec_version": .string(specVersion), "version": .int(version),
            "expires": .string(Timestamps.format(expires)), "consistent_snapshot": .bool(true),
            "keys": .object(keys.mapValues(\.json)),
            "roles": .object(Dictionary(uniqueKeysWithValues: roles.map { ($0.key.rawValue, $0.value.json) })),
        ])
    }
}

let specVersion = "1.0.31"
