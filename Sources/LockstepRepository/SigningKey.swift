import Crypto
import Foundation

/// An Ed25519 private key for one role. Its file holds the public key object plus the
/// private half in hex; it is written mode 0600 and never printed.
public struct SigningKey: Sendable {
    /// Raw bytes: swift-crypto's key type is not Sendable.
    private let raw: Data

    public var privateKey: Curve25519.Signing.PrivateKey { try! Curve25519.Signing.PrivateKey(rawRepresentation: raw) }

    public init() { raw = Curve25519.Signing.PrivateKey().rawRepresentation }

    public init(privateKey: Curve25519.Signing.PrivateKey) { raw = privateKey.rawRepresentation }

    public var publicKey: PublicKey { PublicKey(ed25519: privateKey.publicKey) }
    public var keyID: String { publicKey.keyID }

    public func sign(_ message: Data) throws -> Signature {
        let bytes = try privateKey.signature(for: message)
        return Signature(keyID: keyID, value: Data(bytes).hexString)
    }

    public func fileData() -> Data {
        var object = publicKey.json.objectValue ?? [:]
        object["keyval"] = .object([
            "public": .string(privateKey.publicKey.rawRepresentation.hexString),
            "private": .string(privateKey.rawRepresentation.hexString),
        ])
        return JSONValue.object(object).prettyData
    }

    public init(fileData: Data, file: String) throws {
        guard let json = try? JSONValue.parse(fileData), json["keytype"]?.stringValue == "ed25519",
            let hex = json["keyval"]?["private"]?.stringValue, let raw = Data(hex: hex),
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else { throw RepositoryError.malformed(file: file, reason: "not an ed25519 key file written by `lockstep repo init`") }
        self.raw = key.rawRepresentation
    }
}

public struct Signature: Sendable, Equatable {
    public var keyID: String
    public var value: String

    public init(keyID: String, value: String) {
        self.keyID = keyID
        self.value = value
    }

    var json: JSONValue { .object(["keyid": .string(keyID), "sig": .string(value)]) }
}
