import Foundation
import LockstepManifest

/// JSON for scripts: stable key order, ISO 8601 dates.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try encode(value))
    }
}

enum Terminal {
    static func warn(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message.escapingControlCharacters(keepingNewlines: true))\n".utf8))
    }

    static func note(_ message: String) {
        FileHandle.standardError.write(Data("\(message.escapingControlCharacters(keepingNewlines: true))\n".utf8))
    }

    static var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}

extension Date {
    /// A value-type format style: no formatter object built per row of a long table.
    var iso8601: String { formatted(.iso8601) }
}
