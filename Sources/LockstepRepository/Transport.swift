import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where a client reads a repository from. Every read names its cap: the transport
/// stops reading past it, so an endless response costs at most the cap.
public protocol RepositoryTransport: Sendable {
    func fetch(_ path: String, maxLength: Int) async throws -> Data
}

public struct DirectoryTransport: RepositoryTransport {
    public let root: URL

    public init(root: URL) { self.root = root }

    public func fetch(_ path: String, maxLength: Int) async throws -> Data {
        let url = root.appending(path: path)
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw RepositoryError.notFound(file: path) }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: maxLength + 1)) ?? Data()
        guard data.count <= maxLength else { throw RepositoryError.sizeCap(file: path, cap: maxLength) }
        return data
    }
}

public struct HTTPTransport: RepositoryTransport {
    public let base: String
    let client: HTTPClient
    let timeout: TimeAmount

    public init(base: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(30)) {
        self.base = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.client = client
        self.timeout = timeout
    }

    public func fetch(_ path: String, maxLength: Int) async throws -> Data {
        let request = HTTPClientRequest(url: base + "/" + path)
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch {
            throw RepositoryError.transport(file: path, reason: "cannot reach \(base): \(error)")
        }
        switch response.status {
        case .ok: break
        case .notFound, .forbidden: throw RepositoryError.notFound(file: path)
        default: throw RepositoryError.transport(file: path, reason: "HTTP \(response.status.code)")
        }
        if let declared = response.headers.first(name: "content-length").flatMap(Int.init), declared > maxLength {
            throw RepositoryError.sizeCap(file: path, cap: maxLength)
        }
        do {
            let buffer = try await response.body.collect(upTo: maxLength)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw RepositoryError.sizeCap(file: path, cap: maxLength)
        } catch {
            throw RepositoryError.transport(file: path, reason: "\(error)")
        }
    }
}

/// Picks a transport from what a user typed: an http(s) URL or a local directory.
public func makeTransport(_ location: String, subpath: String) -> RepositoryTransport {
    if location.hasPrefix("http://") || location.hasPrefix("https://") {
        let base = location.hasSuffix("/") ? String(location.dropLast()) : location
        return HTTPTransport(base: base + "/" + subpath)
    }
    return DirectoryTransport(root: URL(fileURLWithPath: location).appending(path: subpath))
}
