import Foundation
import GRDB
import LockstepCatalog
import LockstepStore
import LockstepTestSupport
import Testing

/// Releases in a real temporary store.
@Suite final class CatalogReleaseTests {
    /// A fresh store per test (Swift Testing makes one suite instance per test and argument).
    let temporary: TemporaryStore

    init() throws { temporary = try TemporaryStore() }

    static let manifest = """
        # inventory 2.3.0 — comments, odd spacing and a trailing newline are kept verbatim
        name: inventory
        components:
          - name: web   
            containers:
              - source: replicated
                image_name: inventory
                version: "2.3.0"

        """

    @Test func newStoreHasTheDefaultChannels() throws {
        let channels = try temporary.catalog.channels()
        #expect(channels.map(\.name) == ["Stable", "Beta", "Unstable"])
        #expect(channels.allSatisfy { $0.semver })
        #expect(channels.allSatisfy { !$0.description.isEmpty })
        // Opening the catalog again does not add them twice.
        _ = try Catalog(store: temporary.store)
        #expect(try temporary.catalog.channels().count == 3)
    }

    @Test func releasesGetSequencesOneTwoThree() throws {
        let catalog = temporary.catalog
        let sequences = try ["1.0.0", "1.1.0", "not-semver-label"].map {
            try catalog.createRelease(version: $0, manifest: Self.manifest, manifestFile: "app.yaml").release.sequence
        }
        #expect(sequences == [1, 2, 3])
        #expect(try catalog.releases().map(\.version) == ["1.0.0", "1.1.0", "not-semver-label"])
    }

    @Test func manifestIsStoredVerbatimWithItsSHA256() throws {
        let alice = try Catalog(store: temporary.store, actor: "alice")
        let manifest = Self.manifest + "notes: \"ünïcödé ✓\"\r\nextra: yes\r\n"
        let created = try alice.createRelease(version: "2.3.0", manifest: manifest, manifestFile: "app.yaml", notes: "first")

        let expectedDigest = try sha256sum(manifest)
        #expect(created.release.manifestSHA256 == expectedDigest)
        // Read back from the file, not from the returned value.
        let stored = try temporary.store.database.read { db in
            try Row.fetchOne(db, sql: "SELECT manifest, manifest_sha256, created_by, notes FROM release WHERE version = '2.3.0'")!
        }
        #expect((stored["manifest"] as String) == manifest)
        #expect(Data((stored["manifest"] as String).utf8) == Data(manifest.utf8))
        #expect((stored["manifest_sha256"] as String) == expectedDigest)
        #expect((stored["created_by"] as String) == "alice")
        #expect((stored["notes"] as String) == "first")
        #expect(try temporary.catalog.release("2.3.0").manifest == manifest)
        #expect(try temporary.catalog.release("1").version == "2.3.0")
    }

    @Test func duplicateVersionIsRefused() throws {
        try temporary.catalog.createRelease(version: "1.0.0", manifest: Self.manifest, manifestFile: "a.yaml")
        #expect(throws: CatalogError.duplicateRelease(version: "1.0.0", sequence: 1)) {
            try temporary.catalog.createRelease(version: "1.0.0", manifest: "name: other\n", manifestFile: "b.yaml")
        }
        #expect(try temporary.catalog.releases().count == 1)
        #expect(try temporary.catalog.release("1.0.0").manifest == Self.manifest)
    }

    @Test(arguments: [
        ("name: demo\ncomponents:\n  - name: web\n    containers: [\n", 5, 1),
        ("name: demo\n\tcomponents: []\n", 2, 1),
        ("name: demo\ncomponents:\n  - name: \"web\n", 4, 1),
        ("name: demo\nname: [unclosed\n", 3, 1),
    ])
    func nonYAMLManifestIsRefusedWithLineAndColumnAndNothingIsWritten(_ manifest: String, line: Int, column: Int) throws {
        do {
            try temporary.catalog.createRelease(version: "1.0.0", manifest: manifest, manifestFile: "broken.yaml", promoteTo: "Stable")
            Issue.record("a broken manifest was accepted")
        } catch let error as CatalogError {
            guard case .invalidManifest(let file, let foundLine, let foundColumn, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(file == "broken.yaml")
            #expect(foundLine == line)
            #expect(foundColumn == column)
            #expect(!reason.isEmpty)
            #expect(error.description.hasPrefix("broken.yaml:\(line):\(column): "))
        }
        #expect(try temporary.catalog.releases().isEmpty)
        #expect(try temporary.catalog.promotions(onChannel: "Stable").isEmpty)
    }

    @Test(arguments: ["", "- just\n- a list\n", "plain text that YAML reads as a string\n"])
    func manifestMustBeAMapping(_ manifest: String) throws {
        #expect {
            try temporary.catalog.createRelease(version: "1.0.0", manifest: manifest, manifestFile: "m.yaml")
        } throws: { error in
            guard case CatalogError.invalidManifest(file: "m.yaml", _, _, _) = error else { return false }
            return true
        }
        #expect(try temporary.catalog.releases().isEmpty)
    }

    @Test func releasesAreImmutableInTheFileItself() throws {
        try temporary.catalog.createRelease(version: "1.0.0", manifest: Self.manifest, manifestFile: "a.yaml")
        #expect(throws: DatabaseError.self) {
            try temporary.store.database.write { db in try db.execute(sql: "UPDATE release SET manifest = 'name: evil' WHERE version = '1.0.0'") }
        }
        #expect(throws: DatabaseError.self) {
            try temporary.store.database.write { db in try db.execute(sql: "UPDATE release SET notes = 'changed'") }
        }
        #expect(throws: DatabaseError.self) {
            try temporary.store.database.write { db in try db.execute(sql: "DELETE FROM release") }
        }
        let release = try temporary.catalog.release("1.0.0")
        #expect(release.manifest == Self.manifest)
        #expect(release.notes == "")
    }

    @Test func releaseSequenceIsNeverReusedAfterARefusal() throws {
        try temporary.catalog.createRelease(version: "1.0.0", manifest: Self.manifest, manifestFile: "a.yaml")
        _ = try? temporary.catalog.createRelease(version: "nightly", manifest: Self.manifest, manifestFile: "a.yaml", promoteTo: "Stable")
        let next = try temporary.catalog.createRelease(version: "1.1.0", manifest: Self.manifest, manifestFile: "a.yaml")
        #expect(next.release.sequence == 2)
        #expect(try temporary.catalog.releases().map(\.sequence) == [1, 2])
    }

    /// The digest as `sha256sum` prints it for the manifest's bytes.
    private func sha256sum(_ text: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("manifest-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let printed = try HostProcess.run("/usr/bin/sha256sum", [file.path])
        return String(printed.stdout.prefix(64))
    }
}
