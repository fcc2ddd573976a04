import Foundation
import LockstepRepository
import Testing

@Suite("TUF client workflow: each rule refused on a repository that breaks only it")
struct ClientWorkflowTests {
    @Test func aGoodRepositoryVerifiesAndItsTargetsDownload() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        var client = try repo.client()
        try await client.refresh()
        let info = try await client.targetInfo("channels/Stable.json")
        #expect(try await client.download("channels/Stable.json", info: info) == Data("{\"v\":1}".utf8))
        #expect(client.timestamp?.header.version == 1)
    }

    @Test func aTamperedBodyIsABadSignature() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        var envelope = try repo.read("1.targets.json")
        var body = envelope.signed.objectValue!
        body["targets"] = .object([:])
        envelope.signed = .object(body)
        try envelope.data.write(to: repo.metadata.appending(path: "1.targets.json"))
        await expectRefusal(
            { if case .signature(role: "targets", _, valid: 0, threshold: 1) = $0 { true } else { false } },
            refreshing: repo
        )
    }

    @Test func aSignatureByAnotherRolesKeyDoesNotCount() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        try repo.rewrite("timestamp.json", signers: try repo.roleKeys(.snapshot)) { _ in }
        await expectRefusal(
            { if case .signature(role: "timestamp", _, _, _) = $0 { true } else { false } },
            refreshing: repo
        )
    }

    @Test func belowThresholdIsRefused() async throws {
        let repo = try TestRepository(threshold: 2)
        defer { repo.remove() }
        var client = try repo.client()
        try await client.refresh()
        try repo.publish(["channels/Stable.json": Data("{\"v\":2}".utf8)])
        try repo.rewrite("2.snapshot.json", signers: [try repo.roleKeys(.snapshot)[0]]) { _ in }
        // The timestamp pins the snapshot's hash, so re-point it at the one-signature snapshot.
        let snapshot = try Data(contentsOf: repo.metadata.appending(path: "2.snapshot.json"))
        try repo.rewrite("timestamp.json") {
            $0["meta"] = .object(["snapshot.json": .object(["version": .int(2), "length": .int(Int64(snapshot.count))])])
        }
        await expectRefusal(
            { if case .signature(role: "snapshot", _, valid: 1, threshold: 2) = $0 { true } else { false } },
            during: {
                try await client.refresh()
            }
        )
    }

    @Test func rollbackOfTheTimestampIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let old = try Data(contentsOf: repo.metadata.appending(path: "timestamp.json"))
        try repo.writer().refreshTimestamp()
        var client = try repo.client()
        try await client.refresh()
        try old.write(to: repo.metadata.appending(path: "timestamp.json"))
        var next = try repo.client(store: client.store as? MemoryTrustedStore)
        await expectRefusal({ $0 == .rollback(role: "timestamp", from: 2, to: 1) }, during: { try await next.refresh() })
    }

    @Test func rollbackOfTheSnapshotIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        try repo.publish(["channels/Stable.json": Data("{\"v\":2}".utf8)])
        var client = try repo.client()
        try await client.refresh()
        // A newer timestamp that names the older snapshot.
        try repo.rewrite("timestamp.json") {
            $0["version"] = .int(3)
            $0["meta"] = .object(["snapshot.json": .object(["version": .int(1)])])
        }
        var next = try repo.client(store: client.store as? MemoryTrustedStore)
        await expectRefusal({ $0 == .rollback(role: "snapshot", from: 2, to: 1) }, during: { try await next.refresh() })
    }

    @Test func rollbackOfTargetsIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        try repo.publish(["channels/Stable.json": Data("{\"v\":2}".utf8)])
        var client = try repo.client()
        try await client.refresh()
        // A newer snapshot (and timestamp) that names the older targets.
        try repo.rewrite("2.snapshot.json", as: "3.snapshot.json") {
            $0["version"] = .int(3)
            $0["meta"] = .object(["targets.json": .object(["version": .int(1)])])
        }
        try repo.rewrite("timestamp.json") {
            $0["version"] = .int(3)
            $0["meta"] = .object(["snapshot.json": .object(["version": .int(3)])])
        }
        var next = try repo.client(store: client.store as? MemoryTrustedStore)
        await expectRefusal({ $0 == .rollback(role: "targets", from: 2, to: 1) }, during: { try await next.refresh() })
    }

    @Test func aRootWhoseVersionIsNotTheNextOneIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        // 2.root.json that claims to be version 1 again: a replayed root.
        try repo.rewrite("1.root.json", as: "2.root.json") { _ in }
        await expectRefusal(
            { $0 == .versionMismatch(file: "2.root.json", expected: 2, found: 1) },
            refreshing: repo
        )
    }

    @Test(arguments: ["root", "timestamp", "snapshot", "targets"])
    func expiredMetadataOfEachRoleIsRefused(role: String) async throws {
        var expiries = Expiries()
        let day: TimeInterval = 86_400
        expiries.root = 30 * day
        expiries.timestamp = 30 * day
        expiries.snapshot = 30 * day
        expiries.targets = 30 * day
        switch role {
        case "root": expiries.root = day
        case "timestamp": expiries.timestamp = day
        case "snapshot": expiries.snapshot = day
        default: expiries.targets = day
        }
        let repo = try TestRepository(expiries: expiries)
        defer { repo.remove() }
        let later = repo.start + 2 * day
        await expectRefusal(
            { if case .expired(role: role, _) = $0 { true } else { false } },
            during: {
                var client = try repo.client(now: later)
                try await client.refresh()
            }
        )
        var overriding = try repo.client(now: later, acceptExpired: true)
        try await overriding.refresh()
        #expect(overriding.acceptedExpired == [role])
    }
}

@Suite("TUF client workflow: signatures")
struct SignatureRuleTests {
    @Test func aDuplicatedSignatureIsMalformedNotCountedTwice() async throws {
        let repo = try TestRepository(threshold: 2)
        defer { repo.remove() }
        var envelope = try repo.read("timestamp.json")
        envelope.signatures = [envelope.signatures[0], envelope.signatures[0]]
        try envelope.data.write(to: repo.metadata.appending(path: "timestamp.json"))
        await expectRefusal(
            { if case .malformed(file: "timestamp.json", _) = $0 { true } else { false } },
            refreshing: repo
        )
    }
}
