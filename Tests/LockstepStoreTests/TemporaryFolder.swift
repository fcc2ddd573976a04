import Foundation

/// A fresh temporary folder, removed when the test is done with it.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// What a user would compare to know a file was not touched.
struct FileSnapshot: Equatable {
    let bytes: Data
    let modified: Date
    let permissions: Int

    init(path: String) throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        modified = attributes[.modificationDate] as! Date
        permissions = (attributes[.posixPermissions] as! NSNumber).intValue
    }
}

func permissions(of path: String) throws -> Int {
    (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as! NSNumber).intValue
}

/// Runs the sqlite3 command-line shell, as an operator would, to look at or alter a store from outside.
@discardableResult
func sqlite3(_ path: String, _ sql: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path, sql]
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw SQLiteShellError(message: "sqlite3 \(sql) failed with status \(process.terminationStatus): \(problem)")
    }
    return text.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct SQLiteShellError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
