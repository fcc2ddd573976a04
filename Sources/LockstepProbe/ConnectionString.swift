import Foundation
import LockstepRedaction

/// A PostgreSQL connection string, in either of libpq's two forms: a URL
/// (`postgresql://user:pass@host:port/db?opt=val`) or `key=value` conninfo.
///
/// It exists so that everything lockstep prints about a connection can be
/// redacted: libpq itself parses the original text, this type only learns
/// where the password is. Parsing follows libpq's grammar closely enough that
/// whatever libpq would take as a password is found here too.
public struct ConnectionString: Sendable, Equatable {
    public enum Format: Sendable, Equatable {
        case url
        case keywordValue
    }

    /// The text as given; handed to libpq unchanged.
    public let raw: String
    public let format: Format
    /// Decoded parameters in the order they appear (URL parts use libpq's
    /// keywords: `user`, `password`, `host`, `port`, `dbname`).
    public let parameters: [(key: String, value: String)]
    /// Every spelling of a password found in the text (decoded and as written).
    let secrets: [String]

    public static let mask = Redactor.mask

    public init(_ text: String) throws(ConnectionStringError) {
        raw = text
        if let prefixLength = Self.urlPrefixLength(text) {
            format = .url
            let parsed = try URLParser.parse(text, prefixLength: prefixLength)
            parameters = parsed.parameters
            secrets = parsed.rawSecrets + parsed.parameters.filter { $0.key == "password" }.map(\.value)
        } else if text.contains("=") {
            format = .keywordValue
            parameters = try KeywordValueParser.parse(text)
            secrets = parameters.filter { $0.key == "password" }.map(\.value)
        } else {
            // libpq takes a string that is neither a URL nor conninfo as a database name.
            format = .keywordValue
            parameters = text.isEmpty ? [] : [("dbname", text)]
            secrets = []
        }
        try Self.validatePorts(parameters)
    }

    public static func == (lhs: ConnectionString, rhs: ConnectionString) -> Bool {
        lhs.raw == rhs.raw
    }

    /// The last value given for `key` (libpq lets later settings win).
    public func value(for key: String) -> String? {
        parameters.last { $0.key == key }?.value
    }

    /// The connection string with its password replaced by `***`, safe to print.
    public var redacted: String {
        switch format {
        case .url:
            return URLParser.redact(raw)
        case .keywordValue:
            if !raw.contains("=") { return raw.isEmpty ? "" : "dbname=\(Self.quote(raw))" }
            return parameters.map { key, value in
                "\(key)=\(key == "password" ? Self.mask : Self.quote(value))"
            }.joined(separator: " ")
        }
    }

    /// `message` with every trace of this connection's password removed: the
    /// whole connection string is replaced by its redacted form, then every
    /// spelling of the password (and of `$PGPASSWORD`) by `***`.
    public func redact(_ message: String, environment: [String: String] = [:]) -> String {
        var result = message
        // Only a string that holds a password is swapped for its redacted form: a bare
        // database name (`shop`) is not a secret, and every `shop` in a message stays.
        if !secrets.isEmpty, !raw.isEmpty { result = result.replacingOccurrences(of: raw, with: redacted) }
        return Redactor(secrets: secrets + [environment["PGPASSWORD"]].compactMap { $0 }).redact(result)
    }

    /// For libpq's complaints about the options themselves: quoted words
    /// that are neither keywords nor values of other parameters may be a
    /// fragment of a badly quoted password, so they are masked too.
    public func redactOptionError(_ message: String) -> String {
        let safe = ConnectionStringError.knownKeywords.union(parameters.filter { $0.key != "password" }.map(\.value))
        let pieces = redact(message).split(separator: "\"", omittingEmptySubsequences: false)
        return pieces.enumerated().map { index, piece in
            index % 2 == 1 && !safe.contains(String(piece)) ? Self.mask : String(piece)
        }.joined(separator: "\"")
    }

    static func urlPrefixLength(_ text: String) -> Int? {
        for prefix in ["postgresql://", "postgres://"] where text.hasPrefix(prefix) {
            return prefix.count
        }
        return nil
    }

    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "'" || $0 == "\\" || $0.isWhitespace }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return "'\(escaped)'"
    }

    private static func validatePorts(_ parameters: [(key: String, value: String)]) throws(ConnectionStringError) {
        for (key, value) in parameters where key == "port" {
            for port in value.split(separator: ",", omittingEmptySubsequences: false) where !port.isEmpty {
                guard let number = Int(port), (1...65535).contains(number) else {
                    throw .invalidPort(String(port))
                }
            }
        }
    }
}

/// Why a connection string cannot be used. Messages never quote values, so
/// a malformed password cannot leak through them.
public enum ConnectionStringError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingEquals(keyword: String)
    case unterminatedQuote(keyword: String)
    case invalidPercentEncoding(part: String)
    case unterminatedIPv6Address
    case invalidPort(String)

    public var description: String {
        switch self {
        case .missingEquals(let keyword):
            return
                "invalid connection string: missing \"=\" after \(Self.shown(keyword)); write key=value pairs separated by spaces (quote values containing spaces), or a postgresql:// URL"
        case .unterminatedQuote(let keyword):
            return "invalid connection string: the quoted value of \(Self.shown(keyword)) is not closed; end it with a single quote"
        case .invalidPercentEncoding(let part):
            return "invalid connection URL: bad percent-encoding in the \(part); encode reserved characters as %XX"
        case .unterminatedIPv6Address:
            return "invalid connection URL: an IPv6 host address opened with \"[\" is not closed with \"]\""
        case .invalidPort(let port):
            let shown = port.count <= 8 && port.allSatisfy(\.isNumber) ? " \(port)" : ""
            return "invalid connection string: port\(shown) is not a number between 1 and 65535"
        }
    }
}

extension ConnectionStringError {
    /// libpq's connection keywords. Only these are quoted back in messages:
    /// any other word may be a piece of a badly quoted password.
    static let knownKeywords: Set<String> = [
        "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "channel_binding",
        "connect_timeout", "client_encoding", "options", "application_name", "fallback_application_name",
        "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
        "replication", "gssencmode", "sslmode", "requiressl", "sslcompression", "sslcert", "sslkey",
        "sslpassword", "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer",
        "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib",
        "service", "target_session_attrs", "load_balance_hosts", "require_auth", "sslcertmode",
    ]

    static func shown(_ keyword: String) -> String {
        knownKeywords.contains(keyword) ? "\"\(keyword)\"" : "a word that is not a known keyword"
    }
}
