import Foundation
import LockstepTestSupport
import Testing

@testable import LockstepRuntime

extension PodmanTests {
    @Suite(.serialized) struct Labels {
        @Test(arguments: Driver.allCases) func labelledContainersAreFoundByLabelUnderTheirDeterministicName(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let install = "lab \(Podman.runID.prefix(6))"
                func spec(_ component: String, release: String) -> ContainerSpec {
                    ContainerSpec(
                        name: ContainerNaming.name(install: install, component: component, container: "inventory"),
                        image: TestImages.busybox,
                        command: ["true"],
                        labels: [Podman.runLabel: Podman.runID]
                    ).labelled(install: install, release: release, component: component, container: "inventory", runID: "run-1")
                }
                let web = spec("web", release: "2.3.0")
                let migrate = spec("migrate", release: "2.3.0")
                #expect(web.name == "lockstep-lab-\(Podman.runID.prefix(6))-web-inventory")
                _ = try await engine.create(web)
                _ = try await engine.create(migrate)

                let all = try await engine.list(labels: [LockstepLabel.install: install])
                #expect(Set(all.map(\.name)) == [web.name, migrate.name])
                let webOnly = try await engine.list(labels: [LockstepLabel.install: install, LockstepLabel.component: "web"])
                let found = try #require(webOnly.first)
                #expect(webOnly.count == 1)
                #expect(found.name == web.name)
                #expect(found.status == .created)
                #expect(found.specHash == web.specHash)
                #expect(found.labels[LockstepLabel.release] == "2.3.0")
                #expect(found.labels[LockstepLabel.container] == "inventory")
                #expect(found.labels[LockstepLabel.runID] == "run-1")
                #expect(try await engine.list(labels: [LockstepLabel.install: install, LockstepLabel.component: "db"]).isEmpty)
            }
        }

        @Test(arguments: Driver.allCases) func listingTellsImageIDAndExitCodeOfEachContainer(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let install = "lst \(Podman.runID.prefix(6))"
                let spec = ContainerSpec(
                    name: ContainerNaming.name(install: install, component: "job", container: "c"),
                    image: TestImages.busybox,
                    command: ["sh", "-c", "exit 4"],
                    labels: [Podman.runLabel: Podman.runID, "vendor.note": "a,b=c"]
                ).labelled(install: install, release: "1.0.0", component: "job", container: "c", runID: "r")
                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                #expect(try await engine.wait(spec.name) == 4)

                let listed = try #require(try await engine.list(labels: [LockstepLabel.install: install]).first)
                let inspected = try #require(try await engine.inspect(spec.name))
                #expect(listed.id == inspected.id)
                #expect(listed.status == .exited)
                #expect(listed.exitCode == 4)
                #expect(listed.imageID == (try await engine.imageID(TestImages.busybox)))
                #expect(listed.imageID.count == 64)
                #expect(listed.labels["vendor.note"] == "a,b=c")
            }
        }

        @Test(arguments: Driver.allCases) func imageIDsAreLookedUpTogetherAndMissingOnesLeftOut(_ driver: Driver) async throws {
            try await Podman.withEngine(driver, .busybox, .psql) { engine in
                let missing = "lockstep-test/does-not-exist:9"
                let busybox = try #require(try await engine.imageID(TestImages.busybox))
                let psql = try #require(try await engine.imageID(TestImages.psql))
                let both = try await engine.imageIDs([TestImages.busybox, TestImages.psql, TestImages.busybox])
                #expect(both == [TestImages.busybox: busybox, TestImages.psql: psql])
                let withMissing = try await engine.imageIDs([TestImages.psql, missing, TestImages.busybox])
                #expect(withMissing == [TestImages.busybox: busybox, TestImages.psql: psql])
                #expect(try await engine.imageIDs([]).isEmpty)
            }
        }
    }
}

@Suite struct SpecUnitTests {
    let base = ContainerSpec(
        name: "lockstep-i-web-app",
        image: "inventory:2.3.0",
        command: ["/app/serve"],
        environment: [("A", "1"), ("B", "2")],
        network: .bridge,
        ports: [PortMapping(hostAddress: "127.0.0.1", publicPort: 8080, privatePort: 80)]
    )

    @Test func namesAreSanitized() {
        #expect(ContainerNaming.name(install: "prod eu/1", component: "db", container: "postgres:15") == "lockstep-prod-eu-1-db-postgres-15")
        #expect(ContainerNaming.sanitize("") == "_")
        #expect(ContainerNaming.sanitize("ünï") == "-n-")
    }

