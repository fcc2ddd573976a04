import Foundation
import LockstepTestSupport
import Testing

/// Issue 9, finding 9: stores that are read-only, corrupt, not files, or on a full
/// disk. Real mounts (tmpfs, remounted read-only) and real damaged SQLite pages. The
/// commands run in process (`LockstepCLI.execute`), but for the one about the environment.
@Suite("Store edge cases (issue 9)", .serialized)
struct StoreEdgeCLITests {
    static let manifest = BadInputCLITests.manifest

    /// A tmpfs of `size` at a fresh folder of `cli`; the tests run as root in CI.
    static func mountTmpfs(_ cli: LockstepCLI, name: String, size: String) throws -> String {
        let mountPoint = cli.folder.appendingPathComponent(name).path
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
        let mounted = try HostProcess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size),mode=0700", "tmpfs", mountPoint])
        #expect(mounted.status == 0, "mount tmpfs (the tests run as root): \(mounted.combined)")
        return mountPoint
    }

    static func unmount(_ mountPoint: String) {
        _ = try? HostProcess.run("/bin/umount", ["-l", mountPoint])
    }

    @Test("A read-only store: 74 and a sentence, no SQL")
    func readOnly() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let mountPoint = try Self.mountTmpfs(cli, name: "ro", size: "4m")
        defer { Self.unmount(mountPoint) }
        let store = mountPoint + "/store.sqlite"
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        #expect(try await cli.execute("release", "create", "--store", store, "--manifest", manifest, "--version", "1.0.0").status == 0)
        let remounted = try HostProcess.run("/bin/mount", ["-o", "remount,ro", mountPoint])
        #expect(remounted.status == 0, "\(remounted.combined)")

        let refused = try await cli.execute("release", "create", "--store", store, "--manifest", manifest, "--version", "1.1.0")
        #expect(refused.status == 74, "\(refused.combined)")
        #expect(refused.stderr.contains("read-only"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("INSERT"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("SQLite error"), "\(refused.stderr)")
    }

    @Test("LOCKSTEP_STORE='' means the default store under $HOME")
    func emptyStoreVariable() throws {
        var cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let home = cli.folder.appendingPathComponent("home").path
        cli.environment["LOCKSTEP_STORE"] = ""
        cli.environment["HOME"] = home
        cli.environment["XDG_DATA_HOME"] = nil
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        let created = try cli.run("release", "create", "--manifest", manifest, "--version", "1.0.0")
        #expect(created.status == 0, "\(created.combined)")
        #expect(FileManager.default.fileExists(atPath: home + "/.local/share/lockstep/lockstep.sqlite"))
    }

    @Test("Corrupt pages: ledger verify and doctor say so and exit 74")
    func corruptPages() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let manifest = try cli.write("manifest.yaml", Self.manifest + "\n# " + String(repeating: "x", count: 3_000) + "\n")
        for minor in 0..<40 {
            #expect(
                try await cli.execute("release", "create", "--manifest", manifest, "--version", "1.\(minor).0", "--promote", "Stable").status == 0
            )
        }
        let before = try await cli.execute("doctor")
        #expect(before.status == 0, "\(before.combined)")
        #expect(before.stdout.contains("pass  store pages: "), "\(before.stdout)")

        // The store keeps recent commits in its WAL between commands: move them into the
        // file, then damage its last pages (table pages, not the header), as a bad disk does.
        let checkpointed = try HostProcess.run("/usr/bin/sqlite3", [cli.storePath, "PRAGMA wal_checkpoint(TRUNCATE);"])
        #expect(checkpointed.status == 0, "\(checkpointed.combined)")
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: cli.storePath))
        let size = try handle.seekToEnd()
        try #require(size > 40_000, "the store holds several pages")
        try handle.seek(toOffset: size - 16_384)
        try handle.write(contentsOf: Data((0..<8_192).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }))
        try handle.close()

        for command in [["ledger", "verify"], ["doctor"]] {
            let checked = try await cli.execute(arguments: command)
            #expect(checked.status == 74, "\(command): \(checked.combined)")
            #expect(checked.stderr.contains("is corrupt"), "\(command): \(checked.stderr)")
            #expect(!checked.stdout.contains("intact"))
        }
    }

    @Test("--store /dev/null is refused and leaves no /dev/null-journal")
    func deviceAsStore() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        unlink("/dev/null-journal")
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        let refused = try await cli.execute("release", "create", "--store", "/dev/null", "--manifest", manifest, "--version", "1.0.0")
        #expect(refused.status == 74, "\(refused.combined)")
        #expect(refused.stderr.contains("/dev/null is a device, not a store file"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-journal"))
        #expect(!FileManager.default.fileExists(atPath: "/dev/null-wal"))
    }

    @Test("A new store on a full disk: 74, and no empty file left behind")
    func fullDisk() async throws {
        let cli = try LockstepCLI()
        defer { cli.removeFolder() }
        let mountPoint = try Self.mountTmpfs(cli, name: "full", size: "12k")
        defer { Self.unmount(mountPoint) }
        let store = mountPoint + "/store.sqlite"
        let manifest = try cli.write("manifest.yaml", Self.manifest)
        let refused = try await cli.execute("release", "create", "--store", store, "--manifest", manifest, "--version", "1.0.0")
        #expect(refused.status == 74, "\(refused.combined)")
        #expect(refused.stderr.contains("full"), "\(refused.stderr)")
        let left = try FileManager.default.contentsOfDirectory(atPath: mountPoint)
        #expect(left.isEmpty, "left behind: \(left)")
    }
}
