import Foundation
import GRDB
import LockstepCatalog
import LockstepStore
import Testing

/// Promotions, demotions and channel sequences in a real temporary store.
@Suite final class CatalogPromotionTests {
    /// A fresh store per test (Swift Testing makes one suite instance per test and argument).
    let temporary: TemporaryStore

    init() throws { temporary = try TemporaryStore() }

    static let manifest = "name: app\ncomponents: []\n"

    @Test func promotingANonSemVerLabelToASemVerChannelIsRefused() throws {
        try temporary.catalog.createRelease(version: "nightly-42", manifest: Self.manifest, manifestFile: "a.yaml")
        #expect {
            try temporary.catalog.promote(channel: "Stable", release: "nightly-42", required: false)
        } throws: { error in
            guard case CatalogError.invalidVersion(channel: "Stable", let reason) = error else { return false }
            return reason.contains("nightly-42")
        }
        #expect(try temporary.catalog.promotions(onChannel: "Stable").isEmpty)
    }

    @Test(arguments: ["v1.0.0", "1.0", "1.0.0-", "01.0.0", "nightly"])
    func createWithPromotionOfANonSemVerLabelWritesNothing(_ label: String) throws {
        #expect(throws: CatalogError.self) {
            try temporary.catalog.createRelease(version: label, manifest: Self.manifest, manifestFile: "a.yaml", promoteTo: "Beta", required: true)
        }
        #expect(throws: CatalogError.releaseNotFound(label)) { try temporary.catalog.release(label) }
        #expect(try temporary.catalog.releases().isEmpty)
        #expect(try temporary.catalog.promotions(onChannel: "Beta").isEmpty)
    }

    @Test func promotionOrderedChannelsTakeAnyLabel() throws {
        _ = try temporary.catalog.createChannel(name: "Nightly", semver: false)
        let created = try temporary.catalog.createRelease(
            version: "nightly-42",
            manifest: Self.manifest,
            manifestFile: "a.yaml",
            promoteTo: "Nightly"
        )
        #expect(created.promotion?.channelSequence == 1)
        #expect(created.promotion?.versionKey == "")
    }

    @Test func promotionGetsChannelSequenceFlagsAndSortableKey() throws {
        let catalog = try Catalog(store: temporary.store, actor: "bob")
        try catalog.createRelease(version: "2.0.0", manifest: Self.manifest, manifestFile: "a.yaml")
        try catalog.createRelease(version: "2.0.0-rc.2", manifest: Self.manifest, manifestFile: "a.yaml")
        let first = try catalog.promote(channel: "Stable", release: "2.0.0", required: true, notes: "migrates orders")
        let second = try catalog.promote(channel: "Stable", release: "2.0.0-rc.2", required: false)
        #expect(first.channelSequence == 1 && second.channelSequence == 2)
        #expect(first.required && !second.required)
        #expect(first.notes == "migrates orders")
        #expect(first.promotedBy == "bob")
        // The stored key sorts the pre-release first, as SemVer does.
        let byKey = try temporary.store.database.read { db in
            try String.fetchAll(db, sql: "SELECT r.version FROM promotion p JOIN release r ON r.sequence = p.release_sequence ORDER BY p.version_key")
        }
        #expect(byKey == ["2.0.0-rc.2", "2.0.0"])
    }

    @Test func aVersionIsOnAChannelAtMostOnce() throws {
        let catalog = temporary.catalog
        try catalog.createRelease(version: "1.0.0", manifest: Self.manifest, manifestFile: "a.yaml", promoteTo: "Stable")
        #expect(throws: CatalogError.duplicateOnChannel(version: "1.0.0", channel: "Stable", channelSequence: 1, demoted: false)) {
            try catalog.promote(channel: "Stable", release: "1.0.0", required: true)
        }
        try catalog.demote(channel: "Stable", .version("1.0.0"))
        #expect(throws: CatalogError.duplicateOnChannel(version: "1.0.0", channel: "Stable", channelSequence: 1, demoted: true)) {
            try catalog.promote(channel: "Stable", release: "1.0.0", required: true)
        }
        #expect(try catalog.promotions(onChannel: "Stable").count == 1)
        // Another channel is another stream.
        #expect(try catalog.promote(channel: "Beta", release: "1.0.0", required: false).channelSequence == 1)
    }

    @Test func demoteAndUndemoteKeepChannelSequenceAndRequiredFlag() throws {
        let catalog = temporary.catalog
        for version in ["1.0.0", "1.1.0", "1.2.0"] {
            try catalog.createRelease(version: version, manifest: Self.manifest, manifestFile: "a.yaml")
        }
        try catalog.promote(channel: "Stable", release: "1.0.0", required: false)
        try catalog.promote(channel: "Stable", release: "1.1.0", required: true, notes: "schema change")
        try catalog.promote(channel: "Stable", release: "1.2.0", required: false)

        let demoted = try catalog.demote(channel: "Stable", .version("1.1.0"))
        #expect(demoted.demoted && demoted.required && demoted.channelSequence == 2)
        #expect(demoted.demotedAt != nil)
        #expect(throws: CatalogError.self) { try catalog.demote(channel: "Stable", .channelSequence(2)) }

        let restored = try catalog.undemote(channel: "Stable", .channelSequence(2))
        #expect(!restored.demoted && restored.required && restored.channelSequence == 2)
        #expect(restored.notes == "schema change")
        #expect(restored.demotedAt == nil)

        let rows = try catalog.promotions(onChannel: "Stable")
        #expect(rows.map(\.version) == ["1.0.0", "1.1.0", "1.2.0"])
        #expect(rows.map(\.channelSequence) == [1, 2, 3])
        #expect(rows.map(\.required) == [false, true, false])
    }

    @Test func channelSequenceIsNeverReused() throws {
        let catalog = temporary.catalog
        for version in ["1.0.0", "1.1.0", "1.2.0", "1.3.0"] {
            try catalog.createRelease(version: version, manifest: Self.manifest, manifestFile: "a.yaml")
        }
        try catalog.promote(channel: "Stable", release: "1.0.0", required: false)
        try catalog.promote(channel: "Stable", release: "1.1.0", required: false)
        try catalog.demote(channel: "Stable", .channelSequence(2))
        // A refused promotion does not consume a number either.
        _ = try? catalog.promote(channel: "Stable", release: "1.0.0", required: false)
        #expect(try catalog.promote(channel: "Stable", release: "1.2.0", required: false).channelSequence == 3)
        #expect(throws: DatabaseError.self) {
            try temporary.store.database.write { db in try db.execute(sql: "DELETE FROM promotion WHERE channel_sequence = 3") }
        }
        #expect(try catalog.promote(channel: "Stable", release: "1.3.0", required: false).channelSequence == 4)
        #expect(try catalog.promotions(onChannel: "Stable").map(\.channelSequence) == [1, 2, 3, 4])
    }

    @Test func requiredFlagCanBeCleared() throws {
        let catalog = temporary.catalog
        try catalog.createRelease(version: "1.0.0", manifest: Self.manifest, manifestFile: "a.yaml", promoteTo: "Stable", required: true)
        let cleared = try catalog.setRequired(false, channel: "Stable", .version("1.0.0"))
        #expect(!cleared.required && cleared.channelSequence == 1)
    }

    @Test func unknownChannelNamesTheKnownOnes() throws {
        try temporary.catalog.createRelease(version: "1.0.0", manifest: Self.manifest, manifestFile: "a.yaml")
        #expect(throws: CatalogError.channelNotFound("Stabel", known: ["Stable", "Beta", "Unstable"])) {
            try temporary.catalog.promote(channel: "Stabel", release: "1.0.0", required: false)
        }
    }
}
