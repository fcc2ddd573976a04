import Foundation
import LockstepRuntime
import LockstepTestSupport
import Testing

/// Every suite that drives the real podman nests in here, so they run one at a
/// time (2 shared cores) and clean up by this run's label.
@Suite(.serialized) struct PodmanTests {}

extension PodmanTests {
    @Suite(.serialized) struct Lifecycle {
        @Test(arguments: Driver.allCases) func failingContainerKeepsExitCodeAndLogsUntilRemoved(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let spec = Podman.spec("exit3", command: ["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"])

                let id = try await engine.create(spec)
                #expect(!id.isEmpty)
                let created = try #require(try await engine.inspect(spec.name))
                #expect(created.status == .created)
                #expect(created.startedAt == nil)

                try await engine.start(spec.name)
                #expect(try await engine.wait(spec.name) == 3)

                // Still there after exiting: no --rm anywhere.
                let state = try #require(try await engine.inspect(spec.name))
                #expect(state.status == .exited)
                #expect(state.exitCode == 3)
                #expect(state.id == id)
                #expect(state.name == spec.name)
                #expect(state.image.hasSuffix(TestImages.busybox))
                #expect(state.imageID == (try await engine.imageID(TestImages.busybox)))
                #expect(!state.oomKilled)
                let started = try #require(state.startedAt)
                let finished = try #require(state.finishedAt)
                // podman stamps StartedAt after runc reports the start, so a
                // process that exits at once can "finish" a few ms before it "started".
                #expect(finished.timeIntervalSince(started) > -1)
                #expect(abs(started.timeIntervalSinceNow) < 120)
                #expect(state.statusDescription == "exited 3")

                let logs = try await engine.logs(spec.name)
                #expect(logs.contains("to-stdout"))
                #expect(logs.contains("to-stderr"))
                #expect(try await engine.logs(spec.name, tail: 1).split(separator: "\n").count == 1)

                try await engine.remove(spec.name)
                #expect(try await engine.inspect(spec.name) == nil)
                await #expect(throws: RuntimeError.containerNotFound(name: spec.name)) {
                    try await engine.start(spec.name)
                }
            }
        }

        @Test(arguments: Driver.allCases) func createRefusesATakenName(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let spec = Podman.spec("dup", command: ["true"])
                _ = try await engine.create(spec)
                await #expect(throws: RuntimeError.containerExists(name: spec.name)) {
                    _ = try await engine.create(spec)
                }
            }
        }

        @Test(arguments: Driver.allCases) func renameMovesTheContainerToItsNewName(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let spec = Podman.spec("rename", command: ["true"])
                let id = try await engine.create(spec)
                let parked = ContainerNaming.parked(spec.name, runID: "run-1")
                try await engine.rename(spec.name, to: parked)
                #expect(try await engine.inspect(spec.name) == nil)
                #expect(try await engine.inspect(parked)?.id == id)
                await #expect(throws: RuntimeError.containerNotFound(name: spec.name)) {
                    try await engine.rename(spec.name, to: spec.name + "-again")
                }
            }
        }

        @Test(arguments: Driver.allCases) func missingImageIsNamed(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let spec = Podman.spec("noimage", image: "lockstep-test/does-not-exist:9")
                #expect(try await engine.imageID("lockstep-test/does-not-exist:9") == nil)
                do {
                    _ = try await engine.create(spec)
                    Issue.record("create succeeded without an image")
                } catch let error as RuntimeError {
                    #expect(error == .imageMissing(image: "lockstep-test/does-not-exist:9"))
                    #expect(error.description.contains("lockstep-test/does-not-exist:9 not found locally; build or pull it"))
                }
                #expect(try await engine.inspect(spec.name) == nil)
            }
        }

        @Test(arguments: Driver.allCases) func stopKillAndExec(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                var spec = Podman.spec("longrun", command: ["sleep", "300"])
                spec.stopTimeout = 1
                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                #expect(try await engine.inspect(spec.name)?.isRunning == true)

                #expect(try await engine.exec(spec.name, ["sh", "-c", "exit 0"]) == 0)
                #expect(try await engine.exec(spec.name, ["sh", "-c", "exit 4"]) == 4)
                #expect(try await engine.exec(spec.name, ["/no/such/binary"]) == 127)

                try await engine.kill(spec.name)
                #expect(try await engine.wait(spec.name) == 137)
                let state = try #require(try await engine.inspect(spec.name))
                #expect(state.statusDescription == "killed (137)")
                // exec into a stopped container is the engine's error, not the command's.
                #expect(try await engine.exec(spec.name, ["true"]) == 125)
                await #expect(throws: RuntimeError.containerNotFound(name: "lockstep-nope-\(Podman.runID)")) {
                    _ = try await engine.exec("lockstep-nope-\(Podman.runID)", ["true"])
                }

                // sleep as PID 1 has no SIGTERM handler, so stop ends in the kill after the timeout.
                try await engine.start(spec.name)
                try await engine.stop(spec.name, timeout: 1)
                let stopped = try #require(try await engine.inspect(spec.name))
                #expect(stopped.status == .exited)
                #expect([137, 143].contains(stopped.exitCode))
            }
        }

        @Test(arguments: Driver.allCases) func followLogsStreamsLinesUntilTheContainerStops(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let spec = Podman.spec("follow", command: ["sh", "-c", "for i in 1 2 3; do echo line-$i; sleep 0.3; done; echo oops >&2"])
                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                var lines: [String] = []
                for await line in engine.followLogs(spec.name) { lines.append(line) }
                #expect(lines == ["line-1", "line-2", "line-3", "oops"])
                #expect(try await engine.wait(spec.name) == 0)
            }
        }
    }
}
