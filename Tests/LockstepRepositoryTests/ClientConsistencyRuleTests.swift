import Foundation
import LockstepRepository
import Testing

@Suite("TUF client workflow: snapshot, targets and downloads agree with what was signed")
struct ClientConsistencyRuleTests {
    @Test func targetsFromAnotherSnapshotAreRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        try repo.publish(["channels/Stable.json": Data("{\"v\":2}".utf8)])
        // Mix and match: the file named for version 2 holds version 1's targets.
        try FileManager.default.removeItem(at: repo.metadata.appending(path: "2.targets.json"))
        try FileManager.default.copyItem(at: repo.metadata.appending(path: "1.targets.json"), to: repo.metadata.appending(path: "2.targets.json"))
        await expectRefusal(
            { $0 == .versionMismatch(file: "2.targets.json", expected: 2, found: 1) },
            refreshing: repo
        )
    }

    @Test func aSnapshotThatIsNotTheOneTheTimestampPinsIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        var snapshot = try Data(contentsOf: repo.metadata.appending(path: "1.snapshot.json"))
        snapshot[snapshot.count - 2] = UInt8(ascii: " ")
        try snapshot.write(to: repo.metadata.appending(path: "1.snapshot.json"))
        await expectRefusal(
            { $0 == .hashMismatch(file: "1.snapshot.json") },
            refreshing: repo
        )
    }

    @Test func aSnapshotOfTheWrongLengthIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let url = repo.metadata.appending(path: "1.snapshot.json")
        let snapshot = try Data(contentsOf: url)
        try snapshot.dropLast().write(to: url)
        await expectRefusal(
            { $0 == .lengthMismatch(file: "1.snapshot.json", expected: Int64(snapshot.count), found: Int64(snapshot.count - 1)) },
            refreshing: repo
        )
    }

    @Test func aTargetWithAnotherHashIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let info = TargetFile(data: Data("{\"v\":1}".utf8))
        let file = repo.out.appending(path: "targets/channels/\(info.hashes["sha256"]!).Stable.json")
        try Data("{\"v\":0}".utf8).write(to: file)
        var client = try repo.client()
        try await client.refresh()
        let signed = try await client.targetInfo("channels/Stable.json")
        await expectRefusal(
            { $0 == .hashMismatch(file: "channels/Stable.json") },
            during: {
                _ = try await client.download("channels/Stable.json", info: signed)
            }
        )
        try Data("{\"v\":1".utf8).write(to: file)
        await expectRefusal(
            { $0 == .lengthMismatch(file: "channels/Stable.json", expected: 7, found: 6) },
            during: {
                _ = try await client.download("channels/Stable.json", info: signed)
            }
        )
    }

    @Test func anOversizedDownloadIsCutAtItsCap() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let info = TargetFile(data: Data("{\"v\":1}".utf8))
        let file = repo.out.appending(path: "targets/channels/\(info.hashes["sha256"]!).Stable.json")
        try Data(repeating: 0x20, count: 10_000_000).write(to: file)
        var client = try repo.client()
        try await client.refresh()
        let signed = try await client.targetInfo("channels/Stable.json")
        await expectRefusal(
            { $0 == .sizeCap(file: "channels/Stable.json", cap: 7) },
            during: {
                _ = try await client.download("channels/Stable.json", info: signed)
            }
        )
        try Data(repeating: 0x20, count: 20_000).write(to: repo.metadata.appending(path: "timestamp.json"))
        await expectRefusal(
            { $0 == .sizeCap(file: "timestamp.json", cap: 16_384) },
            during: {
                var fresh = try repo.client()
                try await fresh.refresh()
            }
        )
    }
}
