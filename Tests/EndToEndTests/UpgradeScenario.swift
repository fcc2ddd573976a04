import Foundation
import LockstepTestSupport
import Testing

/// Every upgrade suite starts containers on the host network, so they run one at a time.
@Suite("lockstep upgrade, end to end", .serialized)
enum UpgradeEndToEnd {}

/// One customer's installation of the demo application (examples/demo): a vendor
/// session with its own store, a unique installation name, free ports for the
/// database and the web app, and a 0600 config file holding a random password.
struct UpgradeScenario: Sendable {
    struct Release: Sendable {
        var version: String
        var required: Bool
        var sql: String
    }

    /// The demo's releases (examples/demo/migrations.tsv); 1.2.0 and 1.4.0 are required.
    static let demoReleases: [Release] = [
        Release(
            version: "1.0.0",
            required: false,
            sql:
                "CREATE TABLE schema_history (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT clock_timestamp()); CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL); INSERT INTO schema_history (version) VALUES ('1.0.0');"
        ),
        Release(version: "1.1.0", required: false, sql: "INSERT INTO schema_history (version) VALUES ('1.1.0');"),
        Release(
            version: "1.2.0",
            required: true,
            sql: "ALTER TABLE items ADD COLUMN sku text; INSERT INTO schema_history (version) VALUES ('1.2.0');"
        ),
        Release(version: "1.3.0", required: false, sql: "INSERT INTO schema_history (version) VALUES ('1.3.0');"),
        Release(
            version: "1.4.0",
            required: true,
            sql:
                "CREATE TABLE invoices (id serial PRIMARY KEY, item_id int NOT NULL REFERENCES items(id)); INSERT INTO schema_history (version) VALUES ('1.4.0');"
        ),
        Release(
            version: "1.5.0",
            required: false,
            sql: "ALTER TABLE invoices ADD COLUMN total numeric(12,2) NOT NULL DEFAULT 0; INSERT INTO schema_history (version) VALUES ('1.5.0');"
        ),
    ]

    let cli: LockstepCLI
    let install: String
    let dbPort: Int
    let webPort: Int
    let password: String
    let configPath: String

    var dbContainer: String { "lockstep-\(install)-db-postgres" }
    var lockFile: String { cli.storePath + ".locks/\(install).lock" }

    /// Builds the test images (fails, never skips, without podman) and writes the config file.
    static func make(_ tag: String) async throws -> UpgradeScenario {
        try await TestImages.ensure(.busybox, .psql, .postgres)
        let cli = try LockstepCLI()
        let dbPort = try PostgresCluster.freePort()
        var webPort = try PostgresCluster.freePort()
        while webPort == dbPort { webPort = try PostgresCluster.freePort() }
        // URL-reserved characters on purpose: the demo pastes the password into a
        // postgresql:// URL through UrlEncode, and libpq must decode it back.
        let password = "pw@/:%?#-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(20).lowercased()
        let configPath = try cli.write("values.yaml", "db_password: \"\(password)\"\n")
        guard chmod(configPath, 0o600) == 0 else { throw ScenarioError("cannot chmod \(configPath)") }
        let install = "e2e-\(tag)-\(UUID().uuidString.prefix(8).lowercased())"
        return UpgradeScenario(cli: cli, install: install, dbPort: dbPort, webPort: webPort, password: password, configPath: configPath)
    }

    /// Runs `body` with a fresh scenario and always removes its containers and folder.
    static func with(_ tag: String, _ body: (UpgradeScenario) async throws -> Void) async throws {
        let scenario = try await make(tag)
        do {
            try await body(scenario)
        } catch {
            await scenario.cleanUp()
            throw error
        }
        await scenario.cleanUp()
    }

    func cleanUp() async {
        if let podman = Self.podmanPath,
            let listed = try? await PostgresCommand.run(podman, ["ps", "-aq", "--filter", "label=io.lockstep.install=\(install)"])
        {
            let ids = listed.stdout.split(whereSeparator: \.isNewline).map(String.init)
            if !ids.isEmpty { _ = try? await PostgresCommand.run(podman, ["rm", "-f", "-t", "0"] + ids) }
        }
        cli.removeFolder()
    }

    // MARK: Vendor

    /// The demo manifest of `version` with its migration SQL; `edit` changes the filled text.
    func manifest(_ version: String, sql: String, edit: (String) -> String = { $0 }) throws -> String {
        let template = try String(contentsOf: TestImages.repositoryRoot.appendingPathComponent("examples/demo/inventory.yaml.in"), encoding: .utf8)
        let filled =
            template
            .replacingOccurrences(of: "__VERSION__", with: version)
            .replacingOccurrences(of: "__DB_PORT__", with: String(dbPort))
            .replacingOccurrences(of: "__WEB_PORT__", with: String(webPort))
            .replacingOccurrences(of: "__SQL__", with: sql)
        return edit(filled)
    }

