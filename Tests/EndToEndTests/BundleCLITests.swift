import Foundation
import LockstepTestSupport
import Testing

/// Air-gap bundles (issue 11): a vendor packs a path, a customer with no URL for the
/// remote imports it; every bad bundle is refused in one line with the store unchanged.
/// The commands run in process (`LockstepCLI.execute`).
@Suite("bundle create, inspect and import")
struct BundleCLITests {
    struct Parties {
        let vendor: LockstepCLI
        let customer: LockstepCLI
        var keys: String { vendor.folder.appendingPathComponent("keys").path }
        var repo: String { vendor.folder.appendingPathComponent("repo").path }

        func bundle(from: String?, to: String = "latest", name: String) async throws -> String {
            let out = vendor.folder.appendingPathComponent(name).path
            var arguments = ["bundle", "create", "--repo", repo, "--channel", "Stable", "--to", to, "--out", out]
            if let from { arguments += ["--from", from] }
            let created = try await vendor.execute(arguments: arguments)
            #expect(created.status == 0, "\(created.combined)")
            return out
        }

        func importBundle(_ file: String) async throws -> LockstepCLI.Output {
            try await customer.execute("bundle", "import", file, "--remote", "acme")
        }

        /// What a user would look at: the mirror, the releases, the remote's versions, the plan.
        func customerView() async throws -> String {
            var views: [String] = []
            for command in ["channel ls", "release ls", "remote show acme", "plan --to latest --output json", "status"] {
                let output = try await customer.execute(arguments: command.split(separator: " ").map(String.init))
                views.append(output.stdout + output.stderr)
            }
            return views.joined(separator: "\n")
        }

        func remove() {
            vendor.removeFolder()
            customer.removeFolder()
        }
    }

    static func manifest(_ version: String) -> String {
        "# release \(version)\n" + VendorCustomerCLITests.manifest
    }

    /// Stable: 1.0.0 … 1.5.0, 1.2.0 and 1.4.0 required, each with its own manifest; the
    /// customer trusts the root (no URL), imported 1.0.0 and runs it.
    func parties() async throws -> Parties {
        let parties = Parties(vendor: try LockstepCLI(), customer: try LockstepCLI())
        for minor in 0...5 {
            let manifest = try parties.vendor.write("manifest-\(minor).yaml", Self.manifest("1.\(minor).0"))
            var arguments = ["release", "create", "--manifest", manifest, "--version", "1.\(minor).0", "--promote", "Stable"]
            if minor == 2 || minor == 4 { arguments.append("--required") }
            #expect(try await parties.vendor.execute(arguments: arguments).status == 0)
        }
        #expect(try await parties.vendor.execute("repo", "init", "--keys", parties.keys, "--out", parties.repo).status == 0)
        #expect(try await parties.vendor.execute("publish", "--keys", parties.keys, "--out", parties.repo).status == 0)
        let root = try parties.customer.write("acme-root.json", String(contentsOfFile: parties.repo + "/metadata/1.root.json", encoding: .utf8))
        let added = try await parties.customer.execute("remote", "add", "acme", "--root", root)
        #expect(added.status == 0, "\(added.combined)")
        let first = try await parties.importBundle(try await parties.bundle(from: nil, to: "1.0.0", name: "first.tar"))
        #expect(first.status == 0, "\(first.combined)")
        #expect(try await parties.customer.execute("install", "mark", "--channel", "acme/Stable", "--release", "1.0.0").status == 0)
        return parties
    }

    struct PlanJSON: Decodable {
        struct Step: Decodable {
            let version: String
            let required: Bool
        }
        let steps: [Step]
    }

