import Foundation

/// A C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the origin line,
/// the tree size in decimal, the base64 root hash, each ending in a newline.
/// It is the text of a signed note.
public struct Checkpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int64
    public let root: MerkleHash

    public init(origin: String, size: Int64, root: MerkleHash) {
        self.origin = origin
        self.size = size
        self.root = root
    }

    public init(_ head: LedgerTreeHead) {
        self.init(origin: head.origin, size: head.size, root: head.root)
    }

    public var text: String {
        "\(origin)\n\(size)\n\(root.base64)\n"
    }

    /// Parses a checkpoint body; extension lines after the root are allowed and ignored.
    public init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count >= 4, !lines[0].isEmpty,
            let size = Int64(lines[1]), size >= 0, String(size) == lines[1],
            let root = MerkleHash(base64: String(lines[2]))
        else { return nil }
        self.init(origin: String(lines[0]), size: size, root: root)
    }
}

/// A checkpoint as signed and read back.
public struct SignedCheckpoint: Sendable, Equatable {
    public let checkpoint: Checkpoint
    public let note: SignedNote

    public static func sign(_ checkpoint: Checkpoint, with key: LedgerKey) -> SignedCheckpoint {
        SignedCheckpoint(checkpoint: checkpoint, note: .sign(text: checkpoint.text, with: key))
    }

    /// Parses a signed checkpoint note; nil when it is not one.
    public init?(serialized: String) {
        guard let note = SignedNote.parse(serialized), let checkpoint = Checkpoint(text: note.text) else { return nil }
        self.init(checkpoint: checkpoint, note: note)
    }

    init(checkpoint: Checkpoint, note: SignedNote) {
        self.checkpoint = checkpoint
        self.note = note
    }
}
