import ArgumentParser
import Foundation
import LockstepRepository

/// tuf-conformance's CLIENT-CLI.md over the same `Updater` that `lockstep sync` uses.
/// Exit 0 on success, 1 on any failure, as the protocol asks.
@main
struct TUFClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lockstep-tuf-client",
        abstract: "A TUF client for the tuf-conformance suite: init, refresh, download."
    )

    @Option(name: .customLong("metadata-dir"), help: "Where trusted metadata is kept (root.json, timestamp.json, ...).")
    var metadataDir: String

    @Option(name: .customLong("metadata-url"), help: "Base URL of the repository's metadata.")
    var metadataURL: String?

    @Option(name: .customLong("target-name"), help: "A target path to download; repeatable.")
    var targetNames: [String] = []

    @Option(name: .customLong("target-base-url"), help: "Base URL of the repository's targets.")
    var targetBaseURL: String?

    @Option(name: .customLong("target-dir"), help: "Where downloaded targets are stored.")
    var targetDir: String?

    @Argument(help: "init, refresh or download.")
    var command: String

    @Argument(help: "For init: the trusted root file.")
    var trustedRoot: String?

    func run() async throws {
        do {
            try await perform()
        } catch {
            FileHandle.standardError.write(Data("lockstep-tuf-client: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    func perform() async throws {
        let store = DirectoryTrustedStore(directory: URL(fileURLWithPath: metadataDir))
        switch command {
        case "init":
            guard let trustedRoot else { throw ValidationError("init needs the trusted root file") }
            try FileManager.default.createDirectory(atPath: metadataDir, withIntermediateDirectories: true)
            try store.save("root", try Data(contentsOf: URL(fileURLWithPath: trustedRoot)))
        case "refresh":
            var updater = try makeUpdater(store)
            try await updater.refresh()
        case "download":
            guard let targetDir, !targetNames.isEmpty else { throw ValidationError("download needs --target-name and --target-dir") }
            var updater = try makeUpdater(store)
            try await updater.refresh()
            for name in targetNames {
                let info = try await updater.targetInfo(name)
                let destination = URL(fileURLWithPath: targetDir).appending(path: Self.quote(name))
                if let cached = try? Data(contentsOf: destination), TargetFile(length: Int64(cached.count), hashes: info.hashes).matches(cached) {
                    continue
                }
                let data = try await updater.download(name, info: info)
                try data.write(to: destination, options: .atomic)
            }
        default:
            throw ValidationError("unknown command \(command): expected init, refresh or download")
        }
    }

    func makeUpdater(_ store: DirectoryTrustedStore) throws -> Updater {
        guard let metadataURL else { throw ValidationError("--metadata-url is required") }
        let targets = targetBaseURL.map { HTTPTransport(base: $0) } ?? HTTPTransport(base: metadataURL)
        return try Updater(store: store, metadata: HTTPTransport(base: metadataURL), targets: targets)
    }

    static func quote(_ name: String) -> String {
        name.addingPercentEncoding(
            withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        ) ?? name
    }
}
