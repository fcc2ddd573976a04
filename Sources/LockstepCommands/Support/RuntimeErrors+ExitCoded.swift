import LockstepRuntime

extension RuntimeError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .engineNotInstalled, .launchFailed: .unavailable
        case .unknownEngine: .usage
        case .imageMissing, .containerNotFound: .notFound
        case .containerExists: .refused
        case .invalidEnvironment: .invalidData
        case .commandFailed, .unexpectedOutput: .failure
        }
    }

    var userMessage: String { description }
}
