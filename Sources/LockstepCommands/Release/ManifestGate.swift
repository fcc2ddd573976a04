import LockstepCatalog

/// The check a manifest passes before it becomes a release.
enum ManifestGate {
    static func check(text: String, file: String) throws {
        try Catalog.checkParses(manifest: text, file: file)
    }
}
