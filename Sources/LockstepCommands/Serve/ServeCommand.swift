import ArgumentParser
import Foundation
import LockstepConsole
import LockstepLedger
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

extension ConsoleError: ExitCoded {
    var exitStatus: ExitStatus {
        switch self {
        case .tokenFile: return .usage
        case .templates: return .failure
        }
    }
    var userMessage: String { description }
}

extension Lockstep {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Serve a published repository folder over HTTP.",
            discussion: """
                Serves DIR (what `publish --out` wrote) as plain static files: GET and HEAD, strong ETags \
                with If-None-Match, exact Content-Length, no directory listings, nothing outside DIR. \
                One access-log line per request on standard error. SIGINT or SIGTERM stops it after \
                the requests in flight. Any static web server (nginx, a CDN) can serve DIR the same way.

                With --console instead of DIR, serves the read-only console of a store in the browser: \
                channels, releases, path preview, installations and the ledger. It listens on loopback \
                unless --listen says otherwise; on any other address it needs --token-file, and then every \
                request needs that token (a login form sets a cookie; scripts send `Authorization: Bearer`).
                """
        )

        @Argument(help: ArgumentHelp("The folder to serve (not with --console).", valueName: "dir"))
        var directory: String?

        @Option(help: ArgumentHelp("Address to listen on (port 0 picks a free one).", valueName: "host:port"))
        var listen: ListenAddress = .defaultAddress

        @Flag(help: "Serve the read-only console of the store instead of a folder.")
        var console = false

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: ArgumentHelp("File holding the console's token (mode 0600, 16 characters or more).", valueName: "file"))
        var tokenFile: String?

        @Option(help: ArgumentHelp("Also act as a witness of ledger checkpoints, cosigning with this key (created, mode 0600).", valueName: "file"))
        var witnessKey: String?

        @Option(help: ArgumentHelp("The witness's own SQLite store (default: witness.sqlite beside the witness key).", valueName: "path"))
        var witnessStore: String?

        func validate() throws {
            if witnessStore != nil && witnessKey == nil { throw ValidationError("--witness-store goes with --witness-key") }
            if console {
                if witnessKey != nil { throw ValidationError("--witness-key goes with DIR, not --console") }
                if directory != nil { throw ValidationError("give either DIR or --console, not both") }
                if !listen.isLoopback && tokenFile == nil {
                    throw ValidationError("--listen \(listen) is not a loopback address: the console refuses to start there without --token-file")
                }
            } else {
                if directory == nil { throw ValidationError("missing DIR: the folder to serve (or --console for the store's console)") }
                if storeOptions.store != nil || tokenFile != nil { throw ValidationError("--store and --token-file go with --console") }
            }
        }

        func run() async throws {
            if console {
                try await runConsole()
                return
            }
            let directory = directory ?? "."
            let responder = try StaticFileResponder(root: directory)
            let folder = directory
            if let witnessKey {
                let key = try LedgerKey.loadOrCreate(
                    path: witnessKey,
                    name: "lockstep-witness@" + LedgerKey.defaultName.dropFirst("lockstep-ledger@".count)
                )
                let folderOfKey = (witnessKey as NSString).deletingLastPathComponent
                let store = witnessStore ?? (folderOfKey.isEmpty ? "witness.sqlite" : folderOfKey + "/witness.sqlite")
                let witness = try Witness(key: key, storePath: store)
                FileHandle.standardError.write(Data("witness key \(key.verifier)\n".utf8))
                let server = HTTPServer(responder: WitnessResponder(witness: witness, files: responder), address: listen)
                try await server.run { bound in
                    FileHandle.standardError.write(Data("serving \(folder) with a witness on http://\(bound)/\n".utf8))
                }
                return
            }
            let server = HTTPServer(responder: responder, address: listen)
            try await server.run { bound in
                FileHandle.standardError.write(Data("serving \(folder) on http://\(bound)/\n".utf8))
            }
        }

        func runConsole() async throws {
            let auth = try tokenFile.map { path throws(ConsoleError) in try ConsoleAuth(tokenFile: path) }
            let path = storeOptions.storePath
            let responder = try ConsoleResponder(store: try storeOptions.openStore(), storePath: path, auth: auth)
            let server = HTTPServer(responder: responder, address: listen)
            try await server.run { bound in
                FileHandle.standardError.write(Data("console of \(path) on http://\(bound)/\n".utf8))
            }
        }
    }
}
