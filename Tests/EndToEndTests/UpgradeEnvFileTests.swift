import Foundation
import LockstepTestSupport
import Testing

extension UpgradeEndToEnd {
    /// Issue 9, finding 4: `kill -9` while `podman create` runs left the env-file holding
    /// the password on disk for good. Now it lives in one 0700 folder on a tmpfs, and the
    /// next run sweeps what dead runs left.
    @Suite("env-files after kill -9 during create")
    struct EnvFileKillTests {
        static let envFolder = "/dev/shm/lockstep-env-\(getuid())"

        static func names() -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: envFolder)) ?? []
        }

        /// Whether any process's command line holds `secret` (what `ps` shows).
        static func commandLinesContain(_ secret: String) -> Bool {
            guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return false }
            for pid in pids where pid.allSatisfy(\.isNumber) {
                if let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                    String(decoding: data, as: UTF8.self).contains(secret)
                {
                    return true
                }
            }
            return false
        }

        @Test("the killed run's env-file is on a tmpfs, 0600, and gone after the next run")
        func killDuringCreate() async throws {
            try await UpgradeScenario.with("envkill") { scenario in
                try await scenario.cutAll()
                let process = Process()
                process.executableURL = URL(fileURLWithPath: LockstepCLI.binaryPath)
                process.arguments = ["upgrade", "--install", scenario.install, "--to", "1.0.0", "--network", "host", "--config", scenario.configPath]
                process.environment = scenario.cli.environment
                process.currentDirectoryURL = scenario.cli.folder
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                let pid = process.processIdentifier

                var leftBehind: String?
                var passwordInCommandLine = false
                let deadline = Date().addingTimeInterval(120)
                while Date() < deadline, process.isRunning {
                    if let name = Self.names().first(where: { $0.hasPrefix("\(pid)-") }) {
                        // The env-file exists only while `podman create` runs: kill now.
                        kill(pid, SIGKILL)
                        leftBehind = name
                        break
                    }
                    passwordInCommandLine = passwordInCommandLine || Self.commandLinesContain(scenario.password)
                    usleep(1_000)
                }
                process.waitUntilExit()
                let name = try #require(leftBehind, "the run never wrote an env-file under \(Self.envFolder)")
                let path = Self.envFolder + "/" + name
                #expect(!passwordInCommandLine, "the password reached a process's command line")

                // What the killed run left: private, on the tmpfs, holding the secret.
                let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                let folderMode = try FileManager.default.attributesOfItem(atPath: Self.envFolder)[.posixPermissions] as? Int
                #expect(mode == 0o600)
                #expect(folderMode == 0o700)
                #expect((try? String(contentsOfFile: path, encoding: .utf8))?.contains(scenario.password) == true)

                // The next run sweeps it.
                let resumed = try await scenario.lockstep(["resume", "--install", scenario.install])
                #expect(resumed.status == 0, "\(resumed.combined)")
                #expect(!FileManager.default.fileExists(atPath: path), "still there after the next run: \(Self.names())")
                #expect(!Self.names().contains { $0.hasPrefix("\(pid)-") })
                #expect(!resumed.combined.contains(scenario.password))
            }
        }
    }
}
