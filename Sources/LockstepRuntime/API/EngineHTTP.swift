import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One engine API connection point: requests by method and path, answers as
/// status and body. Knows nothing of containers; `APIContainerEngine` does.
struct EngineHTTP: Sendable {
    let endpoint: EngineEndpoint
    let logger: Logger

    /// One client for the process, never shut down: a static is never deinitialised,
    /// and every engine value shares its connection pool. Waits and log follows hold a
    /// connection each for as long as a container runs, hence the generous limit.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// An ordinary call's limit; waits, stops and follows pass their own.
    static let defaultTimeout: TimeAmount = .seconds(120)

    struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
        var headers: HTTPHeaders

        var ok: Bool { (200..<300).contains(status) }
        var text: String { String(buffer: body) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: Data(body.readableBytesView))
        }
    }

    func request(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], json body: Data? = nil) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: endpoint.baseURL + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Host", value: "lockstep")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        return request
    }

    /// Sends and collects the whole answer. Only method and path are logged: bodies
    /// may carry environment values.
    func send(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        json body: Data? = nil,
        timeout: TimeAmount? = defaultTimeout
    ) async throws(RuntimeError) -> Answer {
        let request = request(method, path, query: query, json: body)
        logger.trace("engine request", metadata: ["method": "\(method.rawValue)", "path": "\(path)"])
        do {
            let response = try await Self.client.execute(request, deadline: timeout.map { .now() + $0 } ?? .distantFuture)
            let collected = try await response.body.collect(upTo: 64 << 20)
            return Answer(status: Int(response.status.code), body: collected, headers: response.headers)
        } catch {
            throw unreachable(error)
        }
    }

    /// Sends and hands back the response whose body the caller reads as it arrives.
    func open(
        _ method: HTTPMethod,
        _ path: String,
        query: [(String, String)] = [],
        json body: Data? = nil
    ) async throws(RuntimeError) -> HTTPClientResponse {
        logger.trace("engine request", metadata: ["method": "\(method.rawValue)", "path": "\(path)"])
        do {
            return try await Self.client.execute(request(method, path, query: query, json: body), deadline: .distantFuture)
        } catch {
            throw unreachable(error)
        }
    }

    func unreachable(_ error: any Error) -> RuntimeError {
        if let error = error as? RuntimeError { return error }
        if error is CancellationError { return .engineUnreachable(endpoint: endpoint.description, reason: "cancelled") }
        return .engineUnreachable(endpoint: endpoint.description, reason: "\(error)")
    }

    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        return "?"
            + items.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
            }.joined(separator: "&")
    }

    /// Path components (container names, image references) travel percent-encoded, except
    /// the slashes of an image reference, which the API expects as they are.
    static func component(_ text: String, keepingSlashes: Bool = false) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: keepingSlashes ? "-._~:@/" : "-._~:@"))
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// The body of an engine API error: docker sends `message`; podman adds `cause`, the
/// sentinel error it wraps, which is stable where the message is not.
struct EngineErrorBody: Decodable, Sendable {
    var message: String?
    var cause: String?

    init(_ answer: EngineHTTP.Answer) {
        let decoded = try? answer.decode(EngineErrorBody.self)
        message = decoded?.message ?? (answer.text.isEmpty ? nil : answer.text.trimmingCharacters(in: .whitespacesAndNewlines))
        cause = decoded?.cause
    }
}
