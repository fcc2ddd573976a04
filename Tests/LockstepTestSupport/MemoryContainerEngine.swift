import Foundation
import LockstepRuntime
import Synchronization

/// A `ContainerEngine` kept in memory, for fast unit tests of the runner's branching
/// (kept, replaced, parked, adopted, restored, failed) beside the real-podman tests.
///
/// Containers behave as `behaviour` says when started: a long-running one runs until
/// stopped; an ephemeral one exits at once with its code and output. Every call that
/// changes something is appended to `calls` (`"create NAME"`, `"start NAME"`, ...),
/// so a test can check what was touched and in which order.
public final class MemoryContainerEngine: ContainerEngine, Sendable {
    public enum Behaviour: Sendable {
        /// Runs until stopped or killed.
        case runs
        /// Exits right after starting, with this code and output.
        case exits(Int32, output: String = "")
    }

    public struct Container: Sendable {
        public var id: String
        public var name: String
        public var spec: ContainerSpec
        public var status: ContainerStatus
        public var exitCode: Int32 = 0
        public var startedAt: Date?
        public var finishedAt: Date?
        public var output: String = ""
    }

    private struct State {
        var images: [String: String]
        var containers: [String: Container] = [:]
        var calls: [String] = []
        var nextID = 1
        var failing: [String: RuntimeError] = [:]
    }

    public let kind: EngineKind = .podman
    private let state: Mutex<State>
    private let behaviour: @Sendable (ContainerSpec) -> Behaviour

    /// - Parameters:
    ///   - images: references present locally (others are missing: `create` refuses them).
    ///   - behaviour: what a started container does.
    public init(images: [String], behaviour: @escaping @Sendable (ContainerSpec) -> Behaviour = { _ in .runs }) {
        state = Mutex(
            State(images: Dictionary(images.map { ($0, "img-" + String($0.hashValue.magnitude)) }, uniquingKeysWith: { first, _ in first }))
        )
        self.behaviour = behaviour
    }

    /// Calls that changed something, in order.
    public var calls: [String] { state.withLock { $0.calls } }

    public func container(_ name: String) -> Container? {
        state.withLock { state in state.containers[name] ?? state.containers.values.first { $0.id == name } }
    }

    /// Makes the next `operation` ("start", "stop", "wait", ...) on `name` fail with `error`.
    public func fail(_ operation: String, _ name: String, with error: RuntimeError) {
        state.withLock { $0.failing["\(operation) \(name)"] = error }
    }

    /// Puts a container in place as an earlier run would have left it.
    @discardableResult
    public func seed(_ spec: ContainerSpec, status: ContainerStatus, exitCode: Int32 = 0) -> String {
        state.withLock { state in
            let id = "c\(state.nextID)"
            state.nextID += 1
            state.containers[spec.name] = Container(
                id: id,
                name: spec.name,
                spec: spec,
                status: status,
                exitCode: exitCode,
                startedAt: status == .created ? nil : Date(),
                finishedAt: status == .exited ? Date() : nil
            )
            return id
        }
    }

    public func create(_ spec: ContainerSpec) async throws -> String {
        try state.withLock { state in
            guard state.images[spec.image] != nil else { throw RuntimeError.imageMissing(image: spec.image) }
            guard state.containers[spec.name] == nil else { throw RuntimeError.containerExists(name: spec.name) }
            let id = "c\(state.nextID)"
            state.nextID += 1
            state.containers[spec.name] = Container(id: id, name: spec.name, spec: spec, status: .created)
            state.calls.append("create \(spec.name)")
            return id
        }
    }

    public func start(_ name: String) async throws {
        try mutate("start", name) { container in
            container.startedAt = Date()
            switch behaviour(container.spec) {
            case .runs:
                container.status = .running
            case .exits(let code, let output):
                container.status = .exited
                container.exitCode = code
                container.output += output
                container.finishedAt = Date()
            }
        }
    }

