/// Why a catalog operation was refused. Nothing is written when one is thrown.
public enum CatalogError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Kind: Sendable { case invalidData, notFound, refused, storage }

    case invalidVersion(channel: String, reason: String)
    case invalidManifest(file: String, line: Int, column: Int, reason: String)
    case invalidName(String, reason: String)
    case invalidImport(file: String, reason: String)
    case releaseNotFound(String)
    case channelNotFound(String, known: [String])
    case promotionNotFound(channel: String, selector: String)
    case installationNotFound(String)
    case duplicateRelease(version: String, sequence: Int64)
    case duplicateChannel(String)
    case duplicateOnChannel(version: String, channel: String, channelSequence: Int64, demoted: Bool)
    case channelArchived(String)
    case alreadyInState(String)
    /// The store refused a read or write (locked past the busy timeout, disk full, …).
    case database(operation: String, reason: String)
    case remoteNotFound(String)
    case mirroredChannel(String, remote: String)

    public var kind: Kind {
        switch self {
        case .invalidVersion, .invalidManifest, .invalidName, .invalidImport: return .invalidData
        case .releaseNotFound, .channelNotFound, .promotionNotFound, .installationNotFound, .remoteNotFound: return .notFound
        case .duplicateRelease, .duplicateChannel, .duplicateOnChannel, .channelArchived, .alreadyInState, .mirroredChannel: return .refused
        case .database: return .storage
        }
    }

    public var description: String {
        switch self {
        case .invalidVersion(let channel, let reason):
            return "\(reason); channel \(channel) orders releases by SemVer (create a channel with --no-semver for free-form labels)"
        case .invalidManifest(let file, let line, let column, let reason):
            return "\(file):\(line):\(column): \(reason)"
        case .invalidName(let name, let reason):
            return "invalid name \"\(name)\": \(reason)"
        case .invalidImport(let file, let reason):
            return "\(file): \(reason); nothing was imported"
        case .releaseNotFound(let reference):
            return "no release \(reference); `lockstep release ls` lists them"
        case .channelNotFound(let name, let known):
            return "no channel \"\(name)\"; known channels: \(known.joined(separator: ", "))"
        case .promotionNotFound(let channel, let selector):
            return "\(selector) is not on channel \(channel); `lockstep channel show \(channel)` lists its promotions"
        case .installationNotFound(let name):
            return "no installation \"\(name)\"; install one with `lockstep upgrade --to VERSION --install \(name)` or `lockstep install mark`"
        case .duplicateRelease(let version, let sequence):
            return "release \(version) already exists (sequence \(sequence)); releases are immutable, cut a new version"
        case .duplicateChannel(let name):
            return "channel \"\(name)\" already exists"
        case .duplicateOnChannel(let version, let channel, let channelSequence, let demoted):
            let hint = demoted ? "; it was demoted, use `lockstep channel undemote \(channel) \(version)` to restore it" : ""
            return "\(version) is already on channel \(channel) (channel sequence \(channelSequence))\(hint)"
        case .channelArchived(let name):
            return "channel \"\(name)\" is archived"
        case .alreadyInState(let message):
            return message
        case .database(let operation, let reason):
            return
                "cannot \(operation) the catalog: \(reason); nothing was changed — check that the store's disk has room and that no other program holds it locked"
        case .remoteNotFound(let name):
            return "no remote \"\(name)\"; `lockstep remote ls` lists them"
        case .mirroredChannel(let name, let remote):
            return "channel \(name) mirrors remote \(remote) and is read-only; change it on the vendor's side and run `lockstep sync \(remote)`"
        }
    }
}
