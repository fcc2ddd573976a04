import Foundation
import LockstepTestSupport
import Testing

/// `scripts/install.sh` into a temporary PREFIX: the binary runs, `man -l`
/// renders the page, and bash completes a subcommand from the installed script.
/// A debug build keeps the test to the build already made; the script's release
/// path differs only in `-c release`.
@Suite("scripts/install.sh")
struct InstallScriptTests {
    @Test func installsBinaryManPageAndCompletions() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-prefix-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        var environment = ProcessInfo.processInfo.environment
        environment["PREFIX"] = prefix
        environment["CONFIGURATION"] = "debug"
        // `swift test` holds .build's lock while tests run; the build is already done.
        environment["SWIFTPM_FLAGS"] = "--ignore-lock"
        let script = TestImages.repositoryRoot.appendingPathComponent("scripts/install.sh").path
        let installed = try HostProcess.run("/bin/bash", [script], environment: environment)
        #expect(installed.status == 0, "\(installed.combined)")

        let binary = prefix + "/bin/lockstep"
        let help = try HostProcess.run(binary, ["--help"])
        #expect(help.status == 0 && help.stdout.contains("doctor"), "\(help.combined)")

        var manEnvironment = environment
        manEnvironment["MANPAGER"] = "cat"
        manEnvironment["MANWIDTH"] = "100"
        let page = try HostProcess.run("/usr/bin/man", ["-l", prefix + "/share/man/man1/lockstep.1"], environment: manEnvironment)
        #expect(page.status == 0, "\(page.combined)")
        #expect(page.stdout.contains("NAME"), "\(page.stdout.prefix(2000))")
        #expect(page.stdout.contains("lockstep upgrade"), "the subcommands are in the page: \(page.stdout.prefix(2000))")
        #expect(page.stdout.contains("lockstep doctor"), "\(page.stdout.prefix(2000))")
        #expect(!page.stderr.contains("warning"), "groff renders it cleanly: \(page.stderr)")

        let completions = prefix + "/share/bash-completion/completions/lockstep"
        let bash = """
            shopt -s extglob
            source '\(completions)'
            complete -p lockstep || exit 3
            function=$(complete -p lockstep | sed -E 's/.* -F ([^ ]+) .*/\\1/')
            COMP_LINE='lockstep upg'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(lockstep upg); COMP_CWORD=1
            "$function" lockstep upg lockstep
            printf 'reply:%s\\n' "${COMPREPLY[@]}"
            COMP_LINE='lockstep doctor --tuf'; COMP_POINT=${#COMP_LINE}; COMP_WORDS=(lockstep doctor --tuf); COMP_CWORD=2
            "$function" lockstep --tuf doctor
            printf 'reply:%s\\n' "${COMPREPLY[@]}"
            """
        let completed = try HostProcess.run("/bin/bash", ["--norc", "--noprofile", "-c", bash], environment: environment)
        #expect(completed.status == 0, "\(completed.combined)")
        #expect(completed.stdout.contains("complete -o filenames -F"), "\(completed.combined)")
        let replies = completed.stdout.split(separator: "\n").filter { $0.hasPrefix("reply:") }.map { String($0.dropFirst(6)) }
        #expect(replies.contains("upgrade"), "bash completes a subcommand: \(completed.combined)")
        #expect(replies.contains("--tuf-keys"), "and a subcommand's option: \(completed.combined)")

        for path in ["/share/zsh/site-functions/_lockstep", "/share/fish/vendor_completions.d/lockstep.fish"] {
            let text = (try? String(contentsOfFile: prefix + path, encoding: .utf8)) ?? ""
            #expect(text.contains("doctor"), "\(path)")
        }
    }
}
