import ArgumentParser
import Foundation
import LockstepServer

extension ListenAddress: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(parsing: argument)
    }
}

extension StaticFileServerError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .folderMissing: return .notFound
        case .notAFolder: return .usage
        case .cannotListen: return .unavailable
        }
    }
    var userMessage: String { description }
}

extension Lockstep {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve a published repository folder over HTTP.",
            discussion: """
                Serves DIR (what `publish --out` wrote) as plain static files: GET and HEAD, strong ETags \
                with If-None-Match, exact Content-Length, no directory listings, nothing outside DIR. \
                One access-log line per request on standard error. SIGINT or SIGTERM stops it after \
                the requests in flight. Any static web server (nginx, a CDN) can serve DIR the same way.
                """
        )

        @Argument(help: ArgumentHelp("The folder to serve.", valueName: "dir"))
        var directory: String

        @Option(help: ArgumentHelp("Address to listen on (port 0 picks a free one).", valueName: "host:port"))
        var listen: ListenAddress = .defaultAddress

        func run() async throws {
            let responder = try StaticFileResponder(root: directory)
            let server = HTTPServer(responder: responder, address: listen)
            let folder = directory
            try await server.run { bound in
                FileHandle.standardError.write(Data("serving \(folder) on http://\(bound)/\n".utf8))
            }
        }
    }
}
