import Foundation
import LockstepManifest
import Testing

@Suite("Decoding manifests")
struct ManifestDecodingTests {
    @Test("the design's inventory example parses with every field")
    func inventoryExample() throws {
        let manifest = try Manifest.load(text: try exampleText("inventory.yaml"), file: "inventory.yaml")
        #expect(manifest.name == "inventory")
        #expect(manifest.warnings.isEmpty)
        let password = try #require(manifest.configItem(named: "db_password"))
        #expect(password.type == .password)
        #expect(password.defaultValue == "changeme")
        #expect(password.location == SourceLocation(file: "inventory.yaml", line: 5, column: 9))
        #expect(manifest.components.map(\.name) == ["db", "migrate", "web"])

        let db = try #require(manifest.container(ContainerID(component: "db", container: "postgres")))
        #expect(db.source == "public")
        #expect(db.imageReference == "postgres:15")
        #expect(db.isPostgresImage)
        #expect(db.envVars == [EnvVar(name: "POSTGRES_PASSWORD", value: #"{{repl ConfigOption "db_password"}}"#)])
        #expect(db.ports == [PortMapping(privatePort: 5432, publicPort: 5432, portType: .tcp)])
        #expect(db.location.line == 11)
        let ready = try #require(db.publishEvents.first)
        #expect(ready.name == "database accepts writes")
        #expect(ready.trigger == .postgresReady)
        #expect(ready.timeout == .seconds(600))
        #expect(ready.subscriptions.map(\.target) == [ContainerID(component: "migrate", container: "inventory")])
        #expect(ready.location == SourceLocation(file: "inventory.yaml", line: 22, column: 13))

        let migrate = try #require(manifest.container(ContainerID(component: "migrate", container: "inventory")))
        #expect(migrate.ephemeral)
        #expect(migrate.source == "replicated")
        #expect(migrate.imageReference == "inventory:2.3.0")
        #expect(migrate.cmd == ["/app/migrate", "up"])
        #expect(migrate.publishEvents.first?.trigger == .containerStop)

        let web = try #require(manifest.container(ContainerID(component: "web", container: "inventory")))
        #expect(!web.ephemeral)
        #expect(web.publishEvents.isEmpty)
        #expect(web.cmd == nil)
    }

    @Test("every container and event field decodes, strings or numbers alike")
    func everyField() throws {
        let text = """
            name: full
            config:
              - name: main
                title: Main
                items:
                  - name: mode
                    title: Mode
                    type: select_one
                    default: fast
                    value: slow
                    required: true
                    help_text: How fast.
                    items:
                      - name: fast
                      - name: slow
            components:
              - name: app
                containers:
                  - source: public
                    image_name: localhost/app
                    name: api
                    version: 1.2.3
                    cmd: [serve, --port, "8080"]
                    entrypoint: '["/bin/tini", "--"]'
                    env_vars:
                      - name: MODE
                        value: '{{repl ConfigOption "mode"}}'
                      - name: RAW
                        static_val: '{{repl literally}}'
                    ephemeral: false
                    ports:
                      - private_port: 8080
                        public_port: "18080"
                        port_type: udp
                      - private_port: "9090"
                    volumes:
                      - host_path: /srv/data
                        container_path: /data
                        options: [ro]
                    restart:
                      policy: on-failure
                      max: 5
                    stop_timeout: 45
                    publish_events:
                      - name: ready
                        trigger: exec
                        args: ["pg_isready", "-q"]
                        timeout: -1
                        subscriptions:
                          - component: app
                            container: worker
                            action: start
                      - name: listening
                        trigger: port-listen
                        data: "18080"
                        timeout: 30
                        subscriptions:
                          - component: app
                            container: worker
                  - image_name: worker
                    version: "2"
                    restart: unless-stopped
            """
        let manifest = try Manifest.load(text: text, file: "full.yaml")
        let item = try #require(manifest.configItem(named: "mode"))
        #expect(item.type == .selectOne && item.options == ["fast", "slow"] && item.required)
        #expect(item.value == "slow" && item.defaultValue == "fast" && item.helpText == "How fast." && item.title == "Mode")
        #expect(manifest.configGroups.first?.title == "Main")

        let api = try #require(manifest.container(ContainerID(component: "app", container: "api")))
        #expect(api.imageReference == "localhost/app:1.2.3")
        #expect(api.cmd == ["serve", "--port", "8080"])
        #expect(api.entrypoint == ["/bin/tini", "--"])
        #expect(api.envVars[1] == EnvVar(name: "RAW", value: "{{repl literally}}", isStatic: true))
        #expect(
            api.ports == [
                PortMapping(privatePort: 8080, publicPort: 18080, portType: .udp),
                PortMapping(privatePort: 9090, publicPort: nil, portType: .tcp),
            ]
        )
        #expect(api.volumes == [VolumeMount(hostPath: "/srv/data", containerPath: "/data", options: ["ro"])])
        #expect(api.restart == .onFailure(maxRetries: 5))
        #expect(api.restart?.engineArgument == "on-failure:5")
        #expect(api.stopTimeout == .seconds(45))
        let exec = api.publishEvents[0]
        #expect(exec.trigger == .exec && exec.args == ["pg_isready", "-q"] && exec.timeout == nil)
        #expect(api.publishEvents[1].timeout == .seconds(30))
        #expect(api.publishEvents[1].data == "18080")
        let worker = try #require(manifest.container(ContainerID(component: "app", container: "worker")))
        #expect(worker.restart == .unlessStopped)
    }

    @Test("unknown keys are warnings at the key; the manifest still loads")
    func unknownKeys() throws {
        let text = manifest(container: "version: \"15\"\nprivileged: true")
        let manifest = try Manifest.load(text: text, file: "m.yaml")
        #expect(manifest.warnings.map(\.description) == ["m.yaml:7:9: warning: unknown key 'privileged' in a container (ignored)"])
    }

    @Test("wrong types are errors at the value")
    func wrongTypes() {
        let text = manifest(container: "version: \"15\"\nephemeral: maybe\nports: 5432\nenv_vars:\n  - name: [A]")
        let errors = Linter.lint(text: text, file: "m.yaml").errors.map(\.description)
        #expect(
            errors == [
                "m.yaml:7:20: error: 'ephemeral' must be true or false, found 'maybe'",
                "m.yaml:8:16: error: 'ports' must be a list, found a scalar",
                "m.yaml:10:19: error: 'name' must be a string, found a list",
            ]
        )
    }
}
