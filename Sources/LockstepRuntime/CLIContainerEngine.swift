import Foundation
import LockstepRedaction
import Logging

/// Drives podman or docker through their CLI, one argument vector per call
/// (DESIGN.md §5). Subcommands used: create, start, wait, inspect, logs, stop,
/// kill, rm, rename; plus `exec` for the exec trigger, `ps -a --filter label=` for
/// listing and `image inspect` for image presence.
public struct CLIContainerEngine: ContainerEngine {
    public let kind: EngineKind
    public let executable: URL
    /// Sees every argument vector before it runs (audit and tests).
    public var commandObserver: (@Sendable ([String]) -> Void)?
    var logger: Logger

    public init(kind: EngineKind, executable: URL, logger: Logger = Logger(label: "lockstep.runtime")) {
        self.kind = kind
        self.executable = executable
        self.logger = logger
    }

    /// `--runtime` value, else `LOCKSTEP_RUNTIME`, else podman then docker on PATH.
    public static func locate(
        requested: String? = nil,
        locator: EngineLocator = EngineLocator(),
        logger: Logger = Logger(label: "lockstep.runtime")
    ) throws(RuntimeError) -> CLIContainerEngine {
        let (kind, url) = try locator.locate(requested: requested)
        return CLIContainerEngine(kind: kind, executable: url, logger: logger)
    }

    // MARK: Lifecycle

