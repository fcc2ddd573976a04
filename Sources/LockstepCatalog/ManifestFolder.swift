import Foundation

/// The folder a catalog document may take manifest files from: its own, with every
/// symlink resolved. An absolute path, a `../` path or a symlink pointing out of it
/// is refused, and so is the document itself.
struct ManifestFolder {
    let documentPath: String
    let folder: String

    /// The largest manifest file read (the manifest dialect's limit, 1 MB).
    static let maximumSize = 1_048_576

    init(documentPath: String) throws {
        let resolved = Self.resolve(documentPath) ?? URL(fileURLWithPath: documentPath).standardizedFileURL.path
        self.documentPath = resolved
        folder = (resolved as NSString).deletingLastPathComponent
    }

    func read(_ name: String) throws -> String {
        guard !name.hasPrefix("/") else {
            throw CatalogError.invalidImport(
                file: name,
                reason: "manifestFile must be a path relative to the catalog document's folder, not an absolute path"
            )
        }
        let joined = (folder as NSString).appendingPathComponent(name)
        guard let resolved = Self.resolve(joined) else {
            throw CatalogError.invalidImport(file: name, reason: "cannot read manifest file: \\(String(cString: strerror(errno)))")
        }
        guard resolved.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/") else {
            throw CatalogError.invalidImport(
                file: name,
                reason: "manifestFile resolves outside the catalog document's folder (\\(folder)); copy the manifest next to the document"
            )
        }
        guard resolved != documentPath else {
            throw CatalogError.invalidImport(file: name, reason: "manifestFile names the catalog document itself")
        }
        var info = stat()
        guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw CatalogError.invalidImport(file: name, reason: "manifestFile is not a regular file")
        }
        guard Int(info.st_size) <= Self.maximumSize else {
            throw CatalogError.invalidImport(
                file: name,
                reason: "the manifest is \\(info.st_size) bytes; the limit is \\(Self.maximumSize) bytes (1 MB)"
            )
        }
        guard let data = FileManager.default.contents(atPath: resolved), data.count <= Self.maximumSize,
            let text = String(data: data, encoding: .utf8)
        else {
            throw CatalogError.invalidImport(file: name, reason: "cannot read manifest file as UTF-8 text")
        }
        return text
    }

    private static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
