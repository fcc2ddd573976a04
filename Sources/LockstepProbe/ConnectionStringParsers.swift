import Foundation

/// libpq's `key=value` grammar: whitespace-separated pairs, values optionally
/// single-quoted, backslash escaping the next character.
enum KeywordValueParser {
    static func parse(_ text: String) throws(ConnectionStringError) -> [(key: String, value: String)] {
        var result: [(key: String, value: String)] = []
        var index = text.startIndex
        func skipSpaces() {
            while index < text.endIndex, text[index].isWhitespace { index = text.index(after: index) }
        }
        while true {
            skipSpaces()
            guard index < text.endIndex else { break }
            var key = ""
            while index < text.endIndex, !text[index].isWhitespace, text[index] != "=" {
                key.append(text[index])
                index = text.index(after: index)
            }
            skipSpaces()
            guard index < text.endIndex, text[index] == "=" else { throw .missingEquals(keyword: key) }
            index = text.index(after: index)
            skipSpaces()
            var value = ""
            if index < text.endIndex, text[index] == "'" {
                index = text.index(after: index)
                var closed = false
                while index < text.endIndex {
                    let character = text[index]
                    if character == "\\" {
                        index = text.index(after: index)
                        if index < text.endIndex {
                            value.append(text[index])
                            index = text.index(after: index)
                        }
                    } else if character == "'" {
                        index = text.index(after: index)
                        closed = true
                        break
                    } else {
                        value.append(character)
                        index = text.index(after: index)
                    }
                }
                guard closed else { throw .unterminatedQuote(keyword: key) }
            } else {
                while index < text.endIndex, !text[index].isWhitespace {
                    if text[index] == "\\" {
                        index = text.index(after: index)
                        if index < text.endIndex { value.append(text[index]) } else { break }
                    } else {
                        value.append(text[index])
                    }
                    index = text.index(after: index)
                }
            }
            result.append((key, value))
        }
        return result
    }
}

/// libpq's URI grammar: `postgresql://[user[:password]@][host][:port][,...][/dbname][?param=value&...]`.
enum URLParser {
    struct Parsed {
        var parameters: [(key: String, value: String)] = []
        /// Passwords exactly as written (still percent-encoded).
        var rawSecrets: [String] = []
    }

    static func parse(_ text: String, prefixLength: Int) throws(ConnectionStringError) -> Parsed {
        var parsed = Parsed()
        let body = String(text.dropFirst(prefixLength))
        let (authority, pathAndQuery) = splitAuthority(body)
        var hostPart = Substring(authority)
        if let at = authority.firstIndex(of: "@") {
            let userInfo = authority[..<at]
            hostPart = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = String(userInfo[..<colon])
                let password = String(userInfo[userInfo.index(after: colon)...])
                parsed.rawSecrets.append(password)
                if !user.isEmpty { parsed.parameters.append(("user", try decode(user, part: "user name"))) }
                parsed.parameters.append(("password", try decode(password, part: "password")))
            } else if !userInfo.isEmpty {
                parsed.parameters.append(("user", try decode(String(userInfo), part: "user name")))
            }
        }
        var hosts: [String] = []
        var ports: [String] = []
        for entry in hostPart.split(separator: ",", omittingEmptySubsequences: false) {
            var host = Substring(entry)
            var port = Substring("")
            if host.hasPrefix("[") {
                guard let close = host.firstIndex(of: "]") else { throw .unterminatedIPv6Address }
                let rest = host[host.index(after: close)...]
                host = host[host.index(after: host.startIndex)..<close]
                if rest.hasPrefix(":") { port = rest.dropFirst() }
            } else if let colon = host.lastIndex(of: ":") {
                port = host[host.index(after: colon)...]
                host = host[..<colon]
            }
            hosts.append(try decode(String(host), part: "host"))
            ports.append(String(port))
        }
        if hosts.contains(where: { !$0.isEmpty }) { parsed.parameters.append(("host", hosts.joined(separator: ","))) }
        if ports.contains(where: { !$0.isEmpty }) { parsed.parameters.append(("port", ports.joined(separator: ","))) }

        var path = Substring(pathAndQuery)
        var query = Substring("")
        if let question = path.firstIndex(of: "?") {
            query = path[path.index(after: question)...]
            path = path[..<question]
        }
        if path.hasPrefix("/"), path.count > 1 {
            parsed.parameters.append(("dbname", try decode(String(path.dropFirst()), part: "database name")))
        }
        for pair in query.split(separator: "&") {
            let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(String(pieces[0]), part: "query")
            let value = pieces.count > 1 ? String(pieces[1]) : ""
            if key == "password" { parsed.rawSecrets.append(value) }
            parsed.parameters.append((key, try decode(value, part: key == "password" ? "password" : "query")))
        }
        return parsed
    }

    /// The URL with the password (in the user info or in the query) masked,
    /// everything else kept as written.
    static func redact(_ text: String) -> String {
        guard let prefixLength = ConnectionString.urlPrefixLength(text) else { return text }
        let prefix = String(text.prefix(prefixLength))
        let (authority, pathAndQuery) = splitAuthority(String(text.dropFirst(prefixLength)))
        var newAuthority = authority
        if let at = authority.firstIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                newAuthority = String(userInfo[...colon]) + ConnectionString.mask + String(authority[at...])
            }
        }
        var rest = pathAndQuery
        if let question = rest.firstIndex(of: "?") {
            let path = rest[..<question]
            let pairs = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                let pieces = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(pieces[0]).removingPercentEncoding ?? String(pieces[0])
                return key == "password" ? "\(pieces[0])=\(ConnectionString.mask)" : String(pair)
            }
            rest = String(path) + "?" + pairs.joined(separator: "&")
        }
        return prefix + newAuthority + rest
    }

    private static func splitAuthority(_ body: String) -> (String, String) {
        guard let end = body.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return (body, "") }
        return (String(body[..<end]), String(body[end...]))
    }

    private static func decode(_ text: String, part: String) throws(ConnectionStringError) -> String {
        guard text.contains("%") else { return text }
        guard let decoded = text.removingPercentEncoding else { throw .invalidPercentEncoding(part: part) }
        return decoded
    }
}
