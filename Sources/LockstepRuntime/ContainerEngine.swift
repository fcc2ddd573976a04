/// A container engine as the runner sees it (DESIGN.md §5). Only lifecycle
/// operations that keep a container's exit code and logs after it stops:
/// there is deliberately no `run --rm`.
///
/// Names may be container names or IDs. Operations on a container that does
/// not exist throw `RuntimeError.containerNotFound`, except `inspect`, which
/// answers `nil` so callers can ask "is it there?" without catching.
public protocol ContainerEngine: Sendable {
    var kind: EngineKind { get }

    /// Creates (does not start) a container; returns its ID. Throws
    /// `imageMissing` when the image is not present locally (never pulls) and
    /// `containerExists` when the name is taken.
    func create(_ spec: ContainerSpec) async throws -> String
    func start(_ name: String) async throws
    /// Blocks until the container exits; returns its exit status.
    func wait(_ name: String) async throws -> Int32
    func inspect(_ name: String) async throws -> ContainerState?
    /// stdout and stderr of the container, interleaved as the engine returns them.
    func logs(_ name: String, tail: Int?) async throws -> String
    /// Lines of the container's output as they are written, ending when the
    /// container stops (or the task consuming the stream is cancelled).
    func followLogs(_ name: String) -> AsyncStream<String>
    func stop(_ name: String, timeout: Int?) async throws
    func kill(_ name: String, signal: String?) async throws
    func remove(_ name: String, force: Bool) async throws
    func rename(_ name: String, to newName: String) async throws
    /// Containers (running or not) carrying every given label.
    func list(labels: [String: String]) async throws -> [ContainerSummary]
    /// The local image's ID, or nil when the image is not present.
    func imageID(_ reference: String) async throws -> String?
    /// The IDs of the images that are present, by reference; a missing one has no entry.
    func imageIDs(_ references: [String]) async throws -> [String: String]
    /// Runs `arguments` inside a running container; returns the command's exit
    /// status (125-127 are the engine's own, e.g. the container is not running).
    func exec(_ name: String, _ arguments: [String]) async throws -> Int32
}

extension ContainerEngine {
    public func logs(_ name: String) async throws -> String {
        try await logs(name, tail: nil)
    }

    public func stop(_ name: String) async throws {
        try await stop(name, timeout: nil)
    }

    public func kill(_ name: String) async throws {
        try await kill(name, signal: nil)
    }

    public func remove(_ name: String) async throws {
        try await remove(name, force: false)
    }

    /// Removes the container if it exists; `true` when something was removed.
    @discardableResult
    public func removeIfPresent(_ name: String, force: Bool = true) async throws -> Bool {
        do {
            try await remove(name, force: force)
            return true
        } catch RuntimeError.containerNotFound {
            return false
        }
    }

    /// Removes every container carrying the labels (tests and `--on-failure` cleanup).
    public func removeAll(labels: [String: String]) async throws {
        for summary in try await list(labels: labels) {
            try await removeIfPresent(summary.id, force: true)
        }
    }
}
