import Foundation
import LockstepProbe
import LockstepTestSupport
import Logging

/// Keeps every log line so tests can check what the probe said (and that no
/// password is among it).
final class RecordingLogHandler: LogHandler, @unchecked Sendable {
    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) {
            lock.lock()
            lines.append(line)
            lock.unlock()
        }
        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    init(store: Store) { self.store = store }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        store.append("\(event.level) \(event.message)")
    }
}

func recordingLogger() -> (Logger, RecordingLogHandler.Store) {
    let store = RecordingLogHandler.Store()
    return (Logger(label: "test.probe") { _ in RecordingLogHandler(store: store) }, store)
}

enum App {
    static let user = "app"
    static let password = "App-S3cret/pw!"
    static let database = "app"

    /// The app's URL on 127.0.0.1 (password percent-encoded, as a URL needs).
    static func url(port: Int) -> String {
        let encoded = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? password
        return "postgresql://\(user):\(encoded)@127.0.0.1:\(port)/\(database)"
    }
}

extension PostgresCluster {
    /// An application role with a password and its own database, as a vendor's image would create.
    func createApp() async throws {
        try await psql("CREATE ROLE \(App.user) LOGIN PASSWORD '\(App.password)'")
        try await psql("CREATE DATABASE \(App.database) OWNER \(App.user)")
    }

    func appURL(password: String = App.password, database: String = App.database) -> String {
        connectionURL(user: App.user, password: password, database: database)
    }
}

/// True when a bare TCP connect to 127.0.0.1:port succeeds — what a
/// port-listen check would call "ready".
func tcpConnects(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = UInt16(port).bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}

/// A TCP listener on 127.0.0.1 that accepts connections but is not
/// PostgreSQL: it either stays silent or answers with `reply` and hangs up.
final class FakeTCPListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private var accepted: [Int32] = []
    private var stopped = false

    init(reply: String? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            close(fd)
            throw PostgresClusterError.setupFailed("fake listener: \(String(cString: strerror(errno)))")
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in
            let fd = self.fd
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                if let reply {
                    _ = reply.withCString { write(client, $0, strlen($0)) }
                    close(client)
                } else {
                    lock.lock()
                    accepted.append(client)
                    lock.unlock()
                }
            }
        }
        thread.start()
    }

    func stop() {
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
        for descriptor in accepted { close(descriptor) }
    }
}
