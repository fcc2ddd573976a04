import Foundation
import LockstepTestSupport

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
    let output = try HostProcess.run("/usr/bin/sqlite3", [path, sql])
    guard output.status == 0 else {
        throw SQLiteShellError(message: "sqlite3 \(sql) failed with status \(output.status): \(output.stderr)")
    }
    return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

struct SQLiteShellError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
