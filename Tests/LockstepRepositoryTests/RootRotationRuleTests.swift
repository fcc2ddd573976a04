import Foundation
import LockstepRepository
import Testing

@Suite("TUF client workflow: root rotation")
struct RootRotationRuleTests {
    @Test(arguments: [Role.root, .timestamp, .snapshot, .targets])
    func aRotationSignedByOldAndNewRootIsAccepted(role: Role) async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        var client = try repo.client()
        try await client.refresh()
        let oldKey = client.root.role(role).keyIDs
        try repo.writer().rotate(role: role)
        var next = try repo.client(store: client.store as? MemoryTrustedStore)
        try await next.refresh()
        #expect(next.root.header.version == 2)
        #expect(next.root.role(role).keyIDs != oldKey)
        _ = try await next.targetInfo("channels/Stable.json")
    }

    @Test func aRotationNotSignedByTheOldRootIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let usurper = SigningKey()
        try repo.rewrite("1.root.json", as: "2.root.json", signers: [usurper]) {
            $0["version"] = .int(2)
            $0["keys"] = .object([usurper.keyID: usurper.publicKey.json])
            $0["roles"] = .object(
                ["root", "timestamp", "snapshot", "targets"].reduce(into: [:]) {
                    $0[$1] = .object(["keyids": .array([.string(usurper.keyID)]), "threshold": .int(1)])
                }
            )
        }
        await expectRefusal(
            { if case .signature(role: "root", file: "2.root.json", valid: 0, threshold: 1) = $0 { true } else { false } },
            refreshing: repo
        )
    }

    @Test func aRotationNotSignedByTheNewRootIsRefused() async throws {
        let repo = try TestRepository()
        defer { repo.remove() }
        let newKey = SigningKey()
        try repo.rewrite("1.root.json", as: "2.root.json", signers: try repo.roleKeys(.root)) {
            $0["version"] = .int(2)
            var keys = $0["keys"]!.objectValue!
            keys[newKey.keyID] = newKey.publicKey.json
            $0["keys"] = .object(keys)
            var roles = $0["roles"]!.objectValue!
            roles["root"] = .object(["keyids": .array([.string(newKey.keyID)]), "threshold": .int(1)])
            $0["roles"] = .object(roles)
        }
        await expectRefusal(
            { if case .signature(role: "root", file: "2.root.json", valid: 0, threshold: 1) = $0 { true } else { false } },
            refreshing: repo
        )
    }
}
