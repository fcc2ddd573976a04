import Foundation
import LockstepTestSupport
import Testing

/// `bundle create --images`: each image archive is a signed target; import loads it only
/// after every byte verified (issue 11).
@Suite("bundle images", .serialized)
struct BundleImageTests {
    static func podman(_ arguments: String...) throws -> HostProcess.Output {
        try HostProcess.run("/usr/bin/podman", arguments)
    }

    static func exists(_ reference: String) throws -> Bool { try podman("image", "exists", reference).status == 0 }

    @Test(arguments: [false, true])
    func imagesTravelSignedAndATamperedArchiveLoadsNothing(tamper: Bool) async throws {
        // An image of this test's own (a one-file root file system), so nothing shared is touched.
        let reference = "localhost/lockstep-bundle-\(UUID().uuidString.lowercased().prefix(8)):1"
        let rootfs = try TemporaryDirectory(prefix: "lockstep-bundle-image")
        defer { rootfs.remove() }
        try Data(UUID().uuidString.utf8).write(to: rootfs.appending("marker"))
        let archive = rootfs.appending("rootfs.tar").path
        #expect(try HostProcess.run("/usr/bin/tar", ["-C", rootfs.path, "-cf", archive, "marker"]).status == 0)
        let imported = try Self.podman("import", "-q", archive, reference)
        #expect(imported.status == 0, "\(imported.combined)")
        let imageID = imported.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { _ = try? Self.podman("rmi", "-f", imageID) }
        let vendor = try LockstepCLI()
        let customer = try LockstepCLI()
        defer {
            vendor.removeFolder()
            customer.removeFolder()
        }
        let name = reference.split(separator: ":")[0]
        for (minor, required) in [(0, false), (1, true), (2, false)] {
            let manifest = try vendor.write(
                "m\(minor).yaml",
                """
                # release 1.\(minor).0
                name: inventory
                components:
                  - name: web
                    containers:
                      - source: public
                        image_name: \(name)
                        version: "1"
                """
            )
            var arguments = ["release", "create", "--manifest", manifest, "--version", "1.\(minor).0", "--promote", "Stable"]
            if required { arguments.append("--required") }
            #expect(try vendor.run(arguments: arguments).status == 0)
        }
        let keys = vendor.folder.appendingPathComponent("keys").path
        let repo = vendor.folder.appendingPathComponent("repo").path
        #expect(try vendor.run("repo", "init", "--keys", keys, "--out", repo).status == 0)
        #expect(try vendor.run("publish", "--keys", keys, "--out", repo).status == 0)
        let file = vendor.folder.appendingPathComponent("images.tar").path
        let created = try vendor.run(
            "bundle",
            "create",
            "--repo",
            repo,
            "--channel",
            "Stable",
            "--to",
            "latest",
            "--images",
            "--keys",
            keys,
            "--out",
            file
        )
        #expect(created.status == 0, "\(created.combined)")
        #expect(created.stdout.contains("signed as images/"), "\(created.stdout)")
        let inspected = try vendor.run("bundle", "inspect", file)
        #expect(inspected.stdout.contains("targets/images/"), "\(inspected.stdout)")

        // The customer's engine lacks the reference until the import loads it.
        #expect(try Self.podman("untag", reference, reference).status == 0)
        #expect(try !Self.exists(reference))
        if tamper {
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            let offset = try #require(TarFixture.bodyOffset(of: "targets/images/", in: bytes))
            bytes[offset + 2000] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: file))
        }
        let root = try customer.write("root.json", String(contentsOfFile: repo + "/metadata/1.root.json", encoding: .utf8))
        #expect(try customer.run("remote", "add", "acme", "--root", root).status == 0)
        let loaded = try customer.run("bundle", "import", file, "--remote", "acme")
        if tamper {
            #expect(loaded.status == 76, "\(loaded.combined)")
            #expect(loaded.stderr.contains("hash mismatch of images/"), "\(loaded.stderr)")
            #expect(try !Self.exists(reference))
            #expect(!(try customer.run("channel", "ls").stdout.contains("acme/Stable")))
        } else {
            #expect(loaded.status == 0, "\(loaded.combined)")
            #expect(loaded.stdout.contains("loaded 1 image archive(s)"), "\(loaded.stdout)")
            #expect(try Self.exists(reference))
            #expect(try customer.run("channel", "ls").stdout.contains("acme/Stable"))
        }
    }
}
