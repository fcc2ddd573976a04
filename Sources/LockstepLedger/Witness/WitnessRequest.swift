import Foundation

/// The body of a witness add-checkpoint request, as C2SP tlog-witness frames it:
/// `old <size>`, the consistency proof as base64 hashes one per line, a blank
/// line, then the signed checkpoint note.
public struct WitnessRequest: Sendable {
    public let oldSize: Int64
    public let proof: [MerkleHash]
    public let checkpoint: SignedCheckpoint

    public init(oldSize: Int64, proof: [MerkleHash], checkpoint: SignedCheckpoint) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    public var body: String {
        "old \(oldSize)\n" + proof.map { $0.base64 + "\n" }.joined() + "\n" + checkpoint.note.serialized
    }

    /// Parses a body; nil when it is not framed as above.
    public init?(body: String) {
        guard let blank = body.range(of: "\n\n") else { return nil }
        let head = body[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = head.first, first.hasPrefix("old "), let old = Int64(first.dropFirst(4)), old >= 0,
            String(old) == first.dropFirst(4)
        else { return nil }
        var proof: [MerkleHash] = []
        for line in head.dropFirst() {
            guard let hash = MerkleHash(base64: String(line)) else { return nil }
            proof.append(hash)
        }
        guard proof.count <= 63, let checkpoint = SignedCheckpoint(serialized: String(body[blank.upperBound...])) else { return nil }
        self.init(oldSize: old, proof: proof, checkpoint: checkpoint)
    }
}

/// Why a witness refused a checkpoint; each maps to one HTTP status.
public enum WitnessRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// 400: the body is not a request.
    case malformed(String)
    /// 403: no key is known for the origin, or the note is not signed by it.
    case untrusted(String)
    /// 409 with the size the witness holds: the client's old size is stale.
    case sizeMismatch(held: Int64)
    /// 409: the proof does not show the held tree is a prefix of the new one.
    case inconsistent(String)
    /// 500: the witness's own store failed.
    case storage(String)

    public var description: String {
        switch self {
        case .malformed(let reason): return "bad request: \(reason)"
        case .untrusted(let reason): return reason
        case .sizeMismatch(let held): return "the witness holds a checkpoint of size \(held)"
        case .inconsistent(let reason): return reason
        case .storage(let reason): return "the witness store failed: \(reason)"
        }
    }
}
