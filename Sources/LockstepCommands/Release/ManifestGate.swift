import LockstepManifest

/// The check a manifest passes before it becomes a release: the full lint;
/// warnings are printed, errors refuse the release.
enum ManifestGate {
    static func check(text: String, file: String) throws {
        let manifest = try Manifest.load(text: text, file: file)
        for warning in manifest.warnings {
            Terminal.note(String(describing: warning))
        }
    }
}
