import Foundation

/// A throwaway PostgreSQL cluster for tests: `initdb` and `pg_ctl` of the
/// installed PostgreSQL (as the `postgres` user when running as root), in a
/// temporary folder, listening on a free 127.0.0.1 port and on a Unix socket
/// inside that folder. Call `stop()` when done (or use `withCluster`).
public final class PostgresCluster: Sendable {
    public enum Authentication: String, Sendable {
        /// Host connections must give the password (needed to test a wrong one).
        case scramSHA256 = "scram-sha-256"
        case trust
    }

    public struct Options: Sendable {
        public var authentication: Authentication
        public var superuserPassword: String
        /// Wait until the server accepts connections (`pg_ctl start -w`).
        public var waitUntilReady: Bool
        /// Extra `postgresql.conf` settings, written verbatim (`key = value`).
        public var settings: [String: String]

        public init(
            authentication: Authentication = .scramSHA256,
            superuserPassword: String = "pg-Super-s3cret",
            waitUntilReady: Bool = true,
            settings: [String: String] = [:]
        ) {
            self.authentication = authentication
            self.superuserPassword = superuserPassword
            self.waitUntilReady = waitUntilReady
            self.settings = settings
        }
    }

    public static let binDirectory = ProcessInfo.processInfo.environment["LOCKSTEP_PG_BIN"] ?? "/usr/lib/postgresql/15/bin"
    public static let serverUser = "postgres"

    public let port: Int
    public let directory: TemporaryDirectory
    public let superuser = "postgres"
    public let superuserPassword: String
    public var dataDirectory: URL { directory.appending("data") }
    public var socketDirectory: URL { directory.appending("socket") }
    public var logFile: URL { directory.appending("server.log") }

    private init(port: Int, directory: TemporaryDirectory, superuserPassword: String) {
        self.port = port
        self.directory = directory
        self.superuserPassword = superuserPassword
    }

    /// initdb + start. With `waitUntilReady: false` it returns as soon as
    /// `pg_ctl` launched the server, which may not accept connections yet.
    public static func start(_ options: Options = Options()) async throws -> PostgresCluster {
        let cluster = try await create(options)
        do {
            try await cluster.startServer(wait: options.waitUntilReady)
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    /// initdb only; start it with `startServer(wait:)`.
    public static func create(_ options: Options = Options()) async throws -> PostgresCluster {
        let directory = try TemporaryDirectory(prefix: "lockstep-pg")
        do {
            try directory.handOver(to: serverUser)
            let cluster = PostgresCluster(port: try freePort(), directory: directory, superuserPassword: options.superuserPassword)
            let passwordFile = directory.appending("pwfile")
            try Data((options.superuserPassword + "\n").utf8).write(to: passwordFile)
            try cluster.giveToServerUser(passwordFile.path)
            try await PostgresCommand.check(
                tool("initdb"),
                [
                    "-D", cluster.dataDirectory.path, "-U", "postgres", "--pwfile", passwordFile.path,
                    "--auth-local=trust", "--auth-host=\(options.authentication.rawValue)",
                    "-E", "UTF8", "--locale=C", "--no-sync",
                ],
                currentDirectory: directory.url,
                asUser: serverUser
            )
            try? FileManager.default.removeItem(at: passwordFile)
            try FileManager.default.createDirectory(at: cluster.socketDirectory, withIntermediateDirectories: true)
            try cluster.giveToServerUser(cluster.socketDirectory.path)
            try cluster.appendSettings(
                baseSettings(port: cluster.port, socketDirectory: cluster.socketDirectory.path)
                    .merging(options.settings) { $1 }
            )
            return cluster
        } catch {
            directory.remove()
            throw error
        }
    }

    /// A streaming standby of this (running) cluster made with pg_basebackup
    /// and standby.signal. With `hotStandby: false` it never accepts
    /// connections (57P03); with `true` it accepts read-only ones.
    public func startStandby(hotStandby: Bool, wait: Bool = true) async throws -> PostgresCluster {
        let directory = try TemporaryDirectory(prefix: "lockstep-pg-standby")
        do {
            try directory.handOver(to: Self.serverUser)
            let standby = PostgresCluster(port: try Self.freePort(), directory: directory, superuserPassword: superuserPassword)
            try await PostgresCommand.check(
                Self.tool("pg_basebackup"),
                [
                    "-h", "127.0.0.1", "-p", String(port), "-U", superuser,
                    "-D", standby.dataDirectory.path, "-R", "-X", "stream", "--no-sync", "-c", "fast",
                ],
                environment: ["PGPASSWORD": superuserPassword],
                currentDirectory: directory.url,
                asUser: Self.serverUser
            )
            try FileManager.default.createDirectory(at: standby.socketDirectory, withIntermediateDirectories: true)
            try standby.giveToServerUser(standby.socketDirectory.path)
            var settings = Self.baseSettings(port: standby.port, socketDirectory: standby.socketDirectory.path)
            settings["hot_standby"] = hotStandby ? "on" : "off"
            try standby.appendSettings(settings)
            try await standby.startServer(wait: wait)
            return standby
        } catch {
            _ = try? await PostgresCommand.run(
                Self.tool("pg_ctl"),
                ["-D", directory.appending("data").path, "stop", "-m", "immediate"],
                asUser: Self.serverUser
            )
            directory.remove()
            throw error
        }
    }

    public func startServer(wait: Bool = true) async throws {
        var arguments = ["-D", dataDirectory.path, "-l", logFile.path, "start"]
        arguments.append(wait ? "-w" : "-W")
        if !FileManager.default.fileExists(atPath: logFile.path) {
            _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
            try giveToServerUser(logFile.path)
        }
        try await PostgresCommand.check(Self.tool("pg_ctl"), arguments, currentDirectory: directory.url, asUser: Self.serverUser)
    }

    /// Stops the server; `immediate` skips the shutdown checkpoint.
    public func stopServer(mode: String = "fast") async throws {
        try await PostgresCommand.check(
            Self.tool("pg_ctl"),
            ["-D", dataDirectory.path, "stop", "-w", "-m", mode],
            currentDirectory: directory.url,
            asUser: Self.serverUser
        )
    }

    /// Stops the server (if running) and deletes the cluster's folder.
    public func stop() async {
        _ = try? await PostgresCommand.run(
            Self.tool("pg_ctl"),
            ["-D", dataDirectory.path, "stop", "-w", "-m", "immediate"],
            currentDirectory: directory.url,
            asUser: Self.serverUser
        )
        directory.remove()
    }

    /// A URL for 127.0.0.1 and this cluster's port; the password defaults to the superuser's.
    public func connectionURL(user: String = "postgres", password: String? = nil, database: String = "postgres") -> String {
        let secret = password ?? (user == superuser ? superuserPassword : nil)
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text }
        let userInfo = secret.map { "\(encode(user)):\(encode($0))" } ?? encode(user)
        return "postgresql://\(userInfo)@127.0.0.1:\(port)/\(encode(database))"
    }

    /// Runs SQL with psql as the superuser over TCP; returns unaligned, tuples-only output.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") async throws -> String {
        let result = try await PostgresCommand.check(
            Self.tool("psql"),
            [
                "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port),
                "-U", superuser, "-d", database, "-c", sql,
            ],
            environment: ["PGPASSWORD": superuserPassword, "PGCONNECT_TIMEOUT": "5"]
        )
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func serverLog() -> String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }

