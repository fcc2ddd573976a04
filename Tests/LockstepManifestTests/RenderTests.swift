import Foundation
import LockstepManifest
import Testing

@Suite("Rendering templates")
struct RenderTests {
    let inventory: Manifest

    init() throws {
        inventory = try Manifest.load(text: try exampleText("inventory.yaml"), file: "inventory.yaml")
    }

    private func db(_ rendered: RenderedManifest) throws -> ManifestContainer {
        try #require(rendered.container(ContainerID(component: "db", container: "postgres")))
    }

    @Test("defaults apply when no value is given; node address fills NodePrivateIPAddress")
    func defaults() throws {
        let rendered = try inventory.render(values: ConfigValues(), nodeAddress: "10.0.0.7")
        let db = try db(rendered)
        #expect(db.envVars.first?.value == "changeme")
        #expect(db.publishEvents.first?.data == "postgresql://app:changeme@10.0.0.7:5432/app")
        #expect(rendered.secrets == ["changeme"])
    }

    @Test("--set wins over the config file, which wins over defaults; passwords land in secrets")
    func precedence() throws {
        let file = try ConfigValues.parse(yaml: "db_password: from-file\n", file: "values.yaml")
        let set = try ConfigValues.parse(setArguments: ["db_password=s3cr=t"])
        let fromFile = try inventory.render(values: file)
        #expect(try db(fromFile).envVars.first?.value == "from-file")
        #expect(fromFile.secrets == ["from-file"])
        let both = try inventory.render(values: file.merging(set))
        // The example encodes the password for the URL (UrlEncode): '=' becomes %3D.
        #expect(try db(both).publishEvents.first?.data == "postgresql://app:s3cr%3Dt@127.0.0.1:5432/app")
        #expect(both.secrets == ["s3cr=t"])
        #expect(both.redact("connect postgresql://app:s3cr=t@x") == "connect postgresql://app:***@x")
    }

    @Test("config files: plain mapping, Replicated's values:, KOTS spec.values with value entries")
    func configFileShapes() throws {
        let plain = try ConfigValues.parse(yaml: "a: 1\nb: true\nc: text\nd:\n", file: "v.yaml")
        #expect(plain.values == ["a": "1", "b": "true", "c": "text"])
        let replicated = try ConfigValues.parse(yaml: "values:\n  a: x\n  b:\n    value: y\n", file: "v.yaml")
        #expect(replicated.values == ["a": "x", "b": "y"])
        let kots = try ConfigValues.parse(
            yaml: "apiVersion: kots.io/v1beta1\nkind: ConfigValues\nspec:\n  values:\n    a:\n      value: z\n",
            file: "v.yaml"
        )
        #expect(kots.values == ["a": "z"])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lockstep-values-\(UUID().uuidString).yaml")
        try "db_password: on-disk\n".write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try ConfigValues.load(yamlFile: url.path)["db_password"] == "on-disk")
    }

    @Test("bad --set and bad values files are refused without echoing values")
    func badValues() {
        #expect(throws: ManifestError.self) { try ConfigValues.parse(setArguments: ["novalue"]) }
        #expect(throws: ManifestError.self) { try ConfigValues.parse(setArguments: ["=x"]) }
        do {
            _ = try ConfigValues.parse(yaml: "a: [hunter2, other]\n", file: "v.yaml")
            Issue.record("a list value must be refused")
        } catch {
            #expect("\(error)".contains("v.yaml:1:1"))
            #expect(!"\(error)".contains("hunter2"))
        }
    }

    @Test("a required value that is missing is a render error at the template's line and column")
    func missingRequired() throws {
        let text = """
            name: t
            config:
              - name: g
                items:
                  - name: license_key
                    type: password
                    required: true
            components:
              - name: app
                containers:
                  - image_name: app
                    version: "1"
                    env_vars:
                      - name: KEY
                        value: 'key={{repl ConfigOption "license_key"}}'
            """
        let manifest = try Manifest.load(text: text, file: "m.yaml")
        #expect(manifest.warnings.map(\.location.line) == [5])
        do {
            _ = try manifest.render(values: ConfigValues())
            Issue.record("render must fail")
        } catch {
            #expect(
                error.diagnostics.map(\.description) == [
                    "m.yaml:15:25: error: required config item 'license_key' has no value: give one with --set license_key=VALUE or in the --config file"
                ]
            )
        }
        let rendered = try manifest.render(values: ConfigValues(["license_key": "K-123"]))
        #expect(rendered.containers.first?.envVars.first?.value == "key=K-123")
        #expect(rendered.secrets == ["K-123"])
    }

    @Test("other functions: equals, data, exposed port, this node; cmd and static values")
    func functions() throws {
        let text = #"""
            name: t
            config:
              - name: g
                items:
                  - name: mode
                    default: fast
                  - name: cert
                    type: file
                    value: aGVsbG8=
            components:
              - name: app
                containers:
                  - image_name: app
                    version: "1"
                    cmd: '["run", "--fast={{repl ConfigOptionEquals \"mode\" \"fast\"}}"]'
                    entrypoint: ["/bin/sh", "{{repl ThisNodePublicIPAddress}}"]
                    ports:
                      - private_port: 80
                        public_port: 8081
                    env_vars:
                      - name: SLOW
                        value: '{{repl ConfigOptionNotEquals "mode" "fast"}}'
                      - name: CERT
                        value: '{{repl ConfigOptionData "cert"}}'
                      - name: URL
                        value: http://{{repl NodePublicIPAddress "app" "app"}}:{{repl ContainerExposedPort "app" "app" "80"}}/
                      - name: RAW
                        static_val: '{{repl ConfigOption "mode"}}'
            """#
        let rendered = try Manifest.load(text: text, file: "m.yaml").render(values: ConfigValues(), nodeAddress: "192.0.2.1")
        let app = try #require(rendered.containers.first)
        #expect(app.cmd == ["run", "--fast=true"])
        #expect(app.entrypoint == ["/bin/sh", "192.0.2.1"])
        #expect(app.envVars.map(\.value) == ["false", "hello", "http://192.0.2.1:8081/", #"{{repl ConfigOption "mode"}}"#])
        #expect(rendered.secrets.isEmpty)
    }

    @Test("the demo manifest renders completely")
    func demo() throws {
        let rendered = try Manifest.load(text: try exampleText("demo.yaml"), file: "demo.yaml")
            .render(values: ConfigValues(["db_password": "pw"]))
        let migrate = try #require(rendered.container(ContainerID(component: "migrate", container: "migrate")))
        #expect(migrate.envVars.map(\.name) == ["PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE"])
        #expect(migrate.envVars.map(\.value) == ["127.0.0.1", "55432", "app", "pw", "app"])
        #expect(migrate.imageReference == "localhost/lockstep-demo-migrate:1.0.0")
        #expect(rendered.secrets == ["pw"])
        for container in rendered.containers {
            let encoded = String(decoding: try JSONEncoder().encode(container), as: UTF8.self)
            #expect(!encoded.contains("{{repl"), "\(container.id) still holds a template")
        }
    }
}
