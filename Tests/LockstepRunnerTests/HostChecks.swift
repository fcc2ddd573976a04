import Foundation
import LockstepTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// What a user checks from the host, on 127.0.0.1: the app's answer, the process list.
enum HostChecks {
    /// The body of `GET /` on 127.0.0.1:port, retried until it answers or `seconds` pass
    /// (a started httpd may take a moment to listen).
    static func httpGet(port: Int, within seconds: Double = 10) async -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            if let body = httpGetOnce(port: port) { return body }
            try? await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        return nil
    }

    static func httpGetOnce(port: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/"), let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }

    /// Runs a host command (argument vector); status and combined output.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let output = try HostProcess.run(executable, arguments)
        return (output.status, output.combined)
    }
}

/// Samples `ps -eo args` until stopped: every command line of every process on the
/// host while an apply runs, to check that no secret is ever an argument.
final class ProcessListSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: Set<String> = []
    private var samples = 0
    private var task: Task<Void, Never>?

    func start(every interval: Duration = .milliseconds(50)) {
        task = Task.detached { [self] in
            while !Task.isCancelled {
                if let result = try? HostChecks.run("/bin/ps", ["-eo", "args"]), result.status == 0 {
                    let found = result.output.split(separator: "\n").map(String.init)
                    lock.withLock {
                        lines.formUnion(found)
                        samples += 1
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Stops sampling; the distinct command lines seen and how many samples were taken.
    func stop() async -> (lines: Set<String>, samples: Int) {
        task?.cancel()
        await task?.value
        return lock.withLock { (lines, samples) }
    }
}

/// A TCP listener on 127.0.0.1 that answers every connection with an HTTP line and
/// closes it: something listens on the port, but it is not PostgreSQL.
final class NotPostgresListener: @unchecked Sendable {
    let port: Int
    private let fd: Int32
    private let thread: Thread

    init(port: Int) throws {
        self.port = port
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ListenerError(description: "cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
        self.fd = fd
        thread = Thread {
            let reply = Array("HTTP/1.0 400 Bad Request\r\n\r\nnot postgres\n".utf8)
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                _ = send(client, reply, reply.count, Int32(MSG_NOSIGNAL))
                close(client)
            }
        }
        thread.start()
    }

    /// Closing the socket ends the accept loop.
    func stop() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }

    struct ListenerError: Error, CustomStringConvertible {
        var description: String
    }
}
