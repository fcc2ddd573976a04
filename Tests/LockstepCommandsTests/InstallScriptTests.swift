import Foundation
import LockstepTestSupport
import Testing

/// `scripts/install.sh` into a temporary PREFIX, as the README documents it: the
/// binary, the man page and the bash, zsh and fish completions land where each
/// tool looks, the installed binary runs, bash loads its completion and `man -l`
/// renders the page.
@Suite("scripts/install.sh", .serialized)
struct InstallScriptTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Installs the binary the other CLI tests run (LOCKSTEP_BIN), so nothing is built
    /// twice; the man page comes from the generate-manual plugin, in the debug
    /// configuration the tests were built in. `swift test` holds .build's lock.
    static func install(prefix: String, destdir: String? = nil) throws -> HostProcess.Output {
        var environment = ProcessInfo.processInfo.environment
        environment["PREFIX"] = prefix
        environment["CONFIGURATION"] = "debug"
        environment["SWIFTPM_FLAGS"] = "--ignore-lock"
        environment["LOCKSTEP_BIN"] = LockstepCLI.binaryPath
        environment["DESTDIR"] = destdir
        return try HostProcess.run(
            "/bin/bash",
            [packageRoot.appendingPathComponent("scripts/install.sh").path],
            environment: environment,
            directory: packageRoot
        )
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    @Test func installsBinaryCompletionsAndManPageThatWork() throws {
        let prefix = try TemporaryDirectory(prefix: "lockstep-install")
        defer { prefix.remove() }
        let installed = try Self.install(prefix: prefix.path)
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        #expect(installed.stdout.contains("installed lockstep into \(prefix.path)"), "\(installed.stdout)")

        let binary = prefix.appending("bin/lockstep").path
        let attributes = try FileManager.default.attributesOfItem(atPath: binary)
        #expect((attributes[.posixPermissions] as? Int) == 0o755)
        let version = try HostProcess.run(binary, ["--version"])
        let expected = try HostProcess.run(LockstepCLI.binaryPath, ["--version"])
        #expect(version.status == 0, "\(version.stderr)")
        #expect(!version.stdout.isEmpty && version.stdout == expected.stdout)
        let help = try HostProcess.run(binary, ["doctor", "--help"])
        #expect(help.status == 0 && help.stdout.contains("USAGE: lockstep doctor"), "\(help.stdout)\(help.stderr)")

        let bash = prefix.appending("share/bash-completion/completions/lockstep").path
        let zsh = prefix.appending("share/zsh/site-functions/_lockstep").path
        let fish = prefix.appending("share/fish/vendor_completions.d/lockstep.fish").path
        #expect(try Self.text(zsh).hasPrefix("#compdef lockstep"))
        #expect(try Self.text(fish).contains("complete -c 'lockstep'"))
        #expect(try Self.text(bash).contains("-F _lockstep lockstep"))
        // bash-completion sources this file by the command's name; sourcing it must
        // register a completion for `lockstep` and offer the subcommands.
        let loaded = try HostProcess.run(
            "/bin/bash",
            [
                "-c",
                "source \"$1\" && complete -p lockstep && COMP_WORDS=(lockstep do) COMP_CWORD=1 && "
                    + "$(complete -p lockstep | sed -E 's/.* -F ([^ ]+) .*/\\1/') lockstep do lockstep && printf '%s\\n' \"${COMPREPLY[@]}\"",
                "bash", bash,
            ]
        )
        #expect(loaded.status == 0, "\(loaded.stdout)\(loaded.stderr)")
        #expect(loaded.stdout.split(separator: "\n").contains("doctor"), "\(loaded.stdout)\(loaded.stderr)")

        let page = prefix.appending("share/man/man1/lockstep.1").path
        #expect(FileManager.default.fileExists(atPath: page))
        var environment = ProcessInfo.processInfo.environment
        environment["MANWIDTH"] = "100"
        environment["MANPAGER"] = "cat"
        environment["PAGER"] = "cat"
        let rendered = try HostProcess.run("/usr/bin/man", ["-l", page], environment: environment)
        #expect(rendered.status == 0, "\(rendered.stderr)")
        #expect(rendered.stderr.isEmpty, "man warns: \(rendered.stderr)")
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION"] {
            #expect(rendered.stdout.contains(heading), "\(heading) missing from:\n\(rendered.stdout.prefix(2000))")
        }
        // Each subcommand is an entry of the page's list, its name first on the line.
        let lines = rendered.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for subcommand in ["doctor", "serve", "upgrade", "ledger"] {
            #expect(lines.contains { $0 == subcommand || $0.hasPrefix(subcommand + " ") }, "\(subcommand) missing from the page")
        }
    }

    @Test func destdirPrefixesEveryPathAndABadBinaryIsRefused() throws {
        let root = try TemporaryDirectory(prefix: "lockstep-destdir")
        defer { root.remove() }
        let staged = try Self.install(prefix: "/usr", destdir: root.path)
        #expect(staged.status == 0, "\(staged.stdout)\(staged.stderr)")
        for path in [
            "usr/bin/lockstep", "usr/share/man/man1/lockstep.1", "usr/share/bash-completion/completions/lockstep",
            "usr/share/zsh/site-functions/_lockstep", "usr/share/fish/vendor_completions.d/lockstep.fish",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.appending(path).path), "\(path)")
        }

        var environment = ProcessInfo.processInfo.environment
        environment["PREFIX"] = root.appending("other").path
        environment["LOCKSTEP_BIN"] = root.appending("no-such-binary").path
        let refused = try HostProcess.run(
            "/bin/bash",
            [Self.packageRoot.appendingPathComponent("scripts/install.sh").path],
            environment: environment,
            directory: Self.packageRoot
        )
        #expect(refused.status == 66)
        #expect(refused.stderr == "install.sh: LOCKSTEP_BIN=\(root.appending("no-such-binary").path) is not an executable file\n")
        #expect(!FileManager.default.fileExists(atPath: root.appending("other").path))
    }
}
