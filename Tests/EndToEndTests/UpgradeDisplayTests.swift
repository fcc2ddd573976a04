import Foundation
import LockstepTestSupport
import Testing

/// What a person sees while `upgrade` runs: piped, plain lines; on a terminal
/// (tmux), a line per step rewritten in place; `--output json`, a report.
/// Releases of busybox only (a migration that prints and exits, an app that
/// sleeps), so each upgrade takes a few seconds of real podman.
extension UpgradeEndToEnd {
    @Suite("upgrade display", .serialized)
    struct UpgradeDisplayTests {
        static func manifest(_ version: String) -> String {
            """
            name: display
            components:
              - name: migrate
                containers:
                  - source: public
                    image_name: lockstep-test/busybox
                    name: migrate
                    version: "1"
                    ephemeral: true
                    cmd: ["sh", "-c", "echo migrating to \(version); sleep 2; echo rows changed in \(version): 3"]
                    publish_events:
                      - name: migration finished
                        trigger: container-stop
                        timeout: 60
                        subscriptions:
                          - component: web
                            container: web
                            action: start
              - name: web
                containers:
                  - source: public
                    image_name: lockstep-test/busybox
                    name: web
                    version: "1"
                    stop_timeout: 1
                    cmd: ["sh", "-c", "echo web \(version); exec sleep 600"]
            """
        }

        struct Fixture {
            let cli: LockstepCLI
            let install = "display-\(UUID().uuidString.prefix(8).lowercased())"

            init() async throws {
                try await TestImages.ensure(.busybox)
                cli = try LockstepCLI()
                try cut("1.0.0")
                let first = try cli.run(arguments: ["upgrade", "--install", install, "--to", "1.0.0", "--network", "host"])
                #expect(first.status == 0, "\(first.combined)")
                try cut("1.1.0", required: true)
                try cut("1.2.0")
            }

            func cut(_ version: String, required: Bool = false) throws {
                let path = try cli.write("display-\(version).yaml", UpgradeDisplayTests.manifest(version))
                let created = try cli.run(
                    arguments: ["release", "create", "--manifest", path, "--version", version, "--promote", "Stable"]
                        + (required ? ["--required"] : [])
                )
                #expect(created.status == 0, "\(created.combined)")
            }

            /// From 1.0.0 through the required 1.1.0 to 1.2.0: two steps.
            var upgradeArguments: [String] { ["upgrade", "--install", install, "--to", "1.2.0"] }

            func cleanUp() async {
                if let podman = UpgradeScenario.podmanPath,
                    let listed = try? await PostgresCommand.run(podman, ["ps", "-aq", "--filter", "label=io.lockstep.install=\(install)"])
                {
                    let ids = listed.stdout.split(whereSeparator: \.isNewline).map(String.init)
                    if !ids.isEmpty { _ = try? await PostgresCommand.run(podman, ["rm", "-f", "-t", "0"] + ids) }
                }
                cli.removeFolder()
            }
        }

        static func with(_ body: (Fixture) async throws -> Void) async throws {
            let fixture = try await Fixture()
            do { try await body(fixture) } catch {
                await fixture.cleanUp()
                throw error
            }
            await fixture.cleanUp()
        }

