import Foundation
import LockstepTestSupport
import Testing

@testable import LockstepRuntime

extension PodmanTests {
    /// What only the API driver has: typed engine errors, selection of the engine by URL,
    /// secrets in the request body.
    @Suite(.serialized) struct APIDriver {
        @Test func engineErrorsCarryTheAPIStatusAndMessage() async throws {
            try await Podman.withEngine(.api) { engine in
                let spec = Podman.spec("notrunning", command: ["true"])
                _ = try await engine.create(spec)
                do {
                    try await engine.kill(spec.name)
                    Issue.record("killing a container that never started succeeded")
                } catch RuntimeError.engineRefused(let kind, let operation, let status, let message) {
                    #expect(kind == .podman)
                    #expect(operation == "kill")
                    // docker answers 409; podman 4's compat API 500 with the same meaning.
                    #expect([409, 500].contains(status))
                    #expect(message.contains(spec.name) || message.contains("state"))
                }
            }
        }

        @Test func secretTravelsInTheRequestBodyOnly() async throws {
            try await Podman.withEngine(.api) { engine in
                let secret = "s3cret-\(UUID().uuidString)"
                var spec = Podman.spec("apisecret", command: ["sh", "-c", "printf %s \"$SECRET\" | sha256sum; sleep 2"])
                spec.environment = [EnvironmentVariable("SECRET", secret)]
                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                let processList = try Podman.host("/usr/bin/ps", ["-eo", "args"])
                #expect(processList.status == 0)
                #expect(!processList.output.contains(secret))
                #expect(try await engine.wait(spec.name) == 0)
                let digest = try Podman.host("/usr/bin/sha256sum", ["-"], stdin: secret).output.prefix(64)
                #expect(try await engine.logs(spec.name).contains(digest))
            }
        }

        @Test func selectionPrefersTheNamedEngineThenTheEnvironmentThenSocketsThenTheCLI() async throws {
            let service = try PodmanService()
            defer { service.stop() }
            let viaFlag = try await EngineSelection(environment: [:], defaultSockets: []).select(engine: service.url)
            #expect((viaFlag as? APIContainerEngine)?.endpoint.description == service.url)
            #expect(viaFlag.kind == .podman)
            let viaEnvironment = try await EngineSelection(environment: ["CONTAINER_HOST": service.url], defaultSockets: []).select()
            #expect(viaEnvironment is APIContainerEngine)
            let viaSocket = try await EngineSelection(environment: [:], defaultSockets: ["/nonexistent.sock", service.socketPath]).select()
            #expect((viaSocket as? APIContainerEngine)?.endpoint.description == service.url)
            // The flag beats the environment; `cli` asks for the CLI driver.
            let cli = try await EngineSelection(environment: ["LOCKSTEP_ENGINE": service.url], defaultSockets: []).select(engine: "cli")
            #expect(cli is CLIContainerEngine)
            let nothing = try await EngineSelection(
                environment: ["PATH": "/usr/bin", "CONTAINER_HOST": "ssh://core@host/run/podman.sock"],
                defaultSockets: []
            ).select()
            #expect(nothing is CLIContainerEngine)

            let gone = "unix://\(service.folder.path)/nobody.sock"
            await #expect(throws: RuntimeError.self) { _ = try await EngineSelection(environment: [:], defaultSockets: []).select(engine: gone) }
            let unreachable = await #expect(throws: RuntimeError.self) {
                _ = try await EngineSelection(environment: ["LOCKSTEP_ENGINE": gone], defaultSockets: []).select()
            }
            #expect(unreachable?.description.hasPrefix("no container engine answers at \(gone)") == true)
            await #expect(throws: RuntimeError.invalidEngineURL(source: "LOCKSTEP_ENGINE", value: "ftp://x")) {
                _ = try await EngineSelection(environment: ["LOCKSTEP_ENGINE": "ftp://x"], defaultSockets: []).select()
            }
        }
    }
}

