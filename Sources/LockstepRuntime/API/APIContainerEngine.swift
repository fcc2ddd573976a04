import AsyncHTTPClient
import Foundation
import LockstepRedaction
import Logging
import NIOCore
import NIOHTTP1

/// Drives podman or docker through the Docker Engine API over a Unix socket or TCP
/// (DESIGN.md §14): the same operations as `CLIContainerEngine`, with no process per
/// call. Errors are the API's status codes and messages; podman's compat API answers
/// some conflicts with 500 and a `cause`, which is matched whole, never searched.
public struct APIContainerEngine: ContainerEngine {
    public let kind: EngineKind
    public let endpoint: EngineEndpoint
    let http: EngineHTTP

    init(kind: EngineKind, endpoint: EngineEndpoint, logger: Logger) {
        self.kind = kind
        self.endpoint = endpoint
        self.http = EngineHTTP(endpoint: endpoint, logger: logger)
    }

    /// Asks the engine who it is (`GET /_ping`); throws `engineUnreachable` when
    /// nothing answers, so callers can fall back to the CLI. Not `/version`: podman
    /// runs conmon and the OCI runtime to answer that one (0.1-2.5 s, measured on
    /// 4.3.1), where `_ping` answers in a millisecond and names podman in its headers.
    public static func connect(
        _ endpoint: EngineEndpoint,
        timeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "lockstep.runtime")
    ) async throws(RuntimeError) -> APIContainerEngine {
        let http = EngineHTTP(endpoint: endpoint, logger: logger)
        let answer = try await http.send(
            .GET,
            "/_ping",
            timeout: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        )
        guard answer.ok, answer.text.trimmingCharacters(in: .whitespacesAndNewlines) == "OK" else {
            throw .engineUnreachable(endpoint: endpoint.description, reason: "GET /_ping answered HTTP \(answer.status)")
        }
        return APIContainerEngine(kind: Self.kind(of: answer.headers), endpoint: endpoint, logger: logger)
    }

    /// podman's answers carry `Libpod-Api-Version` (and `Server: Libpod/…`); docker's do not.
    static func kind(of headers: some Sequence<(name: String, value: String)>) -> EngineKind {
        let podman = headers.contains { header in
            let name = header.name.lowercased()
            return name == "libpod-api-version" || (name == "server" && header.value.lowercased().hasPrefix("libpod/"))
        }
        return podman ? .podman : .docker
    }

    // MARK: Lifecycle

    /// The API's create never pulls: a missing image is its 404.
    public func create(_ spec: ContainerSpec) async throws -> String {
        let secrets = spec.environment.map(\.value)
        let body = try CreateBody(spec).json()
        let answer = try await http.send(.POST, "/containers/create", query: [("name", spec.name)], json: body)
        guard answer.ok else {
            let error = EngineErrorBody(answer)
            if answer.status == 404 { throw RuntimeError.imageMissing(image: spec.image) }
            if answer.status == 409 || error.cause == PodmanCause.nameInUse || error.cause == PodmanCause.containerExists {
                throw RuntimeError.containerExists(name: spec.name)
            }
            throw refused("create", answer, secrets: secrets)
        }
        struct Created: Decodable { var Id: String }
        guard let id = try? answer.decode(Created.self).Id, !id.isEmpty else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "create", detail: "no container ID in the answer")
        }
        http.logger.debug("created container", metadata: ["name": "\(spec.name)", "id": "\(id)"])
        return id
    }

    /// 304 (already running) is success, as `podman start` of a running container is.
    public func start(_ name: String) async throws {
        try await checked("start", .POST, "/containers/\(EngineHTTP.component(name))/start", container: name)
    }

    /// podman's compat wait answers 0.4-1 s after the exit (measured on 4.3.1); its own
    /// wait endpoint with a 10 ms interval answers as soon as podman itself knows.
    public func wait(_ name: String) async throws -> Int32 {
        let path = "/containers/\(EngineHTTP.component(name))/wait"
        if kind == .podman {
            let answer = try await http.send(
                .POST,
                "/v4.0.0/libpod" + path,
                query: [("condition", "stopped"), ("condition", "exited"), ("interval", "10ms")],
                timeout: nil
            )
            try expect(answer, "wait", container: name)
            guard let status = Int32(answer.text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "wait", detail: "expected an exit status, got '\(answer.text)'")
            }
            return status
        }
        let answer = try await http.send(.POST, path, query: [("condition", "not-running")], timeout: nil)
        try expect(answer, "wait", container: name)
        struct Waited: Decodable { var StatusCode: Int32 }
        guard let waited = try? answer.decode(Waited.self) else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "wait", detail: "expected a StatusCode, got '\(answer.text)'")
        }
        return waited.StatusCode
    }

    /// 304 (already stopped) is success.
    public func stop(_ name: String, timeout: Int?) async throws {
        let query = timeout.map { [("t", String($0))] } ?? []
        // The engine answers after the stop timeout at the latest; allow it that long.
        let limit = TimeAmount.seconds(Int64(timeout ?? 10) + 60)
        try await checked("stop", .POST, "/containers/\(EngineHTTP.component(name))/stop", query: query, container: name, timeout: limit)
    }

    public func kill(_ name: String, signal: String?) async throws {
        let query = signal.map { [("signal", $0)] } ?? []
        try await checked("kill", .POST, "/containers/\(EngineHTTP.component(name))/kill", query: query, container: name)
    }

    public func remove(_ name: String, force: Bool) async throws {
        let query = force ? [("force", "true")] : []
        try await checked("rm", .DELETE, "/containers/\(EngineHTTP.component(name))", query: query, container: name)
    }

    public func rename(_ name: String, to newName: String) async throws {
        let answer = try await http.send(.POST, "/containers/\(EngineHTTP.component(name))/rename", query: [("name", newName)])
        if answer.status == 409 { throw RuntimeError.containerExists(name: newName) }
        try expect(answer, "rename", container: name)
    }

    // MARK: Plumbing

    func checked(
        _ operation: String,
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        container: String,
        timeout: TimeAmount = EngineHTTP.defaultTimeout
    ) async throws(RuntimeError) {
        let answer = try await http.send(method, path, query: query, timeout: timeout)
        if answer.status == 304 { return }
        try expect(answer, operation, container: container)
    }

    func expect(_ answer: EngineHTTP.Answer, _ operation: String, container: String) throws(RuntimeError) {
        guard !answer.ok else { return }
        if answer.status == 404 { throw .containerNotFound(name: container) }
        throw refused(operation, answer)
    }

    func refused(_ operation: String, _ answer: EngineHTTP.Answer, secrets: [String] = []) -> RuntimeError {
        let message = Redactor(secrets: secrets).redact(EngineErrorBody(answer).message ?? "")
        return .engineRefused(engine: kind, operation: operation, status: answer.status, message: message)
    }
}

/// podman's `cause` values (its Go sentinel errors) where its compat API answers
/// 500 for what docker answers 409.
enum PodmanCause {
    static let nameInUse = "that name is already in use"
    static let containerExists = "container already exists"
    static let stateImproper = "container state improper"
}
