import LockstepManifest
import Testing

/// One broken manifest and the diagnostic it must produce.
struct BrokenCase: CustomTestStringConvertible, Sendable {
    var name: String
    var yaml: String
    var severity: Diagnostic.Severity = .error
    var message: String
    var line: Int
    var column: Int
    var testDescription: String { name }
}

/// A second component `web` with container `app`, the usual target of subscriptions.
let webComponent = """
      - name: web
        containers:
          - image_name: app
            version: "1"
    """

func subscribing(_ component: String, _ container: String, trigger: String = "container-start", action: String = "start") -> String {
    manifest(
        container: """
            version: "15"
            publish_events:
              - name: up
                trigger: \(trigger)
                subscriptions:
                  - component: \(component)
                    container: \(container)
                    action: \(action)
            """,
        extraComponents: webComponent
    )
}

let brokenCases: [BrokenCase] = [
    BrokenCase(
        name: "unknown subscription component",
        yaml: subscribing("nope", "app"),
        message: "subscription to unknown component 'nope' (components: db, web)",
        line: 11,
        column: 28
    ),
    BrokenCase(
        name: "unknown subscription container",
        yaml: subscribing("web", "nope"),
        message: "component 'web' has no container 'nope'",
        line: 12,
        column: 28
    ),
    BrokenCase(
        name: "action other than start",
        yaml: subscribing("web", "app", action: "stop"),
        message: "unsupported subscription action 'stop'; lockstep only supports 'start'",
        line: 13,
        column: 25
    ),
    BrokenCase(
        name: "unknown trigger",
        yaml: subscribing("web", "app", trigger: "port-open"),
        message: "unknown trigger 'port-open'",
        line: 9,
        column: 22
    ),
    BrokenCase(
        name: "event cycle",
        yaml: """
            name: t
            components:
              - name: a
                containers:
                  - image_name: one
                    version: "1"
                    publish_events:
                      - name: started
                        trigger: container-start
                        subscriptions:
                          - component: b
                            container: two
              - name: b
                containers:
                  - image_name: two
                    version: "1"
                    publish_events:
                      - name: started
                        trigger: container-start
                        subscriptions:
                          - component: a
                            container: one
            """,
        message: "event cycle: a/one -> b/two -> a/one",
        line: 21,
        column: 17
    ),
    BrokenCase(
        name: "cmd is not valid JSON",
        yaml: manifest(container: "version: \"15\"\ncmd: '[\"/app/migrate\", \"up\"'"),
        message: "'cmd' must be a JSON array of strings",
        line: 7,
        column: 14
    ),
    BrokenCase(
        name: "cmd holds a number",
        yaml: manifest(container: "version: \"15\"\ncmd: '[\"/app/migrate\", 1]'"),
        message: "'cmd' element 1 must be a string",
        line: 7,
        column: 14
    ),
    BrokenCase(
        name: "unterminated template",
        yaml: manifest(container: "version: \"15\"\nenv_vars:\n  - name: A\n    value: 'x{{repl ConfigOption \"a\"'"),
        message: "malformed template: unterminated template: missing '}}'",
        line: 9,
        column: 22
    ),
    BrokenCase(
        name: "template pipeline",
        yaml: manifest(container: #"version: "15"\#nenv_vars:\#n  - name: A\#n    value: "{{repl ConfigOption \"a\" | urlquery}}""#),
        message: "'urlquery' cannot follow '|'; lockstep pipes values only into UrlEncode",
        line: 9,
        column: 49
    ),
    BrokenCase(
        name: "unknown template function",
        yaml: manifest(container: "version: \"15\"\nenv_vars:\n  - name: A\n    value: pre-{{repl ConfigOptoin \"a\"}}"),
        message: "unknown template function 'ConfigOptoin'",
        line: 9,
        column: 31
    ),
    BrokenCase(
        name: "ConfigOption of an unknown item",
        yaml: manifest(container: "version: \"15\"\nenv_vars:\n  - name: A\n    value: '{{repl ConfigOption \"nope\"}}'"),
        message: "ConfigOption: no config item named 'nope'",
        line: 9,
        column: 21
    ),
    BrokenCase(
        name: "port-listen on an undeclared port",
        yaml: manifest(
            container: """
                image_name: app
                version: "1"
                ports:
                  - private_port: 8080
                publish_events:
                  - name: up
                    trigger: port-listen
                    data: "9090"
                    subscriptions:
                      - component: web
                        container: app
                """.replacingOccurrences(of: "image_name: app\n", with: ""),
            extraComponents: webComponent
        ),
        message: "port-listen on port 9090, which container db/postgres does not declare in 'ports' (it declares 8080)",
        line: 12,
        column: 19
    ),
    BrokenCase(
        name: "YAML syntax error",
        yaml: "name: t\ncomponents:\n  - name: db\n    containers: [a\n",
        message: "invalid YAML:",
        line: 5,
        column: 1
    ),
    BrokenCase(
        name: "duplicate component",
        yaml: manifest(container: "version: \"1\"", extraComponents: "  - name: db\n    containers: []"),
        message: "duplicate component 'db'",
        line: 7,
        column: 5
    ),
    BrokenCase(
        name: "missing required config without default",
        yaml: """
            name: t
            config:
              - name: g
                items:
                  - name: license_key
                    required: true
            components: []
            """,
        severity: .warning,
        message: "required config item 'license_key' has no default",
        line: 5,
        column: 9
    ),
    BrokenCase(
        name: "port-listen on a postgres image",
        yaml: manifest(
            container: """
                version: "15"
                ports:
                  - private_port: 5432
                publish_events:
                  - name: up
                    trigger: port-listen
                    data: "5432"
                    subscriptions:
                      - component: web
                        container: app
                """,
            extraComponents: webComponent
        ),
        severity: .warning,
        message: "port-listen on a postgres image will be probed as postgres-ready unless --raw-port-listen",
        line: 11,
        column: 22
    ),
]

@Suite("Broken manifests")
struct BrokenManifestTests {
    @Test("each broken manifest reports its own problem at the right line and column", arguments: brokenCases)
    func reports(_ broken: BrokenCase) throws {
        let diagnostics = Linter.lint(text: broken.yaml, file: "broken.yaml")
        let matching = diagnostics.filter { $0.message.contains(broken.message) }
        #expect(matching.count == 1, "diagnostics: \(diagnostics.map(\.description))")
        let found = try #require(matching.first)
        #expect(found.severity == broken.severity)
        #expect(found.file == "broken.yaml")
        #expect(found.line == broken.line, "\(found)")
        #expect(found.column == broken.column, "\(found)")
        #expect(found.description.hasPrefix("broken.yaml:\(broken.line):\(broken.column): \(broken.severity.rawValue): "))
        if broken.severity == .error {
            #expect(throws: ManifestError.self) { try Manifest.load(text: broken.yaml, file: "broken.yaml") }
        } else {
            #expect(diagnostics.errors.isEmpty, "unexpected errors: \(diagnostics.errors)")
        }
    }

    @Test("the sample manifests lint clean")
    func samplesAreClean() throws {
        for name in ["inventory.yaml", "demo.yaml"] {
            let diagnostics = Linter.lint(text: try exampleText(name), file: name)
            #expect(diagnostics.isEmpty, "\(name): \(diagnostics.map(\.description))")
        }
    }
}
