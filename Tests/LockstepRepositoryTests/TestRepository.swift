import Foundation
import LockstepRepository
import LockstepTestSupport
import Testing

/// A real repository on disk written by `RepositoryWriter`, plus the tools to break
/// exactly one rule in it: re-sign any file with any role's keys, or write raw bytes.
struct TestRepository {
    let folder: TemporaryDirectory
    var keys: URL { folder.appending("keys") }
    var out: URL { folder.appending("repo") }
    var metadata: URL { out.appending(path: "metadata") }
    let start = Date()

    init(threshold: Int = 1, expiries: Expiries = Expiries()) throws {
        folder = try TemporaryDirectory(prefix: "lockstep-tuf")
        try writer().initialize(threshold: threshold, expiries: expiries)
        try publish(["channels/Stable.json": Data("{\"v\":1}".utf8)], expiries: expiries)
    }

    func writer(at date: Date? = nil) -> RepositoryWriter {
        RepositoryWriter(keys: keys, out: out, now: date ?? start)
    }

    @discardableResult
    func publish(_ files: [String: Data], expiries: Expiries = Expiries()) throws -> PublishResult {
        try writer().publish(files: files, expiries: expiries)
    }

    func client(now: Date? = nil, acceptExpired: Bool = false, store: MemoryTrustedStore? = nil) throws -> Updater {
        let trusted = try store ?? MemoryTrustedStore(["root": try Data(contentsOf: metadata.appending(path: "1.root.json"))])
        return try Updater(
            store: trusted,
            metadata: DirectoryTransport(root: metadata),
            targets: DirectoryTransport(root: out.appending(path: "targets")),
            options: UpdaterOptions(now: now ?? start, acceptExpired: acceptExpired)
        )
    }

    func read(_ file: String) throws -> Envelope {
        try Envelope(data: try Data(contentsOf: metadata.appending(path: file)), file: file)
    }

    func roleKeys(_ role: Role) throws -> [SigningKey] { try KeyDirectory(url: keys).keys(for: role) }

    /// Rewrites `file` after `change`, signed by `signers` (default: the role's own keys).
    func rewrite(_ file: String, as name: String? = nil, signers: [SigningKey]? = nil, _ change: (inout [String: JSONValue]) -> Void) throws {
        var envelope = try read(file)
        var body = envelope.signed.objectValue!
        change(&body)
        envelope.signed = .object(body)
        envelope.signatures = []
        let role = Role(rawValue: body["_type"]!.stringValue!)!
        try envelope.sign(with: signers ?? roleKeys(role))
        try envelope.data.write(to: metadata.appending(path: name ?? file))
    }

    func remove() { folder.remove() }
}

/// A fresh client's refresh of `repo` must be refused for the reason `matches` names.
func expectRefusal(
    _ matches: (RepositoryError) -> Bool,
    refreshing repo: TestRepository,
    sourceLocation: SourceLocation = #_sourceLocation
) async {
    await expectRefusal(matches, sourceLocation: sourceLocation) {
        var client = try repo.client()
        try await client.refresh()
    }
}

func expectRefusal(
    _ matches: (RepositoryError) -> Bool,
    sourceLocation: SourceLocation = #_sourceLocation,
    during body: () async throws -> Void
) async {
    do {
        try await body()
        Issue.record("the update was accepted", sourceLocation: sourceLocation)
    } catch let error as RepositoryError {
        #expect(matches(error), "refused for the wrong reason: \(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}