    @Test func specHashIsStableAndIgnoresBookkeepingLabels() {
        #expect(base.specHash == base.specHash)
        #expect(base.specHash.count == 64)
        let a = base.labelled(install: "i", release: "1.0.0", component: "web", container: "app", runID: "r1")
        let b = base.labelled(install: "i", release: "2.0.0", component: "web", container: "app", runID: "r2")
        #expect(a.specHash == b.specHash)
        #expect(a.labels[LockstepLabel.specHash] == a.specHash)
    }

    @Test(
        arguments: [
            { (s: inout ContainerSpec) in s.image = "inventory:2.3.1" },
            { s in s.command = ["/app/serve", "--v"] },
            { s in s.command = nil },
            { s in s.entrypoint = [] },
            { s in s.environment = [EnvironmentVariable("B", "2"), EnvironmentVariable("A", "1")] },
            { s in s.environment[0].value = "changed" },
            { s in s.network = .host },
            { s in s.ports[0].publicPort = 8081 },
            { s in s.volumes = [VolumeMount(hostPath: "/srv", containerPath: "/data")] },
            { s in s.restart = .always },
            { s in s.stopTimeout = 30 },
            { s in s.labels["vendor.tier"] = "gold" },
        ] as [@Sendable (inout ContainerSpec) -> Void]
    )
    func specHashChangesWithTheSpec(change: @Sendable (inout ContainerSpec) -> Void) {
        var changed = base
        change(&changed)
        #expect(changed.specHash != base.specHash)
    }

    @Test func createArgumentsPublishPortsOnlyOffHostNetwork() {
        let bridge = CreateArguments.build(base, envFile: "/tmp/x/env")
        #expect(bridge.starts(with: ["create", "--name", "lockstep-i-web-app", "--pull", "never"]))
        #expect(bridge.contains("127.0.0.1:8080:80/tcp"))
        #expect(bridge.suffix(3) == ["--", "inventory:2.3.0", "/app/serve"])
        #expect(!bridge.contains("1") && !bridge.contains("A=1"))
        var host = base
        host.network = .host
        let hostArgs = CreateArguments.build(host, envFile: nil)
        #expect(!hostArgs.contains("-p"))
        #expect(hostArgs.contains("host"))
        #expect(!hostArgs.contains("--env-file"))
    }

    @Test func entrypointArraysSurviveDockersSingleExecutableFlag() {
        var spec = base
        spec.entrypoint = ["/bin/sh", "-c"]
        spec.command = ["echo hi"]
        let args = CreateArguments.build(spec, envFile: nil)
        let index = try! #require(args.firstIndex(of: "--entrypoint"))
        #expect(args[index + 1] == "/bin/sh")
        #expect(args.suffix(3) == ["inventory:2.3.0", "-c", "echo hi"])
    }

    @Test(arguments: [
        (Int32(0), "exited 0"), (3, "exited 3"), (137, "killed (137)"), (143, "terminated (143)"),
        (125, "engine error 125: the container engine could not create or start the container"),
        (126, "engine error 126: the container's command could not be invoked (not executable?)"),
        (127, "engine error 127: the container's command was not found in the image"),
    ])
    func exitStatusesAreExplained(status: Int32, text: String) {
        #expect(ExitInterpretation.describe(status) == text)
    }

    @Test func inspectDatesParseWithNanosecondsAndZeroTime() throws {
        let date = try #require(InspectDecoding.parseDate("2026-11-25T17:43:02.574123456Z"))
        #expect(abs(date.timeIntervalSince1970.truncatingRemainder(dividingBy: 1) - 0.574123456) < 0.000_01)
        #expect(InspectDecoding.parseDate("2026-11-25T18:43:02.5+01:00") == InspectDecoding.parseDate("2026-11-25T17:43:02.5Z"))
        #expect(InspectDecoding.parseDate("0001-01-01T00:00:00Z") == nil)
    }

    @Test func engineSelectionFollowsFlagThenEnvironmentThenPath() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }

        let noDocker = EngineLocator(environment: ["LOCKSTEP_RUNTIME": "docker"], searchPath: empty)
        #expect(throws: RuntimeError.engineNotInstalled(requested: .docker, searchPath: empty)) { try noDocker.locate() }
        let nothing = EngineLocator(environment: [:], searchPath: empty)
        do {
            _ = try nothing.locate()
            Issue.record("found an engine on an empty PATH")
        } catch {
            #expect(error.description.contains("neither podman nor docker"))
        }
        #expect(throws: RuntimeError.unknownEngine("rkt")) { try EngineLocator(environment: [:]).locate(requested: "rkt") }
        // The flag beats the environment; autodetect prefers podman.
        let real = EngineLocator(environment: ["LOCKSTEP_RUNTIME": "docker", "PATH": "/usr/bin:/usr/local/bin"])
        #expect(try real.locate(requested: "podman").kind == .podman)
        #expect(try EngineLocator(environment: ["PATH": "/usr/bin:/usr/local/bin"]).locate().kind == .podman)
    }
}
