import Crypto
import Foundation

/// The token check of a console bound beyond loopback: a login form turns the token
/// into a session cookie (a hash of it, never the token itself); scripts may send
/// `Authorization: Bearer TOKEN` instead.
public struct ConsoleAuth: Sendable {
    static let cookieName = "lockstep_console"
    let token: String
    let session: String

    public init(token: String) {
        self.token = token
        session = SHA256.hash(data: Data("lockstep-console-session\n\(token)".utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads the token file: one line, kept private (mode 0600 or stricter).
    public init(tokenFile path: String) throws(ConsoleError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .tokenFile(path, "no such file") }
        guard info.st_mode & 0o077 == 0 else { throw .tokenFile(path, "readable by others; chmod 600 it") }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw .tokenFile(path, "not readable UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard token.count >= 16 else { throw .tokenFile(path, "the token must be at least 16 characters") }
        self.init(token: token)
    }

    func allows(cookieHeader: String?, authorization: String?) -> Bool {
        if let authorization, authorization.hasPrefix("Bearer ") {
            return Self.same(String(authorization.dropFirst(7)), token)
        }
        guard let cookieHeader else { return false }
        for pair in cookieHeader.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == Self.cookieName, Self.same(String(parts[1]), session) {
                return true
            }
        }
        return false
    }

    func accepts(submitted: String) -> Bool { Self.same(submitted, token) }

    var setCookie: String { "\(Self.cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict" }

    /// Compares in time that depends on the length only, not on where the first difference is.
    static func same(_ left: String, _ right: String) -> Bool {
        let a = Array(left.utf8)
        let b = Array(right.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Why the console cannot start; each says what to do.
public enum ConsoleError: Error, Equatable, CustomStringConvertible {
    case tokenFile(String, String)
    case templates(String)

    public var description: String {
        switch self {
        case .tokenFile(let path, let reason): return "--token-file \(path): \(reason)"
        case .templates(let reason): return "the console's templates do not compile: \(reason)"
        }
    }
}
