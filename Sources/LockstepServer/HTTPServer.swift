import Foundation
import Hummingbird
import Logging
import NIOCore

/// Runs one responder on an address until SIGINT or SIGTERM, then finishes the requests
/// in flight and returns (swift-service-lifecycle's graceful shutdown).
public struct HTTPServer<Responder: HTTPResponder>: Sendable where Responder.Context == ServerRequestContext {
    public let responder: Responder
    public let address: ListenAddress

    public init(responder: Responder, address: ListenAddress) {
        self.responder = responder
        self.address = address
    }

    /// `onListening` gets the bound address (the real port when 0 was asked for).
    public func run(onListening: @escaping @Sendable (ListenAddress) -> Void) async throws {
        var logger = Logger(label: "lockstep.serve")
        logger.logLevel = .error
        let application = Application(
            responder: responder,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                onListening(ListenAddress(host: address.host, port: port))
            },
            logger: logger
        )
        do {
            try await application.runService()
        } catch let error as IOError {
            throw StaticFileServerError.cannotListen(address.description, reason: String(cString: strerror(error.errnoCode)))
        }
    }
}
