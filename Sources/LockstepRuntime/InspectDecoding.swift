import Foundation

/// Reads `<engine> inspect --type container` JSON. podman and docker differ:
/// podman puts the image ID in `Image` and the reference in `ImageName`;
/// docker puts `sha256:<id>` in `Image` and the reference in `Config.Image`.
enum InspectDecoding {
    private struct Raw: Decodable {
        struct State: Decodable {
            var Status: String?
            var ExitCode: Int32?
            var StartedAt: String?
            var FinishedAt: String?
            var OOMKilled: Bool?
        }
        struct Config: Decodable {
            var Image: String?
            var Labels: [String: String]?
        }
        var Id: String
        var Name: String?
        var State: State?
        var Image: String?
        var ImageName: String?
        var Config: Config?
    }

    static func decode(_ json: String) throws -> [ContainerState] {
        try JSONDecoder().decode([Raw].self, from: Data(json.utf8)).map(state)
    }

    /// One object, as the engine API's `GET /containers/{id}/json` answers.
    static func decodeOne(_ json: Data) throws -> ContainerState {
        state(try JSONDecoder().decode(Raw.self, from: json))
    }

    private static func state(_ raw: Raw) -> ContainerState {
        var name = raw.Name ?? raw.Id
        if name.hasPrefix("/") { name.removeFirst() }
        return ContainerState(
            id: raw.Id,
            name: name,
            status: ContainerStatus(engineValue: raw.State?.Status ?? "unknown"),
            exitCode: raw.State?.ExitCode ?? 0,
            startedAt: raw.State?.StartedAt.flatMap(parseDate),
            finishedAt: raw.State?.FinishedAt.flatMap(parseDate),
            imageID: ImageDigest.bare(raw.Image ?? ""),
            image: raw.ImageName ?? raw.Config?.Image ?? "",
            labels: raw.Config?.Labels ?? [:],
            oomKilled: raw.State?.OOMKilled ?? false
        )
    }

    /// RFC 3339 with optional nanoseconds (Go's format); Go's zero time
    /// (`0001-01-01T00:00:00Z`, "never") is nil.
    static func parseDate(_ text: String) -> Date? {
        guard !text.isEmpty, !text.hasPrefix("0001-01-01") else { return nil }
        var base = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: ".") {
            let afterDot = text[text.index(after: dot)...]
            let digits = afterDot.prefix(while: \.isNumber)
            fraction = Double("0." + digits) ?? 0
            base = String(text[..<dot]) + String(afterDot.dropFirst(digits.count))
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: base).map { $0.addingTimeInterval(fraction) }
    }
}

/// Image IDs as lockstep keeps them: hex, without docker's `sha256:` prefix.
enum ImageDigest {
    static func bare(_ id: String) -> String {
        id.hasPrefix("sha256:") ? String(id.dropFirst("sha256:".count)) : id
    }
}