        static func hasDuration(_ line: String) -> Bool {
            line.contains(#/ (\d+ ms|\d+\.\d s|\d+ min( \d+ s)?)/#)
        }

        @Test func pipedOutputIsPlainLinesOnePerChange() async throws {
            try await Self.with { fixture in
                let run = try fixture.cli.run(arguments: fixture.upgradeArguments)
                let text = run.combined
                #expect(run.status == 0, "\(text)")
                #expect(!text.contains("\u{1B}"), "no escape codes when piped: \(text)")
                #expect(!text.contains("\r"), "\(text)")
                let lines = text.split(separator: "\n").map(String.init)
                #expect(lines.contains("step 1/2 1.1.0: applying"), "\(text)")
                #expect(lines.contains("step 1/2 1.1.0: waiting for migrate-migrate to exit"), "\(text)")
                #expect(lines.contains("    migrating to 1.1.0"), "the migration's output, indented: \(text)")
                #expect(lines.contains("    rows changed in 1.1.0: 3"), "\(text)")
                #expect(lines.contains { $0.hasPrefix("step 2/2 1.2.0: done in ") && Self.hasDuration($0) }, "\(text)")
                #expect(lines.contains { $0.hasPrefix("upgraded \(fixture.install) from 1.0.0 to 1.2.0 in 2 steps, ") }, "a summary: \(text)")
                #expect(!text.contains("fired"), "events only with --verbose: \(text)")
                #expect(Set(lines).count == lines.count, "one line per change of state, none repeated: \(text)")
                #expect(run.stdout == "installation \(fixture.install) runs 1.2.0\n", "\(run.stdout)")
                #expect(lines.filter { $0.hasPrefix("step 1/2 1.1.0: started ") }.count == 2, "each start said once: \(text)")
            }
        }

        @Test func verboseShowsEveryEvent() async throws {
            try await Self.with { fixture in
                let run = try fixture.cli.run(arguments: fixture.upgradeArguments + ["--verbose"])
                #expect(run.status == 0, "\(run.combined)")
                #expect(run.stderr.contains("step 1/2 1.1.0: started web/web on migrate/migrate: \"migration finished\""), "\(run.stderr)")
                #expect(run.stderr.contains("step 1/2 1.1.0: started web-web\n"), "every milestone, not only the runner's notes: \(run.stderr)")
                #expect(run.stderr.contains("| migrating to 1.1.0"), "\(run.stderr)")
                #expect(!run.stderr.contains("\u{1B}"), "\(run.stderr)")
            }
        }

        struct Report: Decodable {
            struct Migration: Decodable {
                let container: String
                let exitCode: Int32?
                let outcome: String
                let durationSeconds: Double?
            }
            struct Step: Decodable {
                let position: Int
                let version: String
                let state: String
                let durationSeconds: Double?
                let migrations: [Migration]?
            }
            let installation: String
            let succeeded: Bool
            let fromVersion: String?
            let installedVersion: String?
            let durationSeconds: Double?
            let steps: [Step]
        }

        @Test func jsonIsAReportOnStdout() async throws {
            try await Self.with { fixture in
                let run = try fixture.cli.run(arguments: fixture.upgradeArguments + ["--output", "json"])
                #expect(run.status == 0, "\(run.combined)")
                #expect(run.stderr.isEmpty, "nothing but the report: \(run.stderr)")
                let report = try JSONDecoder().decode(Report.self, from: Data(run.stdout.utf8))
                #expect(report.installation == fixture.install)
                #expect(report.succeeded)
                #expect(report.fromVersion == "1.0.0")
                #expect(report.installedVersion == "1.2.0")
                #expect(report.steps.map(\.version) == ["1.1.0", "1.2.0"])
                #expect(report.steps.map(\.state) == ["succeeded", "succeeded"])
                for step in report.steps {
                    #expect((step.durationSeconds ?? 0) >= 2, "the migration sleeps 2 s: \(step)")
                    #expect(step.migrations?.map(\.container) == ["migrate/migrate"], "\(step)")
                    #expect(step.migrations?.first?.exitCode == 0)
                    #expect(step.migrations?.first?.outcome == "succeeded")
                }
                #expect((report.durationSeconds ?? 0) >= 4)
            }
        }

        /// A real pseudo-terminal from util-linux `script`: what reaches the terminal is the
        /// raw stream, so the test replays its carriage returns and erase-line codes the way
        /// a terminal does and checks what stays on the screen. (A tmux server started from
        /// inside `swift test` exits at once here, so tmux is for trying it by hand.)
        @Test func aTerminalShowsOneLineAStepRewrittenInPlace() async throws {
            try await Self.with { fixture in
                let command = ([LockstepCLI.binaryPath] + fixture.upgradeArguments).map { "'" + $0 + "'" }.joined(separator: " ")
                let run = try HostProcess.run(
                    "/usr/bin/script",
                    ["-q", "-e", "-c", command, "/dev/null"],
                    environment: fixture.cli.environment.merging(["TERM": "xterm"]) { $1 }
                )
                #expect(run.status == 0, "\(run.combined)")
                let raw = run.stdout
                #expect(raw.contains("\r\u{1B}[K"), "the line is rewritten in place: \(raw.debugDescription)")
                #expect(
                    raw.contains(#/\r\x1B\[Kstep 1/2 1\.1\.0: waiting for [^\r\n]* \(\d+ ms\)/#),
                    "it says what it waits for and for how long: \(raw.debugDescription)"
                )
                let screen = Self.screen(raw)
                #expect(!screen.contains { $0.contains("waiting for") }, "waiting lines are rewritten, not left behind: \(screen)")
                #expect(screen.contains { $0.hasPrefix("step 1/2 1.1.0: done in ") }, "\(screen)")
                #expect(screen.contains("step 1/2 1.1.0: migrate-migrate says:"), "\(screen)")
                #expect(screen.contains("    migrating to 1.1.0"), "\(screen)")
                #expect(screen.contains { $0.hasPrefix("upgraded \(fixture.install) from 1.0.0 to 1.2.0 in 2 steps, ") }, "\(screen)")
                #expect(screen.filter { $0.hasPrefix("step 1/2") }.count == 2, "the header over the output and the done line: \(screen)")
                #expect(!screen.contains { $0.contains("started ") }, "the runner's notes stay out of the calm view: \(screen)")
            }
        }

        /// The lines a terminal shows for `raw`: a carriage return goes back to the
        /// line's start, ESC [ K erases the rest of it.
        static func screen(_ raw: String) -> [String] {
            var lines: [String] = []
            var current = ""
            var rest = Substring(raw)
            while let character = rest.first {
                rest = rest.dropFirst()
                switch character {
                case "\r\n", "\n":
                    lines.append(current)
                    current = ""
                case "\r": current = ""
                case "\u{1B}": if rest.hasPrefix("[K") { rest = rest.dropFirst(2) }
                default: current.append(character)
                }
            }
            if !current.isEmpty { lines.append(current) }
            return lines
        }
    }
}