    /// Runs `body` with a started cluster and always stops it afterwards.
    public static func withCluster<T>(
        _ options: Options = Options(),
        _ body: (PostgresCluster) async throws -> T
    ) async throws -> T {
        let cluster = try await start(options)
        do {
            let value = try await body(cluster)
            await cluster.stop()
            return value
        } catch {
            await cluster.stop()
            throw error
        }
    }

    public static func tool(_ name: String) -> String { "\(binDirectory)/\(name)" }

    private static func baseSettings(port: Int, socketDirectory: String) -> [String: String] {
        [
            "listen_addresses": "'127.0.0.1'", "port": String(port),
            "unix_socket_directories": "'\(socketDirectory)'",
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "shared_buffers": "16MB", "max_connections": "30", "max_wal_senders": "4",
            "log_line_prefix": "'%m [%p] '", "logging_collector": "off",
        ]
    }

    private func appendSettings(_ settings: [String: String]) throws {
        let file = dataDirectory.appendingPathComponent("postgresql.conf")
        let lines = settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "\n")
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n# lockstep tests\n" + lines + "\n").utf8))
    }

    private func giveToServerUser(_ path: String) throws {
        guard geteuid() == 0, let entry = getpwnam(Self.serverUser) else { return }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw PostgresClusterError.setupFailed("cannot chown \(path) to \(Self.serverUser)")
        }
    }

    /// A port nothing listens on right now (the kernel's pick for port 0).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresClusterError.setupFailed("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw PostgresClusterError.setupFailed("cannot find a free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

public enum PostgresClusterError: Error, CustomStringConvertible {
    case setupFailed(String)
    case commandFailed(command: String, status: Int32, output: String)

    public var description: String {
        switch self {
        case .setupFailed(let message):
            return "\(message) (PostgreSQL 15 server binaries are expected in \(PostgresCluster.binDirectory); set LOCKSTEP_PG_BIN otherwise)"
        case .commandFailed(let command, let status, let output):
            return "\(command) exited with status \(status): \(output)"
        }
    }
}
