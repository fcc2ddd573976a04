import Foundation
import LockstepTestSupport

/// The application the runner tests install: a database, a psql migration that runs
/// once the database accepts writes, and a busybox web server started only after the
/// migration exited 0. One release is one value of this type, rendered to YAML.
struct ShopManifest {
    enum Database {
        /// The host's PostgreSQL (a `PostgresCluster`); a small container stands for it
        /// in the event graph and publishes its `postgres-ready` event, so that the
        /// migration follows a database event as it would with a database container.
        case host(port: Int)
        /// The database shipped as a container (TestImages.postgres), on host networking.
        case container(port: Int)
    }

    var release: String
    var database: Database
    var webPort: Int
    /// The migration's argument vector (the psql image); its environment has PGHOST,
    /// PGPORT, PGUSER, PGDATABASE and PGPASSWORD (the `db_password` config value).
    var migration: [String] = ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", "select 1"]
    var migrationTimeout: Int = 60
    /// What the container standing for the host database runs (a change replaces it).
    var gateCommand: [String] = ["sleep", "3600"]
    var readyTimeout: Int = 60
    /// Extra environment of the web container, as YAML `value`s (templates allowed).
    var webEnvironment: [String: String] = [:]
    /// The tag of the web container's busybox image (a tag not built locally is a missing image).
    var webImageVersion = "1"

    /// The next release with a changed database container (so it is replaced) that
    /// never becomes ready: its postgres-ready event points at a port nothing listens on.
    func withUnreadyDatabase(release: String) throws -> ShopManifest {
        var next = self
        next.release = release
        next.gateCommand = ["sleep", "3601"]
        next.database = .host(port: try PostgresCluster.freePort())
        next.readyTimeout = 2
        return next
    }

    static let user = "app"
    static let databaseName = "shop"

    var webPage: String { "shop \(release)" }

    var dbPort: Int {
        switch database {
        case .host(let port), .container(let port): port
        }
    }

    /// The key of the database component's container.
    var dbContainer: String {
        switch database {
        case .host: "gate"
        case .container: "postgres"
        }
    }

    var yaml: String {
        """
        name: shop
        config:
          - name: database
            items:
              - name: db_password
                type: password
                required: true
        components:
          - name: db
            containers:
        \(databaseContainer)
          - name: migrate
            containers:
              - source: public
                image_name: lockstep-test/psql
                name: migrate
                version: "1"
                ephemeral: true
                cmd: \(Self.yamlList(migration))
                env_vars:
                  - name: PGHOST
                    value: '{{repl NodePrivateIPAddress "db" "\(dbContainer)"}}'
                  - name: PGPORT
                    static_val: "\(dbPort)"
                  - name: PGUSER
                    static_val: \(Self.user)
                  - name: PGPASSWORD
                    value: '{{repl ConfigOption "db_password"}}'
                  - name: PGDATABASE
                    static_val: \(Self.databaseName)
                publish_events:
                  - name: migration finished
                    trigger: container-stop
                    timeout: \(migrationTimeout)
                    subscriptions:
                      - component: web
                        container: web
                        action: start
          - name: web
            containers:
              - source: public
                image_name: lockstep-test/busybox
                name: web
                version: "\(webImageVersion)"
                stop_timeout: 1
                cmd: \(Self.yamlList(["sh", "-c", "mkdir -p /www && echo '\(webPage)' > /www/index.html && exec httpd -f -p 127.0.0.1:\(webPort) -h /www"]))
        \(webEnvironmentYAML)
        """
    }

    private var readyEvent: String {
        """
                publish_events:
                  - name: database accepts writes
                    trigger: postgres-ready
                    data: 'postgresql://\(Self.user):{{repl ConfigOption "db_password"}}@{{repl NodePrivateIPAddress "db" "\(dbContainer)"}}:\(dbPort)/\(Self.databaseName)'
                    timeout: \(readyTimeout)
                    subscriptions:
                      - component: migrate
                        container: migrate
                        action: start
        """
    }

    private var databaseContainer: String {
        switch database {
        case .host:
            """
                  - source: public
                    image_name: lockstep-test/busybox
                    name: gate
                    version: "1"
                    stop_timeout: 1
                    cmd: \(Self.yamlList(gateCommand))
            \(readyEvent)
            """
        case .container(let port):
            """
                  - source: public
                    image_name: lockstep-test/postgres
                    name: postgres
                    version: "15"
                    stop_timeout: 5
                    env_vars:
                      - name: POSTGRES_PASSWORD
                        value: '{{repl ConfigOption "db_password"}}'
                      - name: POSTGRES_USER
                        static_val: \(Self.user)
                      - name: POSTGRES_DB
                        static_val: \(Self.databaseName)
                      - name: PGPORT
                        static_val: "\(port)"
            \(readyEvent)
            """
        }
    }

    private var webEnvironmentYAML: String {
        guard !webEnvironment.isEmpty else { return "" }
        let entries = webEnvironment.sorted { $0.key < $1.key }.map { "          - name: \($0.key)\n            value: '\($0.value)'" }
        return "        env_vars:\n" + entries.joined(separator: "\n")
    }

    /// A YAML flow list of double-quoted scalars (JSON string syntax, which YAML accepts).
    static func yamlList(_ items: [String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(items)) ?? Data("[]".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// A host cluster with the shop's role and database, the role's password given.
func startShopDatabase(password: String) async throws -> PostgresCluster {
    let cluster = try await PostgresCluster.start()
    do {
        try await prepareShopDatabase(cluster, password: password)
    } catch {
        await cluster.stop()
        throw error
    }
    return cluster
}

func prepareShopDatabase(_ cluster: PostgresCluster, password: String) async throws {
    let quoted = password.replacingOccurrences(of: "'", with: "''")
    try await cluster.psql("create role \(ShopManifest.user) login password '\(quoted)'")
    try await cluster.psql("create database \(ShopManifest.databaseName) owner \(ShopManifest.user)")
}

/// Runs `body` with a host cluster that has the shop's role (with `password`) and
/// database, and always stops the cluster afterwards.
func withShopDatabase(password: String, _ body: (PostgresCluster) async throws -> Void) async throws {
    let cluster = try await startShopDatabase(password: password)
    do {
        try await body(cluster)
    } catch {
        await cluster.stop()
        throw error
    }
    await cluster.stop()
}

/// A password for one test, fresh each time so that finding it anywhere means a leak.
func freshPassword() -> String {
    "pw-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16)
}

/// A psql argument vector that runs `sql` and stops at the first error.
func psqlMigration(_ sql: String) -> [String] {
    ["psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", sql]
}
