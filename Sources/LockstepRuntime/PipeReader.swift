import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a child's output pipes until the child has exited and what it wrote
/// is drained. Waiting for end-of-file is not enough: `podman start` leaves
/// conmon holding inherited pipe ends for the container's whole life, so EOF
/// would only come when the container stops.
enum PipeReader {
    /// Calls `onData(index, bytes)` for data read from `fds[index]` and returns
    /// once `isRunning()` is false and nothing more is readable (or every pipe
    /// reached EOF).
    static func drain(_ fds: [Int32], isRunning: () -> Bool, onData: (Int, Data) -> Void) {
        var open = Array(repeating: true, count: fds.count)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while open.contains(true) {
            // Sampled before polling: whatever the child wrote before exiting
            // is already in the pipe, so a zero-timeout poll still sees it.
            let exited = !isRunning()
            var pollFDs = fds.enumerated().map { index, fd in
                pollfd(fd: open[index] ? fd : -1, events: Int16(POLLIN), revents: 0)
            }
            let ready = poll(&pollFDs, nfds_t(pollFDs.count), exited ? 0 : 50)
            if ready < 0 {
                if errno == EINTR { continue }
                return
            }
            if ready == 0 {
                if exited { return }
                continue
            }
            for index in pollFDs.indices where open[index] && pollFDs[index].revents != 0 {
                let count = read(fds[index], &buffer, buffer.count)
                if count > 0 {
                    onData(index, Data(buffer[0..<count]))
                } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
                    open[index] = false
                }
            }
        }
    }
}
