/// One `{{repl Function "arg" ...}}` (or `repl{{ ... }}`) in a string.
struct TemplateCall: Sendable, Hashable {
    var function: String
    var arguments: [String]
    /// Offsets, in Unicode scalars of the string, of the opening braces and of the function name.
    var offset: Int
    var functionOffset: Int
    /// Functions the value is piped through, in order: `{{repl ConfigOption "pw" | UrlEncode}}`.
    var filters: [TemplateFilterCall] = []
}

/// One `| Name` stage of a pipeline, with the offset of its name.
struct TemplateFilterCall: Sendable, Hashable {
    var name: String
    var offset: Int
}

enum TemplatePiece: Sendable, Hashable {
    case text(String)
    case call(TemplateCall)
}

struct TemplateSyntaxError: Error {
    var offset: Int
    var message: String
}

/// Parses Replicated's template syntax: a single function call per template,
/// arguments as Go string literals. Pipelines and nested calls are refused
/// with a clear message rather than misread.
enum TemplateParser {
    static func containsTemplate(_ string: String) -> Bool {
        string.contains("{{repl") || string.contains("repl{{")
    }

    static func parse(_ string: String) throws(TemplateSyntaxError) -> [TemplatePiece] {
        let s = Array(string.unicodeScalars)
        var pieces: [TemplatePiece] = []
        var literal = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if let bodyStart = templateStart(s, at: i) {
                if !literal.isEmpty {
                    pieces.append(.text(String(literal)))
                    literal = .init()
                }
                let (call, end) = try parseBody(s, open: i, from: bodyStart)
                pieces.append(.call(call))
                i = end
            } else {
                literal.append(s[i])
                i += 1
            }
        }
        if !literal.isEmpty { pieces.append(.text(String(literal))) }
        return pieces
    }

    /// If a template opens at `i`, the index where its body starts.
    private static func templateStart(_ s: [Unicode.Scalar], at i: Int) -> Int? {
        if matches(s, i, "{{repl") {
            let next = i + 6
            // `{{replicas}}` is not ours; `{{repl` must be followed by a space or the end of the template.
            if next < s.count, s[next] == " " || s[next] == "\t" || s[next] == "}" { return next }
            return nil
        }
        if matches(s, i, "repl{{") { return i + 6 }
        return nil
    }

    private static func matches(_ s: [Unicode.Scalar], _ i: Int, _ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard i + w.count <= s.count else { return false }
        return Array(s[i..<(i + w.count)]) == w
    }

    private static func parseBody(_ s: [Unicode.Scalar], open: Int, from start: Int) throws(TemplateSyntaxError) -> (TemplateCall, Int) {
        var i = start
        var function: (String, Int)?
        var arguments: [String] = []
        var filters: [TemplateFilterCall] = []
        while true {
            while i < s.count, s[i] == " " || s[i] == "\t" || s[i] == "\n" { i += 1 }
            guard i < s.count else {
                throw TemplateSyntaxError(offset: open, message: "unterminated template: missing '}}'")
            }
            let c = s[i]
            if matches(s, i, "}}") {
                i += 2
                break
            }
            if let last = filters.last, c != "|" {
                throw TemplateSyntaxError(offset: i, message: "nothing may follow '| \(last.name)' but another '|' or '}}'")
            }
            if c == "\"" || c == "`" {
                let (value, end) = try stringLiteral(s, at: i)
                guard function != nil else {
                    throw TemplateSyntaxError(offset: i, message: "a template must start with a function name, e.g. {{repl ConfigOption \"name\"}}")
                }
                arguments.append(value)
                i = end
            } else if isIdentifierStart(c) {
                let begin = i
                while i < s.count, isIdentifierStart(s[i]) || ("0"..."9").contains(s[i]) { i += 1 }
                let word = String(String.UnicodeScalarView(s[begin..<i]))
                guard function == nil else {
                    throw TemplateSyntaxError(
                        offset: begin,
                        message:
                            "unexpected '\(word)': arguments must be quoted strings, and lockstep templates hold a single function call (optionally piped into UrlEncode)"
                    )
                }
                function = (word, begin)
            } else if ("0"..."9").contains(c) || c == "-" {
                let begin = i
                i += 1
                while i < s.count, ("0"..."9").contains(s[i]) { i += 1 }
                guard function != nil else {
                    throw TemplateSyntaxError(offset: begin, message: "a template must start with a function name")
                }
                arguments.append(String(String.UnicodeScalarView(s[begin..<i])))
            } else if c == "|" {
                // Only a pipe into a one-argument function (UrlEncode), as KOTS writes it.
                guard function != nil else {
                    throw TemplateSyntaxError(offset: i, message: "a template must start with a function name")
                }
                i += 1
                while i < s.count, s[i] == " " || s[i] == "\t" { i += 1 }
                let begin = i
                while i < s.count, isIdentifierStart(s[i]) || ("0"..."9").contains(s[i]) { i += 1 }
                guard i > begin else {
                    throw TemplateSyntaxError(offset: begin, message: "expected a function name after '|', e.g. | UrlEncode")
                }
                filters.append(TemplateFilterCall(name: String(String.UnicodeScalarView(s[begin..<i])), offset: begin))
            } else if c == "(" || c == ")" {
                throw TemplateSyntaxError(offset: i, message: "nested template calls are not supported; use a single function call")
            } else {
                throw TemplateSyntaxError(offset: i, message: "unexpected character '\(c)' in template")
            }
        }
        guard let function else {
            throw TemplateSyntaxError(offset: open, message: "empty template: expected a function call such as {{repl ConfigOption \"name\"}}")
        }
        return (TemplateCall(function: function.0, arguments: arguments, offset: open, functionOffset: function.1, filters: filters), i)
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_" || c == "."
    }

    /// A Go interpreted ("...") or raw (`...`) string literal starting at `i`.
    private static func stringLiteral(_ s: [Unicode.Scalar], at start: Int) throws(TemplateSyntaxError) -> (String, Int) {
        let quote = s[start]
        var value = String.UnicodeScalarView()
        var i = start + 1
        while i < s.count {
            let c = s[i]
            if c == quote { return (String(value), i + 1) }
            if quote == "\"", c == "\\" {
                guard i + 1 < s.count else { break }
                switch s[i + 1] {
                case "n": value.append("\n")
                case "t": value.append("\t")
                case "\\": value.append("\\")
                case "\"": value.append("\"")
                default:
                    throw TemplateSyntaxError(offset: i, message: "unsupported escape '\\\(s[i + 1])' in template string")
                }
                i += 2
                continue
            }
            if quote == "\"", c == "\n" { break }
            value.append(c)
            i += 1
        }
        throw TemplateSyntaxError(offset: start, message: "unterminated string in template")
    }
}
