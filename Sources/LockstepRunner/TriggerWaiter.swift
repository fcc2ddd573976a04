import Foundation
import LockstepManifest
import LockstepProbe
import LockstepRuntime
import Logging

/// Waits for one event's trigger on a started container. Returns nil when it fired,
/// else why it did not (timeout or a fatal answer).
struct TriggerWaiter: Sendable {
    let engine: any ContainerEngine
    let logger: Logger
    let nodeAddress: String
    let rawPortListen: Bool
    let publishesPorts: Bool

    enum Kind: Equatable {
        case tcp(host: String, port: Int)
        case postgres(connection: String)
        case exec([String])
        case immediate
    }

    /// What a trigger means for this container; `postgres-ready` is lockstep's own.
    func kind(of event: ManifestEvent, on container: ManifestContainer) -> Kind {
        switch event.trigger {
        case .containerStart, .containerStop:
            return .immediate
        case .exec:
            return .exec(event.args)
        case .postgresReady:
            return .postgres(connection: event.data ?? "")
        case .portListen:
            let port = Int((event.data ?? "").trimmingCharacters(in: .whitespaces)) ?? 0
            let mapped = container.ports.first { $0.privatePort == port || $0.publicPort == port }
            let hostPort = publishesPorts ? (mapped?.publicPort ?? port) : (mapped?.privatePort ?? port)
            if container.isPostgresImage && !rawPortListen {
                return .postgres(connection: Self.postgresConnection(for: container, host: nodeAddress, port: hostPort))
            }
            return .tcp(host: nodeAddress, port: hostPort)
        }
    }

    /// The connection a postgres image's own environment describes, as the official image sets it up.
    static func postgresConnection(for container: ManifestContainer, host: String, port: Int) -> String {
        let environment = Dictionary(container.envVars.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
        let user = environment["POSTGRES_USER"] ?? "postgres"
        let database = environment["POSTGRES_DB"] ?? user
        var parts = ["host=\(host)", "port=\(port)", "user=\(quote(user))", "dbname=\(quote(database))"]
        if let password = environment["POSTGRES_PASSWORD"] { parts.append("password=\(quote(password))") }
        return parts.joined(separator: " ")
    }

    private static func quote(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    func wait(for kind: Kind, containerName: String, timeout: Duration?) async -> String? {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        switch kind {
        case .immediate:
            return nil
        case .tcp(let host, let port):
            let met = await Self.poll(until: deadline, firstDelay: .milliseconds(20)) {
                TCPCheck.canConnect(host: host, port: port)
            }
            return met ? nil : "nothing accepted connections on \(host):\(port) within \(Self.limit(timeout))"
        case .postgres(let connection):
            let remaining = deadline.map { $0 - ContinuousClock.now } ?? .seconds(86_400 * 365)
            let options = ProbeOptions(connection: connection, timeout: max(remaining, .zero), requireWritable: true)
            let report = await PostgresProbe(options: options, logger: logger).run()
            return report.outcome == .ready ? nil : "PostgreSQL not ready: \(report.outcome): \(report.message)"
        case .exec(let arguments):
            var last = ""
            let met = await Self.poll(until: deadline, firstDelay: .milliseconds(50)) {
                do {
                    let status = try await engine.exec(containerName, arguments)
                    last = "exited \(status)"
                    return status == 0
                } catch {
                    last = String(describing: error)
                    return false
                }
            }
            return met ? nil : "exec \(arguments.joined(separator: " ")) did not exit 0 within \(Self.limit(timeout)) (last: \(last))"
        }
    }

    /// A manifest's `timeout: -1` (or none) means no limit: a wait that ends anyway was cancelled.
    static func limit(_ timeout: Duration?) -> String {
        timeout.map { "\($0)" } ?? "no limit (cancelled)"
    }

    /// Retries `check` with a doubling delay capped at one second until it passes,
    /// the deadline would be overrun, or the task is cancelled.
    private static func poll(until deadline: ContinuousClock.Instant?, firstDelay: Duration, _ check: () async -> Bool) async -> Bool {
        var delay = firstDelay
        while !Task.isCancelled {
            if await check() { return true }
            if let deadline, ContinuousClock.now + delay > deadline { return false }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(1))
        }
        return false
    }
}

/// A bare TCP connect with a short timeout: what `port-listen` means, and exactly the
/// check that a PostgreSQL readiness decision must not rely on.
enum TCPCheck {
    static func canConnect(host: String, port: Int, timeoutMilliseconds: Int32 = 500) -> Bool {
        guard port > 0, port < 65536 else { return false }
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else { return false }
        let flags = fcntl(descriptor, F_GETFL, 0)
        _ = fcntl(descriptor, F_SETFL, flags | O_NONBLOCK)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return true }
        guard errno == EINPROGRESS else { return false }
        var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, timeoutMilliseconds) == 1 else { return false }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0
    }
}
