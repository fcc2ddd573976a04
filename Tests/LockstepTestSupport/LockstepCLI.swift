import Foundation

/// Runs the built `lockstep` binary the way a user would, in a private folder
/// with its own store, and captures what it prints.
public struct LockstepCLI: Sendable {
    /// What a run printed and its exit status, as for any host process.
    public typealias Output = HostProcess.Output

    public let folder: URL
    public let storePath: String
    public var environment: [String: String]

    /// The binary every CLI test runs: `LOCKSTEP_BIN`, else next to the test bundle
    /// (`swift build` puts both in one folder), else the package's `.build/debug`.
    public static var binaryPath: String {
        if let explicit = ProcessInfo.processInfo.environment["LOCKSTEP_BIN"], !explicit.isEmpty { return explicit }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var candidates: [String] = []
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("lockstep").path)
            folder = folder.deletingLastPathComponent()
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/lockstep").path)
        return candidates.first { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && FileManager.default.isExecutableFile(atPath: path)
        } ?? candidates[0]
    }

    public init(environment: [String: String] = [:]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        storePath = folder.appendingPathComponent("store.sqlite").path
        var base = ProcessInfo.processInfo.environment
        base["LOCKSTEP_STORE"] = storePath
        base["LOCKSTEP_USER"] = "tester"
        // The ledger key, its checkpoints and the config sealing key stay in the test's folder, not ~/.config.
        base["LOCKSTEP_LEDGER_KEY"] = folder.appendingPathComponent("keys/ledger.key").path
        self.environment = base.merging(environment) { _, new in new }
    }

    /// Runs `lockstep ARGUMENTS…`, optionally with text on standard input.
    @discardableResult
    public func run(_ arguments: String..., input: String? = nil) throws -> Output {
        try run(arguments: arguments, input: input)
    }

    public func run(arguments: [String], input: String? = nil) throws -> Output {
        let binary = Self.binaryPath
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CLIError.binaryMissing(binary)
        }
        return try HostProcess.run(binary, arguments, environment: environment, directory: folder, input: input)
    }

    /// Appends `rows` synthetic ledger rows to this session's store through the real
    /// append path, with the benchmarks executable built beside `lockstep` (the shipped
    /// binary has no command that writes made-up audit rows).
    @discardableResult
    public func fillLedger(rows: Int, batch: Int = 10_000) throws -> Output {
        let binary = URL(fileURLWithPath: Self.binaryPath).deletingLastPathComponent().appendingPathComponent("LockstepBenchmarks").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw CLIError.binaryMissing(binary) }
        return try HostProcess.run(
            binary,
            ["ledger-fill", "--store", storePath, "--rows", String(rows), "--batch", String(batch)],
            environment: environment,
            directory: folder,
            input: nil
        )
    }

    /// Writes a file into the session folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
        return url.path
    }

    public func removeFolder() {
        try? FileManager.default.removeItem(at: folder)
    }

    public enum CLIError: Error, CustomStringConvertible {
        case binaryMissing(String)
        public var description: String {
            switch self {
            case .binaryMissing(let path): return "the lockstep binary is not at \(path); run `swift build` before `swift test`, or set LOCKSTEP_BIN"
            }
        }
    }
}
