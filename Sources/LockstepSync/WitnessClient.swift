import AsyncHTTPClient
import Foundation
import LockstepLedger
import NIOCore

/// Why a witness did not cosign.
public enum WitnessClientError: Error, Sendable, CustomStringConvertible {
    case unreachable(url: String, reason: String)
    case refused(url: String, reason: String)
    case inconsistent(url: String, reason: String)
    case unexpected(url: String, status: Int, reason: String)
    case ledger(LedgerError)

    public var description: String {
        switch self {
        case .unreachable(let url, let reason): return "cannot reach the witness \(url): \(reason)"
        case .refused(let url, let reason): return "the witness \(url) refused the checkpoint: \(reason)"
        case .inconsistent(let url, let reason): return "the witness \(url) holds a checkpoint this ledger does not extend: \(reason)"
        case .unexpected(let url, let status, let reason): return "the witness \(url) answered HTTP \(status): \(reason)"
        case .ledger(let error): return error.description
        }
    }
}

/// Sends a ledger's checkpoint to a witness (`lockstep serve --witness-key`) with a
/// consistency proof from the size the witness last cosigned.
public struct WitnessClient: Sendable {
    public let base: String
    let client: HTTPClient

    public init(base: String, client: HTTPClient = .shared) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.client = client
    }

    public enum Outcome: Sendable, Equatable {
        /// The note with the witness's signature lines added.
        case cosigned(SignedCheckpoint)
        /// The server has no witness endpoint (404, or 405 from a static file server).
        case noWitness
    }

    /// Tries `oldSize` first; when the witness holds another size, retries once from it.
    public func send(
        _ checkpoint: SignedCheckpoint,
        oldSize: Int64,
        ledger: Ledger,
        verifier: LedgerVerifierKey
    ) async throws(WitnessClientError) -> Outcome {
        var old = oldSize
        for attempt in 0..<2 {
            let proof: [MerkleHash]
            do { proof = try ledger.consistencyProof(oldSize: old, size: checkpoint.checkpoint.size) } catch { throw .ledger(error) }
            let body = WitnessRequest(oldSize: old, proof: proof, checkpoint: checkpoint).body
            let (status, contentType, text) = try await post(body, verifier: verifier)
            switch status {
            case 200:
                guard let cosigned = SignedCheckpoint(serialized: checkpoint.note.serialized + text) else {
                    throw .unexpected(url: url, status: status, reason: "the answer is not signature lines")
                }
                return .cosigned(cosigned)
            case 404, 405:
                // A plain static server (lockstep serve without a witness key, nginx) refuses POST.
                return .noWitness
            case 403:
                throw .refused(url: url, reason: Self.oneLine(text))
            case 409 where contentType.hasPrefix("text/x.tlog.size"):
                guard attempt == 0, let held = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines)), held != old else {
                    throw .unexpected(url: url, status: status, reason: "it holds size \(Self.oneLine(text))")
                }
                guard held <= checkpoint.checkpoint.size else {
                    throw .inconsistent(url: url, reason: "it cosigned \(held) entries, more than the \(checkpoint.checkpoint.size) this ledger has")
                }
                old = held
            case 409, 422:
                // 422 is tlog-witness's answer to a proof that does not verify; older witnesses said 409.
                throw .inconsistent(url: url, reason: Self.oneLine(text))
            default:
                throw .unexpected(url: url, status: status, reason: Self.oneLine(text))
            }
        }
        throw .unexpected(url: url, status: 409, reason: "the held size kept changing")
    }

    var url: String { base + "/witness/add-checkpoint" }

    private func post(_ body: String, verifier: LedgerVerifierKey) async throws(WitnessClientError) -> (Int, String, String) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        request.headers.add(name: "Lockstep-Ledger-Verifier", value: verifier.description)
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), response.headers.first(name: "content-type") ?? "", String(buffer: buffer))
        } catch {
            throw .unreachable(url: base, reason: "\(error)")
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? "(no reason given)"
    }
}
