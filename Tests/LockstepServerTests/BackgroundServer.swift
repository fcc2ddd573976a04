import Foundation
import LockstepTestSupport

/// A server process the test starts and stops: `lockstep serve` or nginx.
/// Standard error is collected so a test can read the access log.
final class BackgroundServer: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var errorText = ""
    private(set) var port = 0

    var stderr: String { lock.withLock { errorText } }

    /// Starts `executable`; `port` is given, or read from the `on http://HOST:PORT/` line it prints.
    init(_ executable: String, _ arguments: [String], port: Int? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let errorPipe = Pipe()
        process.standardError = errorPipe
        process.standardOutput = FileHandle.nullDevice
        errorPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.errorText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if let port, Self.accepts(port: port) {
                self.port = port
                return
            }
            if port == nil, let found = Self.announcedPort(in: stderr) {
                self.port = found
                return
            }
            guard process.isRunning else { break }
            usleep(20_000)
        }
        process.terminate()
        throw ServerStartError(description: "\(executable) did not start listening: \(stderr)")
    }

    static func lockstepServe(_ directory: String, extra: [String] = []) throws -> BackgroundServer {
        try BackgroundServer(LockstepCLI.binaryPath, ["serve", directory, "--listen", "127.0.0.1:0"] + extra)
    }

    var base: String { "http://127.0.0.1:\(port)" }

    /// Sends `signal` and waits for the exit status (nil if it did not exit within `timeout` seconds).
    func stop(signal: Int32 = SIGTERM, timeout: Double = 15) -> Int32? {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    static func announcedPort(in text: String) -> Int? {
        guard let range = text.range(of: #"on http://127\.0\.0\.1:([0-9]+)/"#, options: .regularExpression) else { return nil }
        let match = text[range]
        return Int(match.dropFirst("on http://127.0.0.1:".count).dropLast())
    }

    static func accepts(port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return false }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// A port nothing listens on right now (the kernel's pick for a socket bound to port 0).
    static func freePort() -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ServerStartError: Error, CustomStringConvertible {
    let description: String
}
