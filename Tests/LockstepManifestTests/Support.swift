import Foundation
import LockstepManifest
import Testing

/// The repository root, found from this file's path (Tests/LockstepManifestTests/...).
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func exampleText(_ name: String) throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent("examples/manifests/\(name)"), encoding: .utf8)
}

func examplePath(_ name: String) -> String {
    repositoryRoot.appendingPathComponent("examples/manifests/\(name)").path
}

/// A manifest with one component `db` (postgres) whose container body is
/// `containerBody`, each line indented by 8 spaces in the file. Lines of the
/// body start at line 6 of the file.
func manifest(container containerBody: String, extraComponents: String = "") -> String {
    let indented = containerBody.split(separator: "\n", omittingEmptySubsequences: false)
        .map { $0.isEmpty ? "" : "        " + $0 }.joined(separator: "\n")
    return """
        name: t
        components:
          - name: db
            containers:
              - image_name: postgres
        \(indented)
        \(extraComponents)
        """
}
