import Foundation
import LockstepTestSupport

/// One HTTP exchange made by curl, a client nobody here wrote.
struct CurlResponse {
    var status: Int
    var headers: [String: String]
    var body: String

    subscript(header: String) -> String? { headers[header.lowercased()] }
}

enum Curl {
    /// `--path-as-is` sends `..` segments unchanged, as an attacker would.
    static func request(_ url: String, method: String = "GET", headers: [String: String] = [:], form: String? = nil) throws -> CurlResponse {
        var arguments = ["-s", "-S", "--path-as-is", "-i", "--max-time", "10"]
        if let form { arguments += ["--data-raw", form] }
        arguments += method == "HEAD" ? ["-I"] : ["-X", method]
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { arguments += ["-H", "\(name): \(value)"] }
        arguments.append(url)
        let output = try HostProcess.run("/usr/bin/curl", arguments)
        guard output.status == 0 else { throw CurlError(description: "curl \(url) failed: \(output.stderr)") }
        return try parse(output.stdout)
    }

    static func parse(_ text: String) throws -> CurlResponse {
        guard let split = text.range(of: "\r\n\r\n") else { throw CurlError(description: "no header end in: \(text)") }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw CurlError(description: "bad status line \(lines[0])") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return CurlResponse(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}

struct CurlError: Error, CustomStringConvertible {
    let description: String
}
