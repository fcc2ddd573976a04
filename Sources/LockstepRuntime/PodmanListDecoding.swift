import Foundation

/// Reads `podman ps --all --format json`: one call answers what docker needs
/// `ps` and then `inspect` for (docker's `ps` JSON flattens labels into one
/// comma-separated string, which a label value containing a comma would break).
enum PodmanListDecoding {
    private struct Raw: Decodable {
        var Id: String
        var Names: [String]?
        var Image: String?
        var ImageID: String?
        var State: String?
        var ExitCode: Int32?
        var Labels: [String: String]?
    }

    static func decode(_ json: String) throws -> [ContainerSummary] {
        let trimmed = json.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return [] }
        return try JSONDecoder().decode([Raw].self, from: Data(trimmed.utf8)).map { raw in
            ContainerSummary(
                id: raw.Id,
                name: raw.Names?.first ?? raw.Id,
                image: raw.Image ?? "",
                imageID: ImageDigest.bare(raw.ImageID ?? ""),
                status: ContainerStatus(engineValue: raw.State ?? "unknown"),
                exitCode: raw.ExitCode ?? 0,
                labels: raw.Labels ?? [:]
            )
        }
    }
}
