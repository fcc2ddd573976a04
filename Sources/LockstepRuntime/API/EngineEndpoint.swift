import Foundation

/// Where an engine API listens: `unix:///run/podman/podman.sock`, `tcp://host:port`
/// (also `http://host:port`). Parsed once; `baseURL` is what AsyncHTTPClient dials.
public struct EngineEndpoint: Sendable, Hashable, CustomStringConvertible {
    public enum Transport: Sendable, Hashable {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)
    }

    public var transport: Transport

    public init(_ transport: Transport) {
        self.transport = transport
    }

    /// nil when `text` is not a URL lockstep can dial (the caller names the flag).
    public init?(_ text: String) {
        if text.hasPrefix("unix://") {
            let path = String(text.dropFirst("unix://".count))
            guard path.hasPrefix("/"), path.count > 1 else { return nil }
            self.init(.unixSocket(path: path))
            return
        }
        for scheme in ["tcp://", "http://"] where text.hasPrefix(scheme) {
            var rest = String(text.dropFirst(scheme.count))
            if rest.hasSuffix("/") { rest.removeLast() }
            guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
                (1...65535).contains(port)
            else { return nil }
            var host = String(rest[..<colon])
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty, !host.contains("/") else { return nil }
            self.init(.tcp(host: host, port: port))
            return
        }
        return nil
    }

    public var description: String {
        switch transport {
        case .unixSocket(let path): "unix://\(path)"
        case .tcp(let host, let port): "tcp://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    /// The URL prefix requests are appended to; the socket path travels percent-encoded
    /// as the host, as AsyncHTTPClient's `http+unix` scheme expects.
    var baseURL: String {
        switch transport {
        case .unixSocket(let path):
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            return "http+unix://" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)
        case .tcp(let host, let port):
            return "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }
}
