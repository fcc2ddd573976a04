import Foundation
import LockstepTestSupport
import Testing

@testable import LockstepRuntime

extension PodmanTests {
    @Suite(.serialized) struct Secrets {
        static let secret = "s3cr3t-Value with spaces & $dollar 'quote'"

        @Test func secretReachesTheContainerButNoProcessListOrArgumentVector() async throws {
            try await Podman.withEngine { engine in
                let log = CommandLog()
                var engine = engine
                engine.commandObserver = { log.record($0) }
                // The container proves it got the value by printing its hash;
                // the value itself is never on any command line.
                var spec = Podman.spec("secret", command: ["sh", "-c", "printf %s \"$SECRET\" | sha256sum; sleep 2"])
                spec.environment = [EnvironmentVariable("SECRET", Self.secret), EnvironmentVariable("PLAIN", "x")]

                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                let processList = try Podman.host("/usr/bin/ps", ["-eo", "args"])
                #expect(processList.status == 0)
                #expect(processList.output.contains("sleep 2"), "the container should be running during the check")
                #expect(!processList.output.contains("s3cr3t"))
                #expect(try await engine.wait(spec.name) == 0)

                let logs = try await engine.logs(spec.name)
                #expect(logs.contains(Self.sha256Hex(Self.secret)))

                let commands = log.all
                #expect(!commands.isEmpty)
                #expect(commands.allSatisfy { $0.allSatisfy { !$0.contains("s3cr3t") } })
                let create = try #require(commands.first { $0.first == "create" })
                let flag = try #require(create.firstIndex(of: "--env-file"))
                let envPath = create[flag + 1]
                #expect(!FileManager.default.fileExists(atPath: envPath), "the env-file must be removed after create")
                // It lived in lockstep's one private folder, which stays (0700) for the next run's sweep.
                #expect(URL(fileURLWithPath: envPath).deletingLastPathComponent().path == EnvFolder.path)
                #expect(!create.contains("-e") && !create.contains("--env"))
            }
        }

        @Test func aValueWithALineBreakIsRefusedWithoutBeingQuoted() async throws {
            try await Podman.withEngine { engine in
                var spec = Podman.spec("newline", command: ["true"])
                spec.environment = [EnvironmentVariable("PASSWORD", "line1\nINJECTED=yes")]
                do {
                    _ = try await engine.create(spec)
                    Issue.record("a multi-line value was accepted")
                } catch let error as RuntimeError {
                    guard case .invalidEnvironment(let name, _) = error else {
                        Issue.record("unexpected error \(error)")
                        return
                    }
                    #expect(name == "PASSWORD")
                    #expect(!error.description.contains("line1"))
                }
                #expect(try await engine.inspect(spec.name) == nil)
            }
        }

        static func sha256Hex(_ text: String) -> String {
            let result = try? Podman.host("/usr/bin/sha256sum", ["-"], stdin: text)
            return String(result?.output.prefix(64) ?? "")
        }
    }
}

@Suite struct EnvFileUnitTests {
    @Test func envFileIsPrivateAndHoldsOneLinePerVariable() throws {
        let file = try EnvFile.write([EnvironmentVariable("A", "1"), EnvironmentVariable("B", "two = 2")])
        defer { file.remove() }
        let folder = file.url.deletingLastPathComponent().path
        let fileMode = try FileManager.default.attributesOfItem(atPath: file.url.path)[.posixPermissions] as? Int
        let dirMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        #expect(dirMode == 0o700)
        #expect(folder == EnvFolder.path, "one lockstep-owned folder for every env-file")
        // On Linux /dev/shm is a tmpfs: the secret never reaches a disk.
        #expect(folder.hasPrefix("/dev/shm/"), "\(folder)")
        #expect(try String(contentsOf: file.url, encoding: .utf8) == "A=1\nB=two = 2\n")
        file.remove()
        #expect(!FileManager.default.fileExists(atPath: file.url.path))
    }

    @Test func filesOfDeadProcessesAreSweptOthersKept() throws {
        let folder = try EnvFolder.prepare()
        // A process that ran and is gone: its pid is free (reaped) once `true` has exited.
        let finished = try Podman.host("/bin/sh", ["-c", "echo $$"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let dead = folder.appendingPathComponent("\(finished)-\(UUID().uuidString).env")
        let alive = folder.appendingPathComponent("1-\(UUID().uuidString).env")
        for url in [dead, alive] { try Data("PGPASSWORD=left-behind\n".utf8).write(to: url) }
        defer { for url in [dead, alive] { try? FileManager.default.removeItem(at: url) } }
        let removed = EnvFolder.sweep(folder)
        #expect(removed.contains(dead.lastPathComponent))
        #expect(!FileManager.default.fileExists(atPath: dead.path))
        #expect(FileManager.default.fileExists(atPath: alive.path), "pid 1 still runs: its file is in use")
    }

    @Test(arguments: ["a\nb", "a\rb", "a\0b"])
    func valuesAnEnvFileCannotCarryAreRefused(value: String) {
        #expect(throws: RuntimeError.self) { try EnvFile.validate([EnvironmentVariable("X", value)]) }
    }

    @Test(arguments: ["", "A=B", "A B", "#A"])
    func badNamesAreRefused(name: String) {
        #expect(throws: RuntimeError.self) { try EnvFile.validate([EnvironmentVariable(name, "v")]) }
    }
}
