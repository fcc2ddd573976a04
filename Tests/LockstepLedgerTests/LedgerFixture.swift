import Foundation
import LockstepLedger
import LockstepStore
import LockstepTestSupport
import Testing

/// A store in its own temporary folder, removed when the fixture goes away.
final class LedgerFixture {
    let folder: URL
    let path: String
    let store: Store
    let ledger: Ledger

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-ledger-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        path = folder.appendingPathComponent("store.sqlite").path
        store = try Store.open(path: path)
        ledger = Ledger(store: store)
    }

    deinit {
        try? store.database.close()
        try? FileManager.default.removeItem(at: folder)
    }

    /// `count` run rows with distinct, predictable content.
    @discardableResult
    func fill(_ count: Int) throws -> [LedgerEntry] {
        try ledger.append(contentsOf: (1...count).map { sample($0) })
    }

    func sample(_ index: Int, status: LedgerStatus = .succeeded) -> NewLedgerEntry {
        Self.sample(index, status: status)
    }

    static func sample(_ index: Int, status: LedgerStatus = .succeeded) -> NewLedgerEntry {
        NewLedgerEntry(
            kind: .run,
            event: status == .failed ? .failed : .succeeded,
            status: status,
            upgradeID: "6f1c2a34-0000-4000-8000-000000000001",
            installation: "default",
            channel: "Stable",
            releaseSequence: 3,
            releaseVersion: "1.2.0",
            manifestSHA256: String(repeating: "a", count: 64),
            component: "migrate",
            container: "schema",
            image: "acme/migrate:1.2.0",
            imageID: "sha256:" + String(repeating: "b", count: 64),
            command: ["/bin/migrate", "step \(index)"],
            environment: ["PGHOST": "127.0.0.1"],
            startedAt: Date(timeIntervalSince1970: 1_700_000_000),
            finishedAt: Date(timeIntervalSince1970: 1_700_000_002),
            exitCode: status == .failed ? 1 : 0,
            logTail: "line \(index)\n",
            operatorName: "alice",
            host: "build-1"
        )
    }

    /// Runs the sqlite3 shell on the store, as a tamperer would.
    @discardableResult
    func sqlite(_ sql: String) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/sqlite3", [path, sql])
        #expect(result.status == 0, "sqlite3 failed: \(result.stderr)")
        return result.stdout
    }
}

struct ProcessResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum ProcessRunner {
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        let output = try HostProcess.run(
            executable,
            arguments,
            environment: environment.map { ProcessInfo.processInfo.environment.merging($0) { $1 } }
        )
        return ProcessResult(status: output.status, stdout: output.stdout, stderr: output.stderr)
    }

    /// Starts every command before waiting for any, so they really run at once.
    static func runAll(_ commands: [(String, [String])]) throws -> [ProcessResult] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-procs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var running: [(Process, URL, URL)] = []
        for (index, (executable, arguments)) in commands.enumerated() {
            let out = folder.appendingPathComponent("\(index).out")
            let err = folder.appendingPathComponent("\(index).err")
            FileManager.default.createFile(atPath: out.path, contents: nil)
            FileManager.default.createFile(atPath: err.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardOutput = try FileHandle(forWritingTo: out)
            process.standardError = try FileHandle(forWritingTo: err)
            try process.run()
            running.append((process, out, err))
        }
        return try running.map { process, out, err in
            process.waitUntilExit()
            return ProcessResult(
                status: process.terminationStatus,
                stdout: try String(contentsOf: out, encoding: .utf8),
                stderr: try String(contentsOf: err, encoding: .utf8)
            )
        }
    }

    /// The built `lockstep` binary: $LOCKSTEP_BIN, else beside the test bundle
    /// (`swift test` builds it into the same folder), else the package's .build/debug.
    static func lockstepBinary() throws -> String {
        let path = LockstepCLI.binaryPath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            Issue.record("the lockstep binary was not found at \(path); run `swift build` first or set LOCKSTEP_BIN")
            throw CocoaError(.fileNoSuchFile)
        }
        return path
    }
}
