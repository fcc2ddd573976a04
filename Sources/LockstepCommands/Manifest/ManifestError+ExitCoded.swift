import LockstepManifest

extension ManifestError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .unreadable: return .notFound
        default: return .invalidData
        }
    }

    var userMessage: String {
        switch self {
        case .invalid, .render, .syntax:
            // One compiler-style line per problem; the first line already reads `file:line:col: error: ...`.
            let lines = diagnostics.errors.map(\.description)
            return "manifest has \(lines.count) error(s)\n" + lines.joined(separator: "\n")
        default:
            return description
        }
    }
}
