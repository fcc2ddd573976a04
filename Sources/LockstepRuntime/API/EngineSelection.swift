import Foundation
import Logging

/// Which driver runs the containers (DESIGN.md §14): `--engine URL`, else
/// `LOCKSTEP_ENGINE`, else `CONTAINER_HOST` / `DOCKER_HOST`, else the usual socket
/// paths if one answers, else the CLI driver (`--runtime` / `LOCKSTEP_RUNTIME`).
/// `cli` as the engine value asks for the CLI driver outright.
public struct EngineSelection: Sendable {
    public var environment: [String: String]
    /// Sockets tried when nothing names an engine; only one that answers is used.
    public var defaultSockets: [String]
    public var locator: EngineLocator

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, defaultSockets: [String]? = nil) {
        self.environment = environment
        self.locator = EngineLocator(environment: environment)
        var sockets = ["/run/podman/podman.sock", "/var/run/docker.sock"]
        if let runtimeDir = environment["XDG_RUNTIME_DIR"], !runtimeDir.isEmpty {
            sockets.append(runtimeDir + "/podman/podman.sock")
        }
        self.defaultSockets = defaultSockets ?? sockets
    }

    /// `engine` is the `--engine` value, `runtime` the `--runtime` value, if given.
    /// An address the user named and nothing answers at is an error, not a fallback.
    public func select(
        engine: String? = nil,
        runtime: String? = nil,
        logger: Logger = Logger(label: "lockstep.runtime")
    ) async throws(RuntimeError) -> any ContainerEngine {
        let named: [(source: String, value: String?)] = [
            ("--engine", engine), ("LOCKSTEP_ENGINE", environment["LOCKSTEP_ENGINE"]),
            ("CONTAINER_HOST", environment["CONTAINER_HOST"]), ("DOCKER_HOST", environment["DOCKER_HOST"]),
        ]
        for (source, value) in named {
            guard let value, !value.isEmpty else { continue }
            if value == "cli", source == "--engine" || source == "LOCKSTEP_ENGINE" { return try cli(runtime, logger) }
            guard let endpoint = EngineEndpoint(value) else {
                // podman's own remote forms (ssh://) are for the podman CLI, which reads them itself.
                if source == "CONTAINER_HOST" || source == "DOCKER_HOST" { continue }
                throw .invalidEngineURL(source: source, value: value)
            }
            return try await APIContainerEngine.connect(endpoint, logger: logger)
        }
        let wanted = try requestedKind(runtime)
        for path in defaultSockets where FileManager.default.fileExists(atPath: path) {
            guard let found = try? await APIContainerEngine.connect(.init(.unixSocket(path: path)), timeout: .seconds(1), logger: logger)
            else { continue }
            if wanted == nil || wanted == found.kind { return found }
        }
        return try cli(runtime, logger)
    }

    func requestedKind(_ runtime: String?) throws(RuntimeError) -> EngineKind? {
        guard let choice = runtime.flatMap({ $0.isEmpty ? nil : $0 }) ?? environment["LOCKSTEP_RUNTIME"].flatMap({ $0.isEmpty ? nil : $0 })
        else { return nil }
        guard let kind = EngineKind(rawValue: choice.lowercased()) else { throw .unknownEngine(choice) }
        return kind
    }

    func cli(_ runtime: String?, _ logger: Logger) throws(RuntimeError) -> CLIContainerEngine {
        try CLIContainerEngine.locate(requested: runtime, locator: locator, logger: logger)
    }
}
