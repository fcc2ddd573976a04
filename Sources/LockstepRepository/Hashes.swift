import Crypto
import Foundation

enum Hashes {
    static func parse(_ json: JSONValue, file: String) throws -> [String: String] {
        guard let object = json.objectValue, !object.isEmpty else {
            throw RepositoryError.malformed(file: file, reason: "hashes must be a non-empty object")
        }
        var out = [String: String]()
        for (algorithm, value) in object {
            guard let hex = value.stringValue else {
                throw RepositoryError.malformed(file: file, reason: "hash \(algorithm) is not a string")
            }
            out[algorithm] = hex
        }
        return out
    }

    static func digest(_ algorithm: String, of data: Data) -> String? {
        switch algorithm {
        case "sha256": return SHA256.hash(data: data).hexString
        case "sha384": return SHA384.hash(data: data).hexString
        case "sha512": return SHA512.hash(data: data).hexString
        default: return nil
        }
    }

    /// Every listed hash must match; an algorithm this client cannot compute is a mismatch,
    /// never a pass.
    static func verify(_ data: Data, hashes: [String: String]?, length: Int64?, file: String) throws {
        if let length, Int64(data.count) != length {
            throw RepositoryError.lengthMismatch(file: file, expected: length, found: Int64(data.count))
        }
        for (algorithm, expected) in hashes ?? [:] {
            guard let actual = digest(algorithm, of: data), actual == expected.lowercased() else {
                throw RepositoryError.hashMismatch(file: file)
            }
        }
    }
}

extension TargetFile {
    /// True when `data` has this target's length and every listed hash.
    public func matches(_ data: Data) -> Bool {
        (try? Hashes.verify(data, hashes: hashes, length: length, file: "")) != nil
    }
}
