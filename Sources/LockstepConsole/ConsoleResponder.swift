import Foundation
import Hummingbird
import LockstepServer
import LockstepStore
import NIOCore

/// The read-only console: routes GET requests to pages rendered on the server,
/// adds the security headers, and asks for the token when one is configured.
public struct ConsoleResponder: HTTPResponder {
    public typealias Context = ServerRequestContext

    /// No script at all; styles and images only from this origin; no framing.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    let data: ConsoleData
    let templates: ConsoleTemplates
    let auth: ConsoleAuth?
    let storePath: String
    let log: AccessLog?

    public init(store: Store, storePath: String, auth: ConsoleAuth?, log: AccessLog? = AccessLog()) throws {
        data = try ConsoleData(store: store)
        do {
            templates = try ConsoleTemplates()
        } catch {
            throw ConsoleError.templates(String(describing: error))
        }
        self.auth = auth
        self.storePath = storePath
        self.log = log
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        var response = await answer(request)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.cacheControl] = "no-store"
        log?.record(request: request, context: context, status: response.status.code, bytes: response.body.contentLength, started: started)
        return response
    }

    func answer(_ request: Request) async -> Response {
        let path = request.uri.path
        if let auth {
            if path == "/login" && request.method == .post {
                return await login(request, auth: auth)
            }
            guard auth.allows(cookieHeader: request.headers[.cookie], authorization: request.headers[.authorization]) else {
                return html(ConsolePage(title: "Sign in", section: .none, template: "login", data: ["failed": false], status: 401))
            }
        }
        guard request.method == .get || request.method == .head else {
            return html(.message("Read-only", "This console only reads; change things with the lockstep command.", status: 405))
        }
        do {
            return try route(path: path, parameters: Self.parameters(request.uri.query))
        } catch {
            return html(.message("Something went wrong", "The store could not be read: \(error)", status: 500))
        }
    }

    func route(path: String, parameters: [String: String]) throws -> Response {
        let parts = path.split(separator: "/").map(String.init)
        switch (parts.first, parts.count) {
        case (nil, _):
            return Response(status: .seeOther, headers: [.location: "/channels"])
        case ("static", 2) where parts[1] == "console.css":
            return Response(
                status: .ok,
                headers: [.contentType: "text/css; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: templates.stylesheet))
            )
        case ("channels", 1):
            return html(try data.channelsPage())
        case ("releases", 2):
            guard let sequence = Int64(parts[1]) else { break }
            return html(try data.releasePage(sequence: sequence))
        case ("plan", 1):
            return html(try data.planPage(channel: parameters["channel"], from: parameters["from"], to: parameters["to"]))
        case ("installations", 1):
            return html(try data.installationsPage())
        case ("ledger", 1):
            return html(try data.ledgerPage(parameters))
        case ("ledger", 2) where parts[1] == "verify":
            return html(try data.verifyPage())
        case ("ledger", 2):
            guard let id = Int64(parts[1]) else { break }
            return html(try data.entryPage(id: id))
        default:
            break
        }
        return html(.message("Not found", "There is no page at this address.", status: 404))
    }

    func login(_ request: Request, auth: ConsoleAuth) async -> Response {
        let body = (try? await request.body.collect(upTo: 4096)).map { String(buffer: $0) } ?? ""
        guard let submitted = Self.parameters(body)["token"], auth.accepts(submitted: submitted) else {
            return html(ConsolePage(title: "Sign in", section: .none, template: "login", data: ["failed": true], status: 401))
        }
        return Response(status: .seeOther, headers: [.location: "/channels", .setCookie: auth.setCookie])
    }

    func html(_ page: ConsolePage) -> Response {
        let text = templates.page(page, store: storePath)
        return Response(
            status: HTTPResponse.Status(code: page.status),
            headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// `application/x-www-form-urlencoded`, as forms send it and as the query string is.
    static func parameters(_ query: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String? { text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding }
            guard let name = decode(parts[0]) else { continue }
            result[name] = parts.count > 1 ? decode(parts[1]) ?? "" : ""
        }
        return result
    }
}