    @Test func aBundleCarriesThePathAndTheCustomerPlansItWithNoNetwork() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let file = try await parties.bundle(from: "1.0.0", name: "path.tar")
        let inspected = try await parties.vendor.execute("bundle", "inspect", file)
        #expect(inspected.status == 0, "\(inspected.combined)")
        #expect(inspected.stdout.contains("1.2.0  required"), "\(inspected.stdout)")
        #expect(inspected.stdout.contains("timestamp version 1"), "\(inspected.stdout)")
        let json = try await parties.vendor.execute("bundle", "inspect", file, "--output", "json")
        #expect(json.stdout.contains("\"channel\" : \"Stable\""), "\(json.stdout)")

        let imported = try await parties.importBundle(file)
        #expect(imported.status == 0, "\(imported.combined)")
        #expect(imported.stdout.contains("the timestamp's expiry is not enforced for bundles"))
        #expect(imported.stdout.contains("1.2.0 (required) -> 1.4.0 (required) -> 1.5.0"), "\(imported.stdout)")
        let plan = try await parties.customer.execute("plan", "--to", "latest", "--output", "json")
        #expect(plan.status == 0, "\(plan.combined)")
        let steps = try JSONDecoder().decode(PlanJSON.self, from: Data(plan.stdout.utf8)).steps
        #expect(steps.map(\.version) == ["1.2.0", "1.4.0", "1.5.0"])
        #expect(steps.map(\.required) == [true, true, false])
    }

    @Test(arguments: ["metadata/1.targets.json", "targets/channels/Stable.json", "targets/manifests/"])
    func aTamperedByteIsRefused(entry: String) async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let file = try await parties.bundle(from: "1.0.0", name: "path.tar")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        let offset = try #require(TarFixture.bodyOffset(of: entry, in: bytes), "no \(entry) in the bundle")
        bytes[offset + 40] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        try await expectRefused(parties, file, status: 76)
    }

    @Test func aTruncatedBundleIsRefused() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let file = try await parties.bundle(from: "1.0.0", name: "path.tar")
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        try data.prefix(data.count - 1300).write(to: URL(fileURLWithPath: file))
        let output = try await expectRefused(parties, file, status: 76)
        #expect(output.stderr.contains("truncated"), "\(output.stderr)")
    }

    @Test(arguments: [
        ("../escape", UInt8(ascii: "0"), "outside the bundle"), ("/etc/passwd", UInt8(ascii: "0"), "outside the bundle"),
        ("targets/link", UInt8(ascii: "2"), "symbolic link"), ("targets/null", UInt8(ascii: "3"), "character device"),
    ])
    func unsafeEntriesAreRefused(name: String, type: UInt8, message: String) async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try await parties.bundle(from: "1.0.0", name: "path.tar"))))
        // The bad entry goes right after bundle.json, before any signed data.
        let afterDescriptor = try #require(TarFixture.entryEnd(of: "bundle.json", in: good))
        let bad = Array(good[..<afterDescriptor]) + TarFixture.header(name: name, size: 0, type: type) + Array(good[afterDescriptor...])
        let file = parties.vendor.folder.appendingPathComponent("bad.tar").path
        try Data(bad).write(to: URL(fileURLWithPath: file))
        let output = try await expectRefused(parties, file, status: 76)
        #expect(output.stderr.contains(message), "\(output.stderr)")
    }

    @Test func aBundleForAnotherRemoteIsRefused() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let other = try LockstepCLI()
        defer { other.removeFolder() }
        let manifest = try other.write("m.yaml", Self.manifest("2.0.0"))
        #expect(try await other.execute("release", "create", "--manifest", manifest, "--version", "1.5.0", "--promote", "Stable").status == 0)
        let keys = other.folder.appendingPathComponent("keys").path
        let repo = other.folder.appendingPathComponent("repo").path
        #expect(try await other.execute("repo", "init", "--keys", keys, "--out", repo).status == 0)
        #expect(try await other.execute("publish", "--keys", keys, "--out", repo).status == 0)
        let file = other.folder.appendingPathComponent("other.tar").path
        #expect(try await other.execute("bundle", "create", "--repo", repo, "--channel", "Stable", "--to", "latest", "--out", file).status == 0)
        let output = try await expectRefused(parties, file, status: 76)
        #expect(output.stderr.contains("signature"), "\(output.stderr)")
    }

    @Test func anOlderBundleThanOneImportedIsARollback() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let old = try await parties.bundle(from: "1.0.0", name: "old.tar")
        let manifest = try parties.vendor.write("manifest-6.yaml", Self.manifest("1.6.0"))
        #expect(
            try await parties.vendor.execute("release", "create", "--manifest", manifest, "--version", "1.6.0", "--promote", "Stable").status == 0
        )
        #expect(try await parties.vendor.execute("publish", "--keys", parties.keys, "--out", parties.repo).status == 0)
        let new = try await parties.bundle(from: "1.0.0", name: "new.tar")
        #expect(try await parties.importBundle(new).status == 0)
        let output = try await expectRefused(parties, old, status: 76)
        #expect(output.stderr.contains("rollback"), "\(output.stderr)")
    }

    @Test func aPathThatDoesNotStartAtTheInstalledVersionIsRefused() async throws {
        let parties = try await parties()
        defer { parties.remove() }
        let file = try await parties.bundle(from: "1.3.0", name: "late.tar")
        let output = try await expectRefused(parties, file, status: 67)
        #expect(output.stderr.contains("runs 1.0.0"), "\(output.stderr)")
        #expect(output.stderr.contains("1.2.0"), "\(output.stderr)")
    }

    @discardableResult
    func expectRefused(
        _ parties: Parties,
        _ file: String,
        status: Int32,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> LockstepCLI.Output {
        let before = try await parties.customerView()
        let output = try await parties.importBundle(file)
        #expect(output.status == status, "\(output.combined)", sourceLocation: sourceLocation)
        #expect(output.stderr.split(separator: "\n").count == 1, "\(output.stderr)", sourceLocation: sourceLocation)
        #expect(output.stderr.contains("nothing loaded or written"), "\(output.stderr)", sourceLocation: sourceLocation)
        #expect(try await parties.customerView() == before, sourceLocation: sourceLocation)
        return output
    }
}