    public func wait(_ name: String) async throws -> Int32 {
        while true {
            let current = try lookup("wait", name)
            if current.status == .exited || current.status == .dead {
                state.withLock { $0.calls.append("waited \(current.name)") }
                return current.exitCode
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    public func inspect(_ name: String) async throws -> ContainerState? {
        guard let container = container(name) else { return nil }
        return ContainerState(
            id: container.id,
            name: container.name,
            status: container.status,
            exitCode: container.exitCode,
            startedAt: container.startedAt,
            finishedAt: container.finishedAt,
            imageID: imageID(of: container.spec.image),
            image: container.spec.image,
            labels: container.spec.labels,
            oomKilled: false
        )
    }

    public func logs(_ name: String, tail: Int?) async throws -> String {
        let output = try lookup("logs", name).output
        guard let tail else { return output }
        return output.split(separator: "\n", omittingEmptySubsequences: false).suffix(tail + 1).joined(separator: "\n")
    }

    public func followLogs(_ name: String) -> AsyncStream<String> {
        let lines = (container(name)?.output ?? "").split(separator: "\n").map(String.init)
        return AsyncStream { continuation in
            for line in lines { continuation.yield(line) }
            continuation.finish()
        }
    }

    public func stop(_ name: String, timeout: Int?) async throws {
        try mutate("stop", name) { container in
            guard container.status == .running else { return }
            container.status = .exited
            container.exitCode = 0
            container.finishedAt = Date()
        }
    }

    public func kill(_ name: String, signal: String?) async throws {
        try mutate("kill", name) { container in
            container.status = .exited
            container.exitCode = 137
            container.finishedAt = Date()
        }
    }

    public func remove(_ name: String, force: Bool) async throws {
        try state.withLock { state in
            if let error = state.failing.removeValue(forKey: "remove \(name)") { throw error }
            guard let key = Self.key(of: name, in: state) else { throw RuntimeError.containerNotFound(name: name) }
            state.containers[key] = nil
            state.calls.append("remove \(key)")
        }
    }

    public func rename(_ name: String, to newName: String) async throws {
        try state.withLock { state in
            if let error = state.failing.removeValue(forKey: "rename \(name)") { throw error }
            guard let key = Self.key(of: name, in: state), var container = state.containers[key] else {
                throw RuntimeError.containerNotFound(name: name)
            }
            guard state.containers[newName] == nil else { throw RuntimeError.containerExists(name: newName) }
            state.containers[key] = nil
            container.name = newName
            container.spec.name = newName
            state.containers[newName] = container
            state.calls.append("rename \(key) \(newName)")
        }
    }

    public func list(labels: [String: String]) async throws -> [ContainerSummary] {
        state.withLock { state in
            state.containers.values
                .filter { container in labels.allSatisfy { container.spec.labels[$0.key] == $0.value } }
                .sorted { $0.id < $1.id }
                .map { container in
                    ContainerSummary(
                        id: container.id,
                        name: container.name,
                        image: container.spec.image,
                        imageID: state.images[container.spec.image] ?? "",
                        status: container.status,
                        exitCode: container.exitCode,
                        labels: container.spec.labels
                    )
                }
        }
    }

    public func imageID(_ reference: String) async throws -> String? {
        state.withLock { $0.images[reference] }
    }

    public func imageIDs(_ references: [String]) async throws -> [String: String] {
        state.withLock { state in
            Dictionary(
                references.compactMap { reference in state.images[reference].map { (reference, $0) } },
                uniquingKeysWith: { first, _ in first }
            )
        }
    }

    public func exec(_ name: String, _ arguments: [String]) async throws -> Int32 {
        try lookup("exec", name).status == .running ? 0 : 125
    }

    private func imageID(of reference: String) -> String {
        state.withLock { $0.images[reference] ?? "" }
    }

    private func lookup(_ operation: String, _ name: String) throws -> Container {
        try state.withLock { state in
            if let error = state.failing.removeValue(forKey: "\(operation) \(name)") { throw error }
            guard let key = Self.key(of: name, in: state), let container = state.containers[key] else {
                throw RuntimeError.containerNotFound(name: name)
            }
            return container
        }
    }

    private func mutate(_ operation: String, _ name: String, _ change: (inout Container) -> Void) throws {
        try state.withLock { state in
            if let error = state.failing.removeValue(forKey: "\(operation) \(name)") { throw error }
            guard let key = Self.key(of: name, in: state), var container = state.containers[key] else {
                throw RuntimeError.containerNotFound(name: name)
            }
            change(&container)
            state.containers[key] = container
            state.calls.append("\(operation) \(key)")
        }
    }

    /// A container is named by its name or its ID.
    private static func key(of name: String, in state: State) -> String? {
        if state.containers[name] != nil { return name }
        return state.containers.first { $0.value.id == name }?.key
    }
}
