import Foundation

/// `upgrade --output json`: the parts a user's script reads.
struct UpgradeReportJSON: Decodable {
    struct Step: Decodable {
        let position: Int
        let version: String
        let required: Bool
        let state: String
        let failure: String?
    }

    struct Run: Decodable {
        let component: String
        let container: String
        let outcome: String
        let exitCode: Int32?
        let environment: [String: String]
        let logTail: String
    }

    let installation: String
    let succeeded: Bool
    let installedVersion: String?
    let failure: String?
    let steps: [Step]
    let runs: [Run]

    var migrations: [Run] { runs.filter { $0.component == "migrate" } }
}

/// `plan --output json`.
struct PlanJSON: Decodable {
    struct Step: Decodable {
        let version: String
        let required: Bool
    }
    let kind: String
    let steps: [Step]
}

/// `status --output json`.
struct StatusJSON: Decodable {
    let installation: String
    let channel: String
    let current: String?
    let newest: String?
    let upToDate: Bool
}

/// `ledger ls --output json`: one row.
struct LedgerRowJSON: Decodable {
    let id: Int64
    let kind: String
    let event: String
    let status: String
    let component: String?
    let releaseVersion: String?
    let exitCode: Int64?
    let logTail: String?
    let message: String?
    let startedAt: String?
    let finishedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, event, status, component, message
        case releaseVersion = "release_version"
        case exitCode = "exit_code"
        case logTail = "log_tail"
        case startedAt = "started_at"
        case finishedAt = "finished_at"
    }
}

/// A bare HTTP/1.0 GET on 127.0.0.1, the way `curl` would check the app.
enum HTTPProbe {
    static func get(port: Int, path: String = "/") -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
        guard connected else { return nil }
        let request = Array("GET \(path) HTTP/1.0\r\nHost: localhost\r\n\r\n".utf8)
        guard write(fd, request, request.count) == request.count else { return nil }
        var response = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        let text = String(decoding: response, as: UTF8.self)
        guard text.hasPrefix("HTTP/1."), text.contains(" 200 "), let split = text.range(of: "\r\n\r\n") else { return nil }
        return String(text[split.upperBound...])
    }
}
