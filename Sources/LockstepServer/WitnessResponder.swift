import Foundation
import Hummingbird
import LockstepLedger
import NIOCore

/// Puts the witness's `POST /witness/add-checkpoint` in front of another responder
/// (the static files of `lockstep serve DIR`).
public struct WitnessResponder<Files: HTTPResponder>: HTTPResponder where Files.Context == ServerRequestContext {
    public typealias Context = ServerRequestContext

    public static var path: String { "/witness/add-checkpoint" }
    /// The header a client names its ledger's verifier key in, used on first contact only.
    public static var verifierHeader: String { "Lockstep-Ledger-Verifier" }
    static var bodyLimit: Int { 64 * 1024 }

    let witness: Witness
    let files: Files
    let log: AccessLog?

    public init(witness: Witness, files: Files, log: AccessLog? = AccessLog()) {
        self.witness = witness
        self.files = files
        self.log = log
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        guard request.uri.path == Self.path else { return try await files.respond(to: request, context: context) }
        let started = ContinuousClock.now
        let response = await answer(request, context: context)
        log?.record(request: request, context: context, status: response.status.code, bytes: response.body.contentLength, started: started)
        return response
    }

    func answer(_ request: Request, context: Context) async -> Response {
        guard request.method == .post else {
            var headers = HTTPFields()
            headers[.allow] = "POST"
            return StaticFileResponder.plain(.methodNotAllowed, "method not allowed\n", headers: headers)
        }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: Self.bodyLimit),
            let parsed = WitnessRequest(body: String(buffer: buffer))
        else {
            return StaticFileResponder.plain(.badRequest, "not an add-checkpoint request (old N, proof lines, blank line, signed checkpoint)\n")
        }
        let offered = request.headers.first { $0.name.canonicalName == Self.verifierHeader.lowercased() }.flatMap { LedgerVerifierKey($0.value) }
        do {
            let (lines, acceptance) = try witness.add(parsed, offeredKey: offered)
            if case .trustedOnFirstUse(let verifier) = acceptance {
                FileHandle.standardError.write(Data("witness: trusting \(verifier) for \(parsed.checkpoint.checkpoint.origin) on first use\n".utf8))
            }
            return StaticFileResponder.plain(.ok, lines)
        } catch {
            return Self.response(for: error)
        }
    }

    static func response(for refusal: WitnessRefusal) -> Response {
        switch refusal {
        case .malformed: return StaticFileResponder.plain(.badRequest, refusal.description + "\n")
        case .untrusted: return StaticFileResponder.plain(.forbidden, refusal.description + "\n")
        // tlog-witness: 422 when the proof does not verify, a history that does not extend.
        case .inconsistent: return StaticFileResponder.plain(.unprocessableContent, refusal.description + "\n")
        case .storage: return StaticFileResponder.plain(.internalServerError, "the witness cannot use its store\n")
        case .sizeMismatch(let held):
            // tlog-witness: the held size alone, so the client can retry with a proof from it.
            var headers = HTTPFields()
            headers[.contentType] = "text/x.tlog.size"
            return Response(status: .conflict, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "\(held)\n")))
        }
    }
}
