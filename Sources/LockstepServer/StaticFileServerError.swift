/// Why `serve` cannot start; each says what to do.
public enum StaticFileServerError: Error, Equatable, CustomStringConvertible {
    case folderMissing(String)
    case notAFolder(String)
    case cannotListen(String, reason: String)

    public var description: String {
        switch self {
        case .folderMissing(let path): return "\(path): no such folder; pass the directory `publish --out` wrote"
        case .notAFolder(let path): return "\(path): not a folder; pass the directory `publish --out` wrote"
        case .cannotListen(let address, let reason): return "cannot listen on \(address): \(reason); choose another --listen HOST:PORT"
        }
    }
}
