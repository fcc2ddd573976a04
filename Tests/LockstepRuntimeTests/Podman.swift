import Foundation
import LockstepRuntime
import LockstepTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The two drivers of the contract suite.
enum Driver: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case cli, api
    var testDescription: String { rawValue }
}

/// Shared pieces of the tests that drive the real podman.
enum Podman {
    /// Every container a test run creates carries this label, so cleanup
    /// removes exactly ours and nothing another process owns.
    static let runLabel = "io.lockstep.test-run"
    static let runID = UUID().uuidString.lowercased()

    /// The real podman (fails, never skips, when it is missing), with the test images built.
    static func engine(_ images: TestImages.Image...) async throws -> CLIContainerEngine {
        let engine = try CLIContainerEngine.locate(requested: "podman")
        try await TestImages.ensure(images.isEmpty ? [.busybox] : images)
        return engine
    }

    /// A unique, labelled spec for one test.
    static func spec(_ test: String, image: String = TestImages.busybox, command: [String]? = nil) -> ContainerSpec {
        ContainerSpec(
            name: ContainerNaming.name(install: "t\(runID.prefix(8))", component: test, container: "c"),
            image: image,
            command: command,
            labels: [runLabel: runID]
        )
    }

    static func cleanUp(_ engine: CLIContainerEngine) async throws {
        try await engine.removeAll(labels: [runLabel: runID])
    }

    /// Runs `body` with the engine, then removes this run's containers even when `body` throws.
    static func withEngine(_ images: TestImages.Image..., body: (CLIContainerEngine) async throws -> Void) async throws {
        let engine = try CLIContainerEngine.locate(requested: "podman")
        try await TestImages.ensure(images.isEmpty ? [.busybox] : images)
        do {
            try await body(engine)
        } catch {
            try? await cleanUp(engine)
            throw error
        }
        try await cleanUp(engine)
    }

    /// Runs `body` with the driver's engine against the real podman: the CLI, or the
    /// API of a `podman system service` started for this test and stopped after it.
    /// This run's containers are removed even when `body` throws.
    static func withEngine(_ driver: Driver, _ images: TestImages.Image..., body: (any ContainerEngine) async throws -> Void) async throws {
        try await TestImages.ensure(images.isEmpty ? [.busybox] : images)
        let service = driver == .api ? try PodmanService() : nil
        defer { service?.stop() }
        let engine: any ContainerEngine =
            if let service {
                try await APIContainerEngine.connect(try #require(EngineEndpoint(service.url)))
            } else {
                try CLIContainerEngine.locate(requested: "podman")
            }
        do {
            try await body(engine)
        } catch {
            try? await engine.removeAll(labels: [runLabel: runID])
            throw error
        }
        try await engine.removeAll(labels: [runLabel: runID])
    }

    /// Polls `check` until it returns a value or `seconds` pass.
    static func eventually<T>(within seconds: Double, _ check: () async throws -> T?) async throws -> T? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let value = try? await check() { return value }
            try await Task.sleep(for: .milliseconds(200))
        }
        return try await check()
    }

    /// Runs a host command (argument vector), returning status and combined output.
    static func host(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        stdin: String? = nil
    ) throws -> (status: Int32, output: String) {
        let output = try HostProcess.run(
            executable,
            arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            input: stdin
        )
        return (output.status, output.combined)
    }
}
