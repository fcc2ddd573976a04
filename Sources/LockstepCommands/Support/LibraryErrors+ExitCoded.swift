import LockstepProbe
import LockstepVersioning

extension SemanticVersionError: ExitCoded {
    var exitStatus: ExitStatus { .invalidData }
    var userMessage: String { description }
}

extension ConnectionStringError: ExitCoded {
    var exitStatus: ExitStatus { .invalidData }
    var userMessage: String { description }
}

extension PostgresError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .invalidConnectionString: .invalidData
        case .connectionFailed, .timedOut: .unavailable
        case .queryFailed, .cancelled: .failure
        }
    }

    var userMessage: String { description }
}
