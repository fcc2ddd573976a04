import Crypto
import Foundation
import _CryptoExtras

/// A key as root and delegating targets metadata list it. The key ID is the SHA-256 of
/// the canonical key object, so any TUF client derives the same ID.
public struct PublicKey: Sendable, Equatable {
    public var keyType: String
    public var scheme: String
    public var publicValue: String
    /// Fields beyond `keytype`, `scheme` and `keyval.public` are kept so IDs and
    /// re-signed metadata stay what the repository wrote.
    public var json: JSONValue

    public init(ed25519 key: Curve25519.Signing.PublicKey) {
        let hex = key.rawRepresentation.hexString
        self.keyType = "ed25519"
        self.scheme = "ed25519"
        self.publicValue = hex
        self.json = .object([
            "keytype": .string("ed25519"), "scheme": .string("ed25519"),
            "keyval": .object(["public": .string(hex)]),
        ])
    }

    public init(json: JSONValue) throws {
        guard let keyType = json["keytype"]?.stringValue, let scheme = json["scheme"]?.stringValue,
            let publicValue = json["keyval"]?["public"]?.stringValue
        else { throw RepositoryError.malformed(file: "key", reason: "a key needs keytype, scheme and keyval.public") }
        self.keyType = keyType
        self.scheme = scheme
        self.publicValue = publicValue
        self.json = json
    }

    public var keyID: String { SHA256.hash(data: json.canonicalData).hexString }

    /// False for a bad signature and for a key type this client cannot check: an
    /// unverifiable signature never counts toward a threshold.
    public func verifies(signature: String, of message: Data) -> Bool {
        guard let signatureBytes = Data(hex: signature) else { return false }
        switch (keyType, scheme) {
        case ("ed25519", "ed25519"):
            guard let raw = Data(hex: publicValue),
                let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)
            else { return false }
            return key.isValidSignature(signatureBytes, for: message)
        case ("ecdsa", "ecdsa-sha2-nistp256"), ("ecdsa-sha2-nistp256", "ecdsa-sha2-nistp256"):
            guard let key = try? P256.Signing.PublicKey(pemRepresentation: publicValue),
                let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signatureBytes)
            else { return false }
            return key.isValidSignature(parsed, for: message)
        case ("ecdsa", "ecdsa-sha2-nistp384"), ("ecdsa-sha2-nistp384", "ecdsa-sha2-nistp384"):
            guard let key = try? P384.Signing.PublicKey(pemRepresentation: publicValue),
                let parsed = try? P384.Signing.ECDSASignature(derRepresentation: signatureBytes)
            else { return false }
            return key.isValidSignature(parsed, for: message)
        case ("rsa", "rsassa-pss-sha256"):
            guard let key = try? _RSA.Signing.PublicKey(pemRepresentation: publicValue) else { return false }
            let parsed = _RSA.Signing.RSASignature(rawRepresentation: signatureBytes)
            return key.isValidSignature(parsed, for: SHA256.hash(data: message), padding: .PSS)
        default:
            return false
        }
    }
}

extension Sequence where Element == UInt8 {
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Digest {
    var hexString: String { Array(self).hexString }
}

extension Data {
    init?(hex: String) {
        let bytes = Array(hex.utf8)
        guard bytes.count % 2 == 0 else { return nil }
        var out = Data(capacity: bytes.count / 2)
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var index = 0
        while index < bytes.count {
            guard let high = nibble(bytes[index]), let low = nibble(bytes[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        self = out
    }
}
