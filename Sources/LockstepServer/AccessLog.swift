import Foundation
import Hummingbird

/// One line per request on standard error, in the combined log's order:
/// peer, time, request line, status, body bytes, duration.
public struct AccessLog: Sendable {
    public init() {}

    public func record(request: Request, context: ServerRequestContext, status: Int, bytes: Int?, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let peer = context.remoteAddress?.ipAddress ?? "-"
        let size = bytes.map(String.init) ?? "-"
        // The path is logged as received; control characters are escaped so a request cannot forge log lines.
        let path = Self.printable(request.uri.description)
        let line = "\(peer) - - [\(Self.timestamp())] \"\(request.method.rawValue) \(path) HTTP/1.1\" \(status) \(size) \(micros)us\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f || scalar == "\"" {
                result += "\\x" + String(scalar.value, radix: 16)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%d/%b/%Y:%H:%M:%S +0000", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
