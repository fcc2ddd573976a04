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
            server: .http1(configuration: .init(additionalChannelHandlers: [CloseAfterWritesHandler()])),
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

/// Holds a close back until every write before it has reached the socket.
///
/// On graceful shutdown Hummingbird 2.28 closes a connection right after it hands the
/// response's last part to the pipeline; when the client reads slower than the file
/// goes out, NIO still holds unsent bytes then, and closing drops them: the client gets
/// a truncated file. Placed between the HTTP codec and Hummingbird's connection-state
/// handler, this waits for the last write to complete before passing the close on.
final class CloseAfterWritesHandler: ChannelOutboundHandler, RemovableChannelHandler {
    // Parts pass through untouched; only their write promises are watched.
    typealias OutboundIn = Any
    typealias OutboundOut = Any

    private var lastWrite: EventLoopFuture<Void>?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let written = promise ?? context.eventLoop.makePromise(of: Void.self)
        lastWrite = written.futureResult
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, let pending = lastWrite else {
            context.close(mode: mode, promise: promise)
            return
        }
        lastWrite = nil
        context.flush()
        pending.assumeIsolated().whenComplete { _ in context.close(mode: mode, promise: promise) }
    }
}
