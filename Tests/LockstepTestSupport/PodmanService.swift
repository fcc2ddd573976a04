import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `podman system service` on a Unix socket in a temporary folder: the engine API
/// for tests of the API driver. Started by the test, stopped (and its folder removed)
/// by `stop()`; it fails, never skips, when podman is missing.
public final class PodmanService: @unchecked Sendable {
    public let folder: TemporaryDirectory
    public let socketPath: String
    private let process: Process

    /// `unix:///…/podman.sock`, as `--engine` and `LOCKSTEP_ENGINE` take it.
    public var url: String { "unix://" + socketPath }

    public init(podman: String = "/usr/bin/podman") throws {
        folder = try TemporaryDirectory(prefix: "lockstep-podman-api")
        socketPath = folder.appending("podman.sock").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: podman)
        // --time=0: no idle expiry; the test ends it.
        process.arguments = ["system", "service", "--time=0", "unix://" + socketPath]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        do {
            try process.run()
        } catch {
            folder.remove()
            throw PodmanServiceError("cannot start \(podman) system service: \(error); install podman (scripts/install-deps.sh)")
        }
        let deadline = Date().addingTimeInterval(15)
        while !Self.answers(socketPath) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw PodmanServiceError("podman system service did not listen on \(socketPath) within 15 s")
            }
            usleep(10_000)
        }
    }

    public func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        folder.remove()
    }

    /// Something accepts connections on the socket.
    static func answers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
    }
}

public struct PodmanServiceError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