    /// A missing image is reported from create's own answer (`--pull never`), which saves
    /// an engine call per container.
    public func create(_ spec: ContainerSpec) async throws -> String {
        let envFile = spec.environment.isEmpty ? nil : try EnvFile.write(spec.environment)
        defer { envFile?.remove() }
        let secrets = spec.environment.map(\.value)
        let output = try await invoke(CreateArguments.build(spec, envFile: envFile?.url.path), secrets: secrets)
        if output.status != 0 {
            let stderr = output.stderr.lowercased()
            if stderr.contains("already in use") || stderr.contains("conflict") {
                throw RuntimeError.containerExists(name: spec.name)
            }
            if stderr.contains("image not known") || stderr.contains("no such image") {
                throw RuntimeError.imageMissing(image: spec.image)
            }
            throw failure("create", output, secrets: secrets)
        }
        guard let id = output.stdout.split(whereSeparator: \.isNewline).last.map(String.init), !id.isEmpty else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "create", detail: "no container ID printed")
        }
        logger.debug("created container", metadata: ["name": "\(spec.name)", "id": "\(id)"])
        return id
    }

    public func start(_ name: String) async throws {
        try await checked("start", ["start", name], container: name)
    }

    /// podman's `wait` polls, 250 ms apart by default: every migration would end up to a
    /// quarter second late. 20 ms costs the waiting podman about 1% of a core.
    static let podmanWaitInterval = "20ms"

    public func wait(_ name: String) async throws -> Int32 {
        let interval = kind == .podman ? ["--interval", Self.podmanWaitInterval] : []
        let output = try await checked("wait", ["wait"] + interval + [name], container: name)
        guard let line = output.stdout.split(whereSeparator: \.isNewline).last,
            let status = Int32(line.trimmingCharacters(in: .whitespaces))
        else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "wait", detail: "expected an exit status, got '\(output.stdout)'")
        }
        return status
    }

    public func stop(_ name: String, timeout: Int?) async throws {
        var args = ["stop"]
        if let timeout { args += ["--time", String(timeout)] }
        try await checked("stop", args + [name], container: name)
    }

    public func kill(_ name: String, signal: String?) async throws {
        var args = ["kill"]
        if let signal { args += ["--signal", signal] }
        try await checked("kill", args + [name], container: name)
    }

    public func remove(_ name: String, force: Bool) async throws {
        try await checked("rm", ["rm"] + (force ? ["--force"] : []) + [name], container: name)
    }

    public func rename(_ name: String, to newName: String) async throws {
        try await checked("rename", ["rename", name, newName], container: name)
    }

    public func exec(_ name: String, _ arguments: [String]) async throws -> Int32 {
        let output = try await invoke(["exec", name] + arguments)
        if output.status != 0, Self.saysNoSuchContainer(output.stderr) {
            throw RuntimeError.containerNotFound(name: name)
        }
        // podman 4 answers 255 when the container is not running; report it as
        // the engine error it is, like docker and newer podman do (125).
        if output.status == 255, output.stderr.contains("container state improper") {
            return 125
        }
        return output.status
    }

    // MARK: Queries

    public func inspect(_ name: String) async throws -> ContainerState? {
        let output = try await invoke(["inspect", "--type", "container", name])
        if output.status != 0 {
            if Self.saysNoSuchContainer(output.stderr) { return nil }
            throw failure("inspect", output)
        }
        return try decodeInspect(output.stdout).first
    }

    public func logs(_ name: String, tail: Int?) async throws -> String {
        var args = ["logs"]
        if let tail { args += ["--tail", String(tail)] }
        // One pipe for both streams keeps the container's interleaving.
        let output = try await invoke(args + [name], mergeOutput: true)
        if output.status != 0 {
            if Self.saysNoSuchContainer(output.stdout) { throw RuntimeError.containerNotFound(name: name) }
            throw failure("logs", CommandOutput(status: output.status, stdout: "", stderr: output.stdout))
        }
        return output.stdout
    }

    public func list(labels: [String: String]) async throws -> [ContainerSummary] {
        var args = ["ps", "--all", "--no-trunc"]
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
            args += ["--filter", "label=\(key)=\(value)"]
        }
        if kind == .podman {
            let output = try await invoke(args + ["--format", "json"])
            guard output.status == 0 else { throw failure("ps", output) }
            do {
                return try PodmanListDecoding.decode(output.stdout)
            } catch {
                throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "ps", detail: "\(error)")
            }
        }
        let output = try await invoke(args + ["--format", "{{.ID}}"])
        guard output.status == 0 else { throw failure("ps", output) }
        let ids = output.stdout.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard !ids.isEmpty else { return [] }
        let inspected = try await invoke(["inspect", "--type", "container"] + ids)
        if inspected.status == 0 {
            return try decodeInspect(inspected.stdout).map(ContainerSummary.init)
        }
        // A container removed between ps and inspect: ask one by one.
        var summaries: [ContainerSummary] = []
        for id in ids {
            if let state = try await inspect(id) { summaries.append(ContainerSummary(state)) }
        }
        return summaries
    }

    public func imageID(_ reference: String) async throws -> String? {
        let output = try await invoke(["image", "inspect", "--format", "{{.Id}}", reference])
        if output.status != 0 {
            if Self.saysNoSuchImage(output.stderr) { return nil }
            throw failure("image inspect", output)
        }
        return Self.imageID(fromLine: output.stdout)
    }

    /// One `image inspect` for all of them; only when one is missing (the engine then
    /// fails the whole call) are they asked one by one, to tell which.
    public func imageIDs(_ references: [String]) async throws -> [String: String] {
        let unique = Array(Set(references)).sorted()
        guard !unique.isEmpty else { return [:] }
        let output = try await invoke(["image", "inspect", "--format", "{{.Id}}"] + unique)
        let lines = output.stdout.split(whereSeparator: \.isNewline)
        if output.status == 0, lines.count == unique.count {
            return Dictionary(uniqueKeysWithValues: zip(unique, lines.compactMap { Self.imageID(fromLine: String($0)) }))
        }
        if output.status != 0, !Self.saysNoSuchImage(output.stderr) { throw failure("image inspect", output) }
        var found: [String: String] = [:]
        for reference in unique {
            if let id = try await imageID(reference) { found[reference] = id }
        }
        return found
    }

    private static func imageID(fromLine line: String) -> String? {
        let id = ImageDigest.bare(line.trimmingCharacters(in: .whitespacesAndNewlines))
        return id.isEmpty ? nil : id
    }

    static func saysNoSuchImage(_ stderr: String) -> Bool {
        let text = stderr.lowercased()
        return text.contains("image not known") || text.contains("no such image") || text.contains("not found")
    }

    public func followLogs(_ name: String) -> AsyncStream<String> {
        LogFollower.follow(executable: executable, arguments: ["logs", "--follow", name], observer: commandObserver)
    }

    // MARK: Plumbing

    func invoke(_ arguments: [String], secrets: [String] = [], mergeOutput: Bool = false) async throws(RuntimeError) -> CommandOutput {
        commandObserver?(arguments)
        logger.trace("engine command", metadata: ["argv": "\(Redactor(secrets: secrets).redact(arguments.joined(separator: " ")))"])
        return try await CommandRunner.run(executable, arguments, mergeOutput: mergeOutput)
    }

    @discardableResult
    func checked(_ subcommand: String, _ arguments: [String], container: String) async throws(RuntimeError) -> CommandOutput {
        let output = try await invoke(arguments)
        guard output.status == 0 else {
            if Self.saysNoSuchContainer(output.stderr) { throw .containerNotFound(name: container) }
            throw failure(subcommand, output)
        }
        return output
    }

    func failure(_ subcommand: String, _ output: CommandOutput, secrets: [String] = []) -> RuntimeError {
        let stderr = Redactor(secrets: secrets).redact(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        return .commandFailed(engine: kind, subcommand: subcommand, status: output.status, stderr: stderr)
    }

    func decodeInspect(_ json: String) throws(RuntimeError) -> [ContainerState] {
        do {
            return try InspectDecoding.decode(json)
        } catch {
            throw .unexpectedOutput(engine: kind, subcommand: "inspect", detail: "\(error)")
        }
    }

    static func saysNoSuchContainer(_ stderr: String) -> Bool {
        let text = stderr.lowercased()
        return text.contains("no such container") || text.contains("no such object")
            || text.contains("no container with name or id")
    }
}
