/// The one masking rule for secrets, used by everything that shows or keeps text:
/// terminal output, logs, failure messages and the ledger.
///
/// Every given secret is replaced by `***`, whatever its length: a short password
/// is still a password, and a garbled message is better than a leaked one. On top of
/// those, passwords inside connection strings (`scheme://user:PASSWORD@host`,
/// `password=PASSWORD`) are masked, and environment variables whose name says they
/// hold a secret are masked whatever their value.
public struct Redactor: Sendable {
    /// The one mask text.
    public static let mask = "***"

    /// Longest first, so a secret that contains another is masked whole.
    public let secrets: [String]

    public init(secrets: some Sequence<String>) {
        // A secret pasted into a URL travels percent-encoded (the `UrlEncode` template
        // function): the encoded forms are the same secret and are masked too.
        let given = secrets.filter { !$0.isEmpty }
        let all = Set(given).union(given.flatMap(Self.encodedForms))
        self.secrets = all.sorted { $0.count > $1.count || ($0.count == $1.count && $0 < $1) }
    }

    /// The percent-encoded spellings of `secret` that differ from it: upper- or
    /// lower-case hex digits, each with a space as `%20` or as `+` (query encoding).
    static func encodedForms(of secret: String) -> [String] {
        var forms: Set<String> = []
        for uppercase in [true, false] {
            for spaceAsPlus in [false, true] {
                var encoded = ""
                for byte in secret.utf8 {
                    if isUnreserved(byte) {
                        encoded.unicodeScalars.append(UnicodeScalar(byte))
                    } else if spaceAsPlus, byte == UInt8(ascii: " ") {
                        encoded += "+"
                    } else {
                        let hex = String(byte, radix: 16, uppercase: uppercase)
                        encoded += byte < 16 ? "%0" + hex : "%" + hex
                    }
                }
                forms.insert(encoded)
            }
        }
        return forms.subtracting([secret]).sorted()
    }

    /// RFC 3986's unreserved characters, which percent-encoding leaves as they are.
    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// This rule with more secrets to mask.
    public func adding(_ more: some Sequence<String>) -> Redactor {
        Redactor(secrets: secrets + Array(more))
    }

    public func redact(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: Self.mask)
        }
        return Self.maskConnectionPasswords(result)
    }

    public func redact(_ text: String?) -> String? {
        text.map { redact($0) }
    }

    public func redact(arguments: [String]) -> [String] {
        arguments.map { redact($0) }
    }

    public func redact(environment: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in environment {
            result[name] = Self.namesSecret(name) ? Self.mask : redact(value)
        }
        return result
    }

    private static let secretNameParts = ["PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY", "CREDENTIAL"]

    /// `*_FILE` variables hold a path to the secret, not the secret itself.
    public static func namesSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        if upper.hasSuffix("_FILE") { return false }
        return secretNameParts.contains { upper.contains($0) }
    }

    nonisolated(unsafe) private static let urlPassword = /(?<head>[A-Za-z][A-Za-z0-9+.\-]*:\/\/[^:\/@\s]*:)(?<password>[^@\s\/]+)@/
    nonisolated(unsafe) private static let keywordPassword = /(?i)(?<head>\bpassword\s*=\s*)(?<password>'(?:[^'\\]|\\.)*'|[^\s'"]+)/

    static func maskConnectionPasswords(_ text: String) -> String {
        guard text.contains("://") || text.lowercased().contains("password") else { return text }
        var result = text.replacing(urlPassword) { match in "\(match.output.head)\(mask)@" }
        result = result.replacing(keywordPassword) { match in "\(match.output.head)\(mask)" }
        return result
    }
}
