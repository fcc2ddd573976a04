import Foundation

/// Why a repository operation or a client update was refused. Each names what failed
/// in one line, so a customer can tell an attacker's replay from a vendor's late refresh.
public enum RepositoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case malformed(file: String, reason: String)
    case signature(role: String, file: String, valid: Int, threshold: Int)
    case rollback(role: String, from: Int64, to: Int64)
    case versionMismatch(file: String, expected: Int64, found: Int64)
    case expired(role: String, at: String)
    case hashMismatch(file: String)
    case lengthMismatch(file: String, expected: Int64, found: Int64)
    case sizeCap(file: String, cap: Int)
    case notFound(file: String)
    case transport(file: String, reason: String)
    case unknownTarget(String)
    case keys(String)
    case io(String)

    public var description: String {
        switch self {
        case .malformed(let file, let reason): return "\(file): \(reason)"
        case .signature(let role, let file, let valid, let threshold):
            return "\(file): \(valid) valid \(role) signature(s), threshold is \(threshold) (bad signature or below threshold)"
        case .rollback(let role, let from, let to): return "rollback of \(role) from version \(from) to \(to) refused"
        case .versionMismatch(let file, let expected, let found):
            return "\(file): version \(found), expected \(expected) (metadata that never coexisted)"
        case .expired(let role, let at): return "\(role) metadata expired at \(at)"
        case .hashMismatch(let file): return "hash mismatch of \(file)"
        case .lengthMismatch(let file, let expected, let found):
            return "length mismatch of \(file): \(found) bytes, expected \(expected)"
        case .sizeCap(let file, let cap): return "\(file) exceeds the size cap of \(cap) bytes"
        case .notFound(let file): return "\(file) not found on the repository"
        case .transport(let file, let reason): return "\(file): \(reason)"
        case .unknownTarget(let name): return "no target \(name) in the signed targets metadata"
        case .keys(let message): return message
        case .io(let message): return message
        }
    }
}
