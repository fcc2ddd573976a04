/// What a container's exit status means (DESIGN.md §5: 125-127 are the
/// engine's, 137 is a kill), in the words a user should read.
public enum ExitInterpretation: Sendable, Hashable {
    case success
    /// The container's own process exited with this non-zero status.
    case failed(Int32)
    /// 125: the engine could not run the container; 126: the command could not
    /// be invoked; 127: the command was not found.
    case engineError(Int32)
    /// Terminated by a signal (status 128+signal); 137 is SIGKILL.
    case signaled(status: Int32, signal: Int32)

    public init(status: Int32) {
        switch status {
        case 0: self = .success
        case 125, 126, 127: self = .engineError(status)
        case 129...159: self = .signaled(status: status, signal: status - 128)
        default: self = .failed(status)
        }
    }

    /// "exited 0", "exited 3", "killed (137)", "engine error 125: ...".
    public static func describe(_ status: Int32, oomKilled: Bool = false) -> String {
        switch ExitInterpretation(status: status) {
        case .success, .failed:
            return "exited \(status)"
        case .engineError(125):
            return "engine error 125: the container engine could not create or start the container"
        case .engineError(126):
            return "engine error 126: the container's command could not be invoked (not executable?)"
        case .engineError(let code):
            return "engine error \(code): the container's command was not found in the image"
        case .signaled(let code, 9):
            return oomKilled ? "killed (\(code), out of memory)" : "killed (\(code))"
        case .signaled(let code, 15):
            return "terminated (\(code))"
        case .signaled(let code, let signal):
            return "stopped by signal \(signal) (\(code))"
        }
    }
}