    /// `release create … --promote Stable [--required]`.
    func cut(_ release: Release, edit: (String) -> String = { $0 }) async throws {
        let path = try cli.write("inventory-\(release.version).yaml", try manifest(release.version, sql: release.sql, edit: edit))
        var arguments = [
            "release", "create", "--manifest", path, "--version", release.version, "--promote", "Stable", "--notes", "inventory \(release.version)",
        ]
        if release.required { arguments.append("--required") }
        let created = try await lockstep(arguments)
        #expect(created.status == 0, "release create \(release.version): \(created.combined)")
        guard created.status == 0 else { throw ScenarioError("release create \(release.version) failed") }
    }

    func cutAll(_ releases: [Release] = demoReleases) async throws {
        for release in releases { try await cut(release) }
    }

    // MARK: Customer

    /// Any lockstep command, run on its own thread (it blocks for seconds).
    func lockstep(_ arguments: [String], environment: [String: String] = [:]) async throws -> LockstepCLI.Output {
        var cli = self.cli
        cli.environment.merge(environment) { $1 }
        let session = cli
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try session.run(arguments: arguments) })
            }.start()
        }
    }

    /// `upgrade --install NAME ARGUMENTS…`.
    func upgrade(_ arguments: String..., environment: [String: String] = [:]) async throws -> LockstepCLI.Output {
        try await lockstep(["upgrade", "--install", install] + arguments, environment: environment)
    }

    /// The first install: `upgrade --to VERSION --network host --config FILE`.
    func installFirst(_ version: String = "1.0.0") async throws {
        let installed = try await upgrade("--to", version, "--network", "host", "--config", configPath)
        #expect(installed.status == 0, "install \(version): \(installed.combined)")
        guard installed.status == 0 else { throw ScenarioError("the first install failed") }
    }

    func status() async throws -> StatusJSON {
        let shown = try await lockstep(["status", "--install", install, "--output", "json"])
        guard shown.status == 0 else { throw ScenarioError("status failed: \(shown.combined)") }
        return try JSONDecoder().decode(StatusJSON.self, from: Data(shown.stdout.utf8))
    }

    func ledger(_ filters: String...) async throws -> [LedgerRowJSON] {
        let listed = try await lockstep(["ledger", "ls", "--install", install, "--limit", "0", "--order", "oldest", "--output", "json"] + filters)
        guard listed.status == 0 else { throw ScenarioError("ledger ls failed: \(listed.combined)") }
        return try JSONDecoder().decode([LedgerRowJSON].self, from: Data(listed.stdout.utf8))
    }

    func expectLedgerIntact(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let verified = try await lockstep(["ledger", "verify"])
        #expect(verified.status == 0, "ledger verify: \(verified.combined)", sourceLocation: sourceLocation)
        #expect(verified.stdout.contains("ledger intact"), "\(verified.combined)", sourceLocation: sourceLocation)
    }

    // MARK: What the user checks

    /// A query on the installation's database with the host's psql; the password
    /// travels in PGPASSWORD, never on a command line.
    func query(_ sql: String) async throws -> [String] {
        let result = try await PostgresCommand.run(
            "/usr/bin/psql",
            ["-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(dbPort), "-U", "postgres", "-d", "inventory", "-c", sql],
            environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "5"]
        )
        guard result.status == 0 else { throw ScenarioError("psql \(sql): \(result.stderr)") }
        return result.stdout.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// The migrations that ran, in the order they ran.
    func schemaHistory() async throws -> [String] {
        try await query("SELECT version FROM schema_history ORDER BY applied_at, version")
    }

    func columns(of table: String) async throws -> [String] {
        try await query("SELECT column_name FROM information_schema.columns WHERE table_name = '\(table)' ORDER BY ordinal_position")
    }

    /// What the web app answers on GET /, retried briefly (httpd starts just after its container).
    func appAnswer(within seconds: Double = 5) async -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let body = HTTPProbe.get(port: webPort) { return body.trimmingCharacters(in: .whitespacesAndNewlines) }
            try? await Task.sleep(for: .milliseconds(200))
        } while Date() < deadline
        return nil
    }

    /// This installation's containers by name: running, exited, created, ….
    func containers() async throws -> [String: String] {
        guard let podman = Self.podmanPath else { throw ScenarioError("podman is not installed") }
        let listed = try await PostgresCommand.run(
            podman,
            ["ps", "-a", "--filter", "label=io.lockstep.install=\(install)", "--format", "{{.Names}} {{.State}}"]
        )
        return Dictionary(
            listed.stdout.split(whereSeparator: \.isNewline).compactMap { line -> (String, String)? in
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return nil }
                // podman prints a status text ("Up 3 seconds ago", "Exited (0) …"); keep its first word's meaning.
                let state = parts[1].hasPrefix("Up") ? "running" : parts[1].hasPrefix("Exited") ? "exited" : parts[1].lowercased()
                return (parts[0], state)
            },
            uniquingKeysWith: { first, _ in first }
        )
    }

    static let podmanPath: String? = ["/usr/bin/podman", "/usr/local/bin/podman", "/bin/podman"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
