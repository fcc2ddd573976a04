import Foundation
import LockstepManifest
import Testing

/// Issue 9's lint gaps: what used to pass lint and `release create` and fail only at
/// upgrade time, or leaked a password. Each case names the line lint must point at.
@Suite("Lint: engine grammar and secret placement (issue 9)")
struct HardeningLintTests {
    static func lint(_ yaml: String) -> [Diagnostic] {
        Linter.lint(text: yaml, file: "m.yaml")
    }

    static let passwordConfig = """
        name: t
        config:
          - name: db
            items:
              - name: db_password
                type: password
                default: "p@ss/w:rd"
        components:
          - name: db
            containers:
              - image_name: postgres

        """

    @Test(
        "image_name and version follow the engine's reference grammar",
        arguments: [
            ("busybox --privileged -v /:/host", "is not an image reference the engine accepts"),
            ("BusyBox", "repository names are lower case"),
            ("registry.example.com:5000/acme/app..x", "is not an image reference"),
        ]
    )
    func imageNames(name: String, message: String) {
        let diagnostics = Self.lint(
            manifest(container: "version: \"1\"").replacingOccurrences(of: "image_name: postgres", with: "image_name: \"\(name)\"")
        )
        #expect(diagnostics.errors.contains { $0.message.contains(message) && $0.line == 5 }, "\(diagnostics)")
    }

    @Test("Good references pass", arguments: ["busybox", "docker.io/library/postgres", "localhost:5000/a/b-c_d.e", "ghcr.io/acme/app"])
    func goodImageNames(name: String) {
        let diagnostics = Self.lint(
            manifest(container: "version: \"15.4-alpine\"").replacingOccurrences(of: "image_name: postgres", with: "image_name: \"\(name)\"")
        )
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
    }

    @Test("A version that is no tag is refused")
    func badTag() {
        let diagnostics = Self.lint(manifest(container: "version: \"1 --rm\""))
        #expect(diagnostics.errors.contains { $0.message.contains("is not an image tag") && $0.line == 6 }, "\(diagnostics)")
    }

    @Test("Env names with '=', a newline or spaces are errors; printed on one line")
    func envNames() {
        let diagnostics = Self.lint(
            manifest(
                container: """
                    version: "1"
                    env_vars:
                      - name: "A=B\\nC"
                        value: x
                      - name: "with space"
                        value: y
                      - name: "dotted.name"
                        value: z
                    """
            )
        )
        let errors = diagnostics.errors.filter { $0.message.contains("env var name") }
        #expect(errors.count == 2, "\(diagnostics)")
        #expect(errors.allSatisfy { !$0.description.contains("\n") }, "\(errors.map(\.description))")
        #expect(diagnostics.warnings.contains { $0.message.contains("'dotted.name' is not a portable name") })
    }

    @Test("Timeouts beyond 30 days are refused, never overflow a deadline")
    func hugeTimeouts() {
        let diagnostics = Self.lint(
            manifest(
                container: """
                    version: "1"
                    stop_timeout: 9223372036854775807
                    publish_events:
                      - name: up
                        trigger: container-start
                        timeout: 9223372036854775807
                    """
            )
        )
        #expect(diagnostics.errors.contains { $0.message.contains("'stop_timeout' must be between 0 and") }, "\(diagnostics)")
        #expect(diagnostics.errors.contains { $0.message.contains("'timeout' must be between 1 and") }, "\(diagnostics)")
    }

    @Test("A password in cmd, entrypoint or exec args is a warning")
    func passwordInArguments() {
        let yaml =
            Self.passwordConfig + """
                        version: "15"
                        cmd: '["postgres", "-c", "password={{repl ConfigOption \\"db_password\\"}}"]'
                        entrypoint: ["/bin/sh", '{{repl ConfigOption "db_password"}}']
                """
        let warnings = Self.lint(yaml).warnings.filter { $0.message.contains("password config item 'db_password' is passed in") }
        #expect(warnings.map { $0.message.contains("'cmd'") }.contains(true), "\(Self.lint(yaml))")
        #expect(warnings.map { $0.message.contains("'entrypoint'") }.contains(true))
    }

    @Test("A raw password in a URL's user-info is a warning; UrlEncode silences it")
    func passwordInURL() throws {
        let raw =
            Self.passwordConfig + """
                        version: "15"
                        env_vars:
                          - name: DATABASE_URL
                            value: 'postgresql://app:{{repl ConfigOption "db_password"}}@{{repl ThisNodePrivateIPAddress}}:5432/app'
                """
        #expect(Self.lint(raw).warnings.contains { $0.message.contains("pasted raw into a URL's user-info") && $0.line == 15 }, "\(Self.lint(raw))")
        let encoded = raw.replacingOccurrences(of: #"ConfigOption "db_password"}}"#, with: #"ConfigOption "db_password" | UrlEncode}}"#)
        #expect(!Self.lint(encoded).contains { $0.message.contains("user-info") }, "\(Self.lint(encoded))")
        #expect(!Self.lint(encoded).hasErrors)

        let rendered = try Manifest.load(text: encoded, file: "m.yaml").render(
            values: ConfigValues(["db_password": "p@ss/w:rd %#?x y"]),
            nodeAddress: "10.0.0.5"
        )
        let value = try #require(rendered.containers.first?.envVars.first?.value)
        #expect(value == "postgresql://app:p%40ss%2Fw%3Ard%20%25%23%3Fx%20y@10.0.0.5:5432/app")
        // The host is still the node, whatever the password holds.
        #expect(URLComponentsHost(value) == "10.0.0.5")
    }

    @Test("UrlEncode as a call and in bad pipelines")
    func urlEncodeForms() throws {
        #expect(URLComponentEncoding.encode("a-b_c.d~e") == "a-b_c.d~e")
        #expect(URLComponentEncoding.encode("ü @") == "%C3%BC%20%40")
        let pipedIntoConfig = manifest(container: #"version: '{{repl ThisNodePrivateIPAddress | ConfigOption}}'"#)
        #expect(Self.lint(pipedIntoConfig).errors.contains { $0.message.contains("cannot follow '|'") }, "\(Self.lint(pipedIntoConfig))")
        let trailing = manifest(container: #"version: '{{repl ThisNodePrivateIPAddress | UrlEncode "x"}}'"#)
        #expect(Self.lint(trailing).errors.contains { $0.message.contains("nothing may follow") }, "\(Self.lint(trailing))")
    }

    @Test("The shipped examples lint without a user-info warning")
    func examples() throws {
        for name in ["inventory.yaml", "demo.yaml"] {
            let diagnostics = Linter.lint(text: try exampleText(name), file: name)
            #expect(!diagnostics.hasErrors, "\(name): \(diagnostics)")
            #expect(!diagnostics.contains { $0.message.contains("user-info") }, "\(name): \(diagnostics)")
        }
    }

    @Test("A manifest above 1 MB is refused")
    func oversized() {
        let text = manifest(container: "version: \"1\"") + "\n# " + String(repeating: "x", count: Manifest.maximumSize) + "\n"
        #expect(Self.lint(text).errors.first?.message.contains("the limit is 1048576 bytes") == true)
    }
}

/// The host part of a URL as Foundation parses it.
func URLComponentsHost(_ text: String) -> String? {
    URLComponents(string: text)?.host
}
