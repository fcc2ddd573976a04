import Crypto
import Foundation

/// Seals config values of type password with AES-256-GCM under a key kept in
/// a file outside the store (mode 0600, created on first seal), so the store, a
/// copy or a backup of it, or `sqlite3 .dump`, holds no secret. A sealed value
/// is the text `sealed:v1:` + base64(nonce ‖ ciphertext ‖ tag); the installation
/// and the value's name are authenticated with it, so a sealed value cannot be
/// moved to another name. Values are unsealed only in memory.
public struct ConfigSealer: Sendable {
    public let keyPath: String

    static let prefix = "sealed:v1:"
    static let keyPrefix = "LOCKSTEP-CONFIG-KEY+"

    public init(keyPath: String) {
        self.keyPath = keyPath
    }

    public static func isSealed(_ stored: String) -> Bool {
        stored.hasPrefix(prefix)
    }

    public func seal(_ value: String, installation: String, name: String) throws(KeyFileError) -> String {
        let key = try loadKey(create: true)!
        // AES-GCM sealing fails only for a bad key size or nonce, which cannot happen here.
        let box = try! AES.GCM.seal(Data(value.utf8), using: key, authenticating: Self.context(installation, name))
        return Self.prefix + box.combined!.base64EncodedString()
    }

    /// The value, or nil when the key is absent, another key, or the text was altered.
    public func unseal(_ stored: String, installation: String, name: String) -> String? {
        guard Self.isSealed(stored), let key = try? loadKey(create: false),
            let data = Data(base64Encoded: String(stored.dropFirst(Self.prefix.count))),
            let box = try? AES.GCM.SealedBox(combined: data),
            let opened = try? AES.GCM.open(box, using: key, authenticating: Self.context(installation, name))
        else { return nil }
        return String(decoding: opened, as: UTF8.self)
    }

    private func loadKey(create: Bool) throws(KeyFileError) -> SymmetricKey? {
        if let text = try KeyFile.read(path: keyPath) {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard trimmed.hasPrefix(Self.keyPrefix), let bytes = Data(base64Encoded: String(trimmed.dropFirst(Self.keyPrefix.count))),
                bytes.count == 32
            else {
                throw .malformed(path: keyPath, expected: "a lockstep config key (LOCKSTEP-CONFIG-KEY+base64)")
            }
            return SymmetricKey(data: bytes)
        }
        guard create else { return nil }
        let key = SymmetricKey(size: .bits256)
        let text = Self.keyPrefix + key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        if try KeyFile.create(path: keyPath, contents: text) { return key }
        // Another process created it first: use theirs.
        return try loadKey(create: false)
    }

    private static func context(_ installation: String, _ name: String) -> Data {
        Data("lockstep-config/1\n\(installation)\n\(name)".utf8)
    }
}

/// Saved config values that cannot be unsealed and were not given again.
public struct SealedConfigUnavailable: Error, Sendable, CustomStringConvertible {
    public let names: [String]
    public let keyPath: String

    public init(names: [String], keyPath: String) {
        self.names = names
        self.keyPath = keyPath
    }

    public var description: String {
        let list = names.joined(separator: ", ")
        return
            "the saved config value\(names.count == 1 ? "" : "s") \(list) \(names.count == 1 ? "is" : "are") sealed with a key that is not at \(keyPath) "
            + "(or is another key): give \(names.count == 1 ? "it" : "them") again with --config FILE or --set \(names[0])=VALUE"
    }
}