/// Just enough ustar to find and forge entries in a test.
enum TarFixture {
    static func entries(_ bytes: [UInt8]) -> [(name: String, header: Int, size: Int)] {
        var out = [(String, Int, Int)]()
        var offset = 0
        while offset + 512 <= bytes.count, bytes[offset] != 0 {
            let name = String(decoding: bytes[offset..<(offset + 100)].prefix { $0 != 0 }, as: UTF8.self)
            let prefix = String(decoding: bytes[(offset + 345)..<(offset + 500)].prefix { $0 != 0 }, as: UTF8.self)
            let size = Int(String(decoding: bytes[(offset + 124)..<(offset + 135)], as: UTF8.self), radix: 8) ?? 0
            out.append((prefix.isEmpty ? name : prefix + "/" + name, offset, size))
            offset += 512 + (size + 511) / 512 * 512
        }
        return out
    }

    static func bodyOffset(of prefix: String, in bytes: [UInt8]) -> Int? {
        entries(bytes).first { $0.name.hasPrefix(prefix) }.map { $0.header + 512 }
    }

    static func entryEnd(of name: String, in bytes: [UInt8]) -> Int? {
        entries(bytes).first { $0.name == name }.map { $0.header + 512 + ($0.size + 511) / 512 * 512 }
    }

    static func header(name: String, size: Int, type: UInt8) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ at: Int) { for (index, byte) in text.utf8.enumerated() { header[at + index] = byte } }
        put(name, 0)
        put("0000644", 100)
        put("0000000", 108)
        put("0000000", 116)
        put(String(format: "%011o", size), 124)
        put("00000000000", 136)
        header[156] = type
        put("ustar", 257)
        put("00", 263)
        for index in 148..<156 { header[index] = 32 }
        put(String(format: "%06o", header.reduce(0) { $0 + Int($1) }), 148)
        header[154] = 0
        return header
    }
}
