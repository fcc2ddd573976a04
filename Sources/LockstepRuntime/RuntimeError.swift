/// Errors of the container engine driver. Descriptions tell the user what to
/// do; engine output is redacted of the secret values the driver was given.
public enum RuntimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No podman/docker executable on the search path (`requested` nil: autodetect).
    case engineNotInstalled(requested: EngineKind?, searchPath: String)
    /// `--runtime` / `LOCKSTEP_RUNTIME` named something other than podman or docker.
    case unknownEngine(String)
    case imageMissing(image: String)
    case containerNotFound(name: String)
    case containerExists(name: String)
    /// The engine ran and failed; `stderr` is already redacted.
    case commandFailed(engine: EngineKind, subcommand: String, status: Int32, stderr: String)
    /// The engine's output could not be understood.
    case unexpectedOutput(engine: EngineKind, subcommand: String, detail: String)
    /// The engine executable could not be launched at all.
    case launchFailed(path: String, reason: String)
    /// An environment variable that cannot travel through an env-file. Never
    /// carries the value.
    case invalidEnvironment(name: String, reason: String)
    /// The engine API answered with an error status; `message` is the API's own
    /// (redacted of the secret values the driver was given).
    case engineRefused(engine: EngineKind, operation: String, status: Int, message: String)
    /// Nothing answered at the engine API's address (or the connection broke).
    case engineUnreachable(endpoint: String, reason: String)
    /// `--engine` / `LOCKSTEP_ENGINE` / `CONTAINER_HOST` / `DOCKER_HOST` is not a URL lockstep can dial.
    case invalidEngineURL(source: String, value: String)

    public var description: String {
        switch self {
        case .engineNotInstalled(let requested?, let path):
            return "container engine \(requested.rawValue) is not installed (searched PATH \(path)); "
                + "install it, or choose another with --runtime / LOCKSTEP_RUNTIME"
        case .engineNotInstalled(nil, let path):
            return "no container engine found: neither podman nor docker is on PATH (\(path)); "
                + "install podman (with runc) or docker, or set LOCKSTEP_RUNTIME"
        case .unknownEngine(let value):
            return "unknown container engine '\(value)'; use --runtime podman or --runtime docker"
        case .imageMissing(let image):
            return "image \(image) not found locally; build or pull it (lockstep never pulls on its own)"
        case .containerNotFound(let name):
            return "container \(name) does not exist"
        case .containerExists(let name):
            return "a container named \(name) already exists; remove it first (`podman rm \(name)`)"
        case .commandFailed(let engine, let subcommand, let status, let stderr):
            let detail = stderr.isEmpty ? "" : ": \(stderr)"
            return "\(engine.rawValue) \(subcommand) failed with status \(status)\(detail)"
        case .unexpectedOutput(let engine, let subcommand, let detail):
            return "could not understand the output of \(engine.rawValue) \(subcommand): \(detail)"
        case .launchFailed(let path, let reason):
            return "could not run \(path): \(reason)"
        case .invalidEnvironment(let name, let reason):
            return "environment variable \(name) cannot be passed to the container: \(reason)"
        case .engineRefused(let engine, let operation, let status, let message):
            let detail = message.isEmpty ? "" : ": \(message)"
            return "\(engine.rawValue) API \(operation) failed with HTTP status \(status)\(detail)"
        case .engineUnreachable(let endpoint, let reason):
            return "no container engine answers at \(endpoint) (\(reason)); start it (`podman system service`), "
                + "or choose another with --engine / LOCKSTEP_ENGINE"
        case .invalidEngineURL(let source, let value):
            return "\(source) '\(value)' is not an engine address; use unix:///path/to/socket or tcp://host:port"
        }
    }
}
