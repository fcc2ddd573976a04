import LockstepManifest
import LockstepRuntime

/// The images of the containers an apply will create, looked up in one engine call that
/// runs while the first events are armed (the database probe needs no image). Lockstep
/// never pulls, so a missing image stops the apply, and nothing changes before the answer.
struct ImageCheck: Sendable {
    private let lookup: Task<Result<[String: String], ImageCheckFailure>, Never>

    /// `resuming`: an interrupted apply of this release already changed things.
    init(engine: any ContainerEngine, needed: [(container: ContainerID, image: String)], resuming: Bool) {
        lookup = Task {
            let found: [String: String]
            do {
                found = try await engine.imageIDs(needed.map(\.image))
            } catch {
                return .failure(ImageCheckFailure(reason: "cannot look up the release's images: \(error)"))
            }
            if let missing = needed.first(where: { found[$0.image] == nil }) {
                let consequence = resuming ? "the interrupted release goes no further" : "nothing was changed"
                return .failure(ImageCheckFailure(reason: "\(missing.container): \(RuntimeError.imageMissing(image: missing.image)); \(consequence)"))
            }
            return .success(found)
        }
    }

    /// Image IDs by reference, or why the apply must stop.
    func result() async -> Result<[String: String], ImageCheckFailure> {
        await lookup.value
    }
}

struct ImageCheckFailure: Error, Sendable {
    let reason: String
}
