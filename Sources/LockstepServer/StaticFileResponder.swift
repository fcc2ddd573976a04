import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import Synchronization

/// Answers GET and HEAD for files under one folder, the way a plain static web server
/// does for a TUF repository: strong ETag, If-None-Match -> 304, exact Content-Length,
/// no listings, nothing outside the folder.
public struct StaticFileResponder: HTTPResponder {
    public typealias Context = ServerRequestContext

    /// Files up to this size are kept in memory while their tag is unchanged:
    /// `timestamp.json` is fetched by every client on every sync.
    static let cachedFileLimit = 1 << 20
    static let cachedFileCount = 256

    let root: String
    let log: AccessLog?
    let fileIO = FileIO(threadPool: .singleton)
    let cache = SmallFileCache()

    /// `root` must exist; it is resolved to its real path once.
    public init(root: String, log: AccessLog? = AccessLog()) throws(StaticFileServerError) {
        guard let real = ServedFile.realPath(root) else { throw .folderMissing(root) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .notAFolder(root)
        }
        self.root = real == "/" ? "" : real
        self.log = log
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let response = await answer(request, context: context)
        log?.record(
            request: request,
            context: context,
            status: response.status.code,
            bytes: request.method == .head ? 0 : response.body.contentLength,
            started: started
        )
        return response
    }

    func answer(_ request: Request, context: Context) async -> Response {
        guard request.method == .get || request.method == .head else {
            var headers = HTTPFields()
            headers[.allow] = "GET, HEAD"
            return Self.plain(.methodNotAllowed, "method not allowed\n", headers: headers)
        }
        let file: ServedFile
        do {
            file = try ServedFile.resolve(requestPath: request.uri.path, root: root)
        } catch .badPath {
            return Self.plain(.badRequest, "bad request path\n")
        } catch {
            return Self.plain(.notFound, "not found\n")
        }
        var headers = HTTPFields()
        headers[.eTag] = file.tag.value
        if let ifNoneMatch = request.headers[.ifNoneMatch], file.tag.matches(ifNoneMatch: ifNoneMatch) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = file.contentType
        headers[.contentLength] = String(file.size)
        if request.method == .head {
            return Response(status: .ok, headers: headers, body: ResponseBody())
        }
        do {
            return Response(status: .ok, headers: headers, body: try await body(of: file, context: context))
        } catch {
            // Removed between stat and read: the same answer as if it had never been there.
            return Self.plain(.notFound, "not found\n")
        }
    }

    func body(of file: ServedFile, context: Context) async throws -> ResponseBody {
        guard file.size <= Self.cachedFileLimit else {
            return try await fileIO.loadFile(path: file.path, context: context)
        }
        if let hit = cache.buffer(for: file) {
            return ResponseBody(byteBuffer: hit)
        }
        let path = file.path
        let data = try await NIOThreadPool.singleton.runIfActive { try Data(contentsOf: URL(fileURLWithPath: path)) }
        let buffer = ByteBuffer(bytes: data)
        cache.store(buffer, for: file, limit: Self.cachedFileCount)
        return ResponseBody(byteBuffer: buffer)
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// Contents of small files by real path, valid while the file's tag is unchanged.
final class SmallFileCache: Sendable {
    private let entries = Mutex<[String: (EntityTag, ByteBuffer)]>([:])

    func buffer(for file: ServedFile) -> ByteBuffer? {
        entries.withLock { entries in
            guard let entry = entries[file.path], entry.0 == file.tag else { return nil }
            return entry.1
        }
    }

    func store(_ buffer: ByteBuffer, for file: ServedFile, limit: Int) {
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[file.path] = (file.tag, buffer)
        }
    }
}
