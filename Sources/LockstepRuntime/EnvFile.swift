import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An `--env-file` in lockstep's own private folder (0700, on a tmpfs where one exists:
/// `/dev/shm`, else `$XDG_RUNTIME_DIR`), the file itself created 0600 with O_EXCL, so
/// values never reach a process list, a disk, or another user. The caller removes it
/// right after `create`; a run killed in between leaves it, and the next run sweeps
/// every file whose creating process no longer runs.
struct EnvFile {
    let url: URL

    /// The env-file format is one `NAME=value` line per variable with no
    /// quoting, so a value holding a line break (or NUL) cannot be represented;
    /// it is refused rather than silently split.
    static func validate(_ variables: [EnvironmentVariable]) throws(RuntimeError) {
        for variable in variables {
            let name = variable.name
            if name.isEmpty || name.contains("=") || name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0 == "\0" }) {
                throw .invalidEnvironment(
                    name: name.isEmpty ? "(empty name)" : name,
                    reason: "the name must be non-empty, without '=', spaces or line breaks"
                )
            }
            if variable.value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) {
                throw .invalidEnvironment(
                    name: name,
                    reason: "its value contains a line break or NUL, which an env-file cannot carry; encode it (e.g. base64) in the manifest"
                )
            }
            if name.hasPrefix("#") {
                throw .invalidEnvironment(name: name, reason: "a name starting with '#' reads as a comment in an env-file")
            }
        }
    }

    static func write(_ variables: [EnvironmentVariable]) throws(RuntimeError) -> EnvFile {
        try validate(variables)
        let directory = try EnvFolder.prepare()
        EnvFolder.sweep(directory)
        let url = directory.appendingPathComponent("\(getpid())-\(UUID().uuidString).env")
        let file = EnvFile(url: url)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw .launchFailed(path: url.path, reason: "cannot create the env-file: \(String(cString: strerror(errno)))")
        }
        let content = Array(variables.map { "\($0.name)=\($0.value)\n" }.joined().utf8)
        let written = content.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        close(fd)
        guard written == content.count else {
            file.remove()
            throw .launchFailed(path: url.path, reason: "cannot write the env-file")
        }
        return file
    }

    func remove() {
        unlink(url.path)
    }
}
