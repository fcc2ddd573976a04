/// Where a ledger's trust material lives, outside the store.
public struct LedgerKeyLocation: Sendable, Equatable {
    /// The Ed25519 ledger key (signed-note signer form), mode 0600.
    public let keyPath: String
    /// The checkpoints file: every checkpoint signed, oldest first.
    public let checkpointsPath: String

    public init(keyPath: String, checkpointsPath: String) {
        self.keyPath = keyPath
        self.checkpointsPath = checkpointsPath
    }
}

/// Why a checkpoint could not be made.
public enum LedgerCheckpointError: Error, Sendable, CustomStringConvertible {
    case key(KeyFileError)
    case file(CheckpointFileError)
    case ledger(LedgerError)

    public var description: String {
        switch self {
        case .key(let error): return error.description
        case .file(let error): return error.description
        case .ledger(let error): return error.description
        }
    }
}

extension Ledger {
    /// Signs a checkpoint of the whole log with the ledger key (created on first
    /// use) and appends it to the checkpoints file.
    @discardableResult
    public func checkpoint(at location: LedgerKeyLocation) throws(LedgerCheckpointError) -> SignedCheckpoint {
        let key: LedgerKey
        do { key = try LedgerKey.loadOrCreate(path: location.keyPath) } catch { throw .key(error) }
        let signed: SignedCheckpoint
        do { signed = try signedCheckpoint(with: key) } catch { throw .ledger(error) }
        do { try CheckpointFile.append(signed, path: location.checkpointsPath) } catch { throw .file(error) }
        return signed
    }

    /// A checkpoint of the whole log signed with `key`, kept nowhere.
    public func signedCheckpoint(with key: LedgerKey) throws(LedgerError) -> SignedCheckpoint {
        SignedCheckpoint.sign(Checkpoint(try treeHead()), with: key)
    }
}
