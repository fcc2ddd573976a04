import Foundation

public enum Role: String, Sendable, CaseIterable {
    case root, targets, snapshot, timestamp
}

/// A metadata file: the signed body exactly as parsed (signatures are over its canonical
/// form, unknown fields included) and its signatures.
public struct Envelope: Sendable {
    public var signed: JSONValue
    public var signatures: [Signature]

    public init(signed: JSONValue, signatures: [Signature] = []) {
        self.signed = signed
        self.signatures = signatures
    }

    public init(data: Data, file: String) throws {
        guard let json = try? JSONValue.parse(data), let signed = json["signed"], signed.objectValue != nil,
            let list = json["signatures"]?.arrayValue
        else { throw RepositoryError.malformed(file: file, reason: "not TUF metadata (needs signed and signatures)") }
        var signatures = [Signature]()
        for item in list {
            guard let keyID = item["keyid"]?.stringValue, let sig = item["sig"]?.stringValue else {
                throw RepositoryError.malformed(file: file, reason: "a signature needs keyid and sig")
            }
            // The spec: a keyid is unique in "signatures"; duplicates are malformed, not ignored.
            guard !signatures.contains(where: { $0.keyID == keyID }) else {
                throw RepositoryError.malformed(file: file, reason: "two signatures by key \(keyID)")
            }
            signatures.append(Signature(keyID: keyID, value: sig))
        }
        self.signed = signed
        self.signatures = signatures
    }

    public var data: Data {
        JSONValue.object(["signed": signed, "signatures": .array(signatures.map(\.json))]).canonicalData
    }

    public mutating func sign(with keys: [SigningKey]) throws {
        let message = signed.canonicalData
        for key in keys {
            signatures.removeAll { $0.keyID == key.keyID }
            signatures.append(try key.sign(message))
        }
    }

    /// Counts distinct authorized keys whose signature verifies; duplicates count once.
    public func validSignatures(keys: [String: PublicKey], keyIDs: [String]) -> Int {
        let message = signed.canonicalData
        var counted = Set<String>()
        for signature in signatures where keyIDs.contains(signature.keyID) && !counted.contains(signature.keyID) {
            if let key = keys[signature.keyID], key.verifies(signature: signature.value, of: message) {
                counted.insert(signature.keyID)
            }
        }
        return counted.count
    }

    public func verify(role: String, file: String, keys: [String: PublicKey], keyIDs: [String], threshold: Int) throws {
        let valid = validSignatures(keys: keys, keyIDs: keyIDs)
        guard valid >= threshold, threshold >= 1 else {
            throw RepositoryError.signature(role: role, file: file, valid: valid, threshold: threshold)
        }
    }
}

/// The fields every role shares.
public struct Header: Sendable {
    public var type: String
    public var version: Int64
    public var expires: Date
    public var expiresText: String

    init(_ signed: JSONValue, file: String, expecting: String) throws {
        guard let type = signed["_type"]?.stringValue, type == expecting else {
            throw RepositoryError.malformed(file: file, reason: "_type is not \(expecting)")
        }
        guard let spec = signed["spec_version"]?.stringValue, Self.supports(spec) else {
            throw RepositoryError.malformed(file: file, reason: "unsupported spec_version")
        }
        guard let version = signed["version"]?.intValue, version >= 1 else {
            throw RepositoryError.malformed(file: file, reason: "version must be a positive integer")
        }
        guard let text = signed["expires"]?.stringValue, let date = Timestamps.parse(text) else {
            throw RepositoryError.malformed(file: file, reason: "expires is not an RFC 3339 UTC time")
        }
        self.type = type
        self.version = version
        self.expires = date
        self.expiresText = text
    }

    static func supports(_ spec: String) -> Bool {
        let parts = spec.split(separator: ".")
        return parts.count >= 2 && parts.count <= 3 && parts[0] == "1" && parts.allSatisfy { Int($0) != nil }
    }
}

public enum Timestamps {
    public static func parse(_ text: String) -> Date? {
        guard text.hasSuffix("Z") else { return nil }
        return try? Date(text, strategy: .iso8601)
    }

    public static func format(_ date: Date) -> String {
        let whole = Date(timeIntervalSince1970: floor(date.timeIntervalSince1970))
        return whole.formatted(.iso8601)
    }
}

public struct MetaFile: Sendable, Equatable {
    public var version: Int64
    public var length: Int64?
    public var hashes: [String: String]?

    public init(version: Int64, length: Int64? = nil, hashes: [String: String]? = nil) {
        self.version = version
        self.length = length
        self.hashes = hashes
    }

    init(_ json: JSONValue, file: String) throws {
        guard let version = json["version"]?.intValue, version >= 1 else {
            throw RepositoryError.malformed(file: file, reason: "meta entry without a positive version")
        }
        self.version = version
        if let length = json["length"] {
            guard let value = length.intValue, value >= 0 else {
                throw RepositoryError.malformed(file: file, reason: "meta length is not a non-negative integer")
            }
            self.length = value
        }
        if let hashes = json["hashes"] { self.hashes = try Hashes.parse(hashes, file: file) }
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["version": .int(version)]
        if let length { object["length"] = .int(length) }
        if let hashes { object["hashes"] = .object(hashes.mapValues { .string($0) }) }
        return .object(object)
    }
}
