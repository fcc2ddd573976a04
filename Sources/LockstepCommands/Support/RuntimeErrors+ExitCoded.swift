import LockstepRuntime

extension RuntimeError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .engineNotInstalled, .launchFailed, .engineUnreachable: .unavailable
        case .unknownEngine, .invalidEngineURL: .usage
        case .imageMissing, .containerNotFound: .notFound
        case .containerExists: .refused
        case .invalidEnvironment: .invalidData
        case .commandFailed, .unexpectedOutput, .engineRefused: .failure
        }
    }

    var userMessage: String { description }
}