@Suite struct APIDriverUnitTests {
    static func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let length = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(length >> 24), UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)] + payload
    }

    @Test func framesSurviveChunksCutAnywhere() {
        let bytes = Self.frame(1, "line-1\nli") + Self.frame(2, "oops\n") + Self.frame(1, "ne-2\n")
        for cut in 0...bytes.count {
            var decoder = MultiplexedStreamDecoder()
            var splitter = LineSplitter()
            var lines: [String] = []
            for chunk in [Array(bytes[..<cut]), Array(bytes[cut...])] {
                for frame in decoder.feed(chunk) { lines += splitter.lines(frame) }
            }
            lines += splitter.finish()
            // A stderr frame between two halves of a stdout line does not cut it.
            #expect(lines == ["line-1", "oops", "line-2"], "cut at \(cut)")
            #expect(decoder.leftover.isEmpty)
        }
    }

    /// The engine's kind comes from `_ping`'s headers (podman's as 4.3.1 sends them, docker's as 24 does).
    @Test func pingHeadersNameTheEngine() {
        let podman = [("Api-Version", "1.41"), ("Libpod-Api-Version", "4.3.1"), ("Server", "Libpod/4.3.1 (linux)")]
        let docker = [("Api-Version", "1.43"), ("Docker-Experimental", "false"), ("Ostype", "linux"), ("Server", "Docker/24.0.7 (linux)")]
        #expect(APIContainerEngine.kind(of: podman.map { (name: $0.0, value: $0.1) }) == .podman)
        #expect(APIContainerEngine.kind(of: [(name: "server", value: "Libpod/5.0.0 (linux)")]) == .podman)
        #expect(APIContainerEngine.kind(of: docker.map { (name: $0.0, value: $0.1) }) == .docker)
    }

    @Test func aLastLineWithoutNewlineIsKept() {
        var decoder = MultiplexedStreamDecoder()
        var splitter = LineSplitter()
        let frames = decoder.feed(Self.frame(1, "done"))
        #expect(frames.flatMap { splitter.lines($0) }.isEmpty)
        #expect(splitter.finish() == ["done"])
    }

    @Test(arguments: [
        ("unix:///run/podman/podman.sock", "unix:///run/podman/podman.sock"),
        ("tcp://127.0.0.1:2375", "tcp://127.0.0.1:2375"),
        ("http://localhost:8080/", "tcp://localhost:8080"),
        ("tcp://[::1]:2375", "tcp://[::1]:2375"),
    ])
    func engineURLsParse(_ text: String, _ normalized: String) throws {
        #expect(try #require(EngineEndpoint(text)).description == normalized)
    }

    @Test(arguments: ["", "unix://", "unix://relative.sock", "tcp://host", "tcp://host:0", "ssh://core@host", "/run/podman.sock"])
    func badEngineURLsAreRefused(_ text: String) {
        #expect(EngineEndpoint(text) == nil)
    }

    @Test func socketPathTravelsPercentEncodedAsTheHost() {
        #expect(EngineEndpoint("unix:///tmp/a b/p.sock")?.baseURL == "http+unix://%2Ftmp%2Fa%20b%2Fp.sock")
    }

    @Test func createBodyCarriesEnvironmentPortsAndPolicy() throws {
        var spec = ContainerSpec(name: "n", image: "img:1", command: ["serve"], environment: [("A", "1"), ("B", "x=y")], labels: ["k": "v"])
        spec.ports = [PortMapping(hostAddress: "127.0.0.1", publicPort: 18080, privatePort: 80)]
        spec.restart = .onFailure(maxRetries: 3)
        spec.stopTimeout = 2
        let json = try #require(try JSONSerialization.jsonObject(with: CreateBody(spec).json()) as? [String: Any])
        #expect(json["Env"] as? [String] == ["A=1", "B=x=y"])
        #expect(json["StopTimeout"] as? Int == 2)
        let host = try #require(json["HostConfig"] as? [String: Any])
        #expect(host["NetworkMode"] as? String == "bridge")
        let bindings = try #require(host["PortBindings"] as? [String: [[String: String]]])
        #expect(bindings["80/tcp"] == [["HostIp": "127.0.0.1", "HostPort": "18080"]])
        #expect((host["RestartPolicy"] as? [String: Any])?["MaximumRetryCount"] as? Int == 3)
        spec.network = .host
        let onHost = try #require(try JSONSerialization.jsonObject(with: CreateBody(spec).json()) as? [String: Any])
        #expect(((onHost["HostConfig"] as? [String: Any])?["PortBindings"] as? [String: Any])?.isEmpty == true)
    }

    @Test(arguments: [("Exited (3) 2 minutes ago", Int32(3)), ("Exited (137) Less than a second ago", 137), ("Up 3 seconds", 0), ("Created", 0)])
    func listedExitCodeComesFromTheStatus(_ status: String, _ code: Int32) {
        #expect(ListRow(Id: "x", Status: status).exitCode == code)
    }
}
