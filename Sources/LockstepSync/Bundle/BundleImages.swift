import Crypto
import Foundation
import LockstepRepository

/// One image archive in a bundle: `podman save` of one image ID, every reference the
/// path's manifests give it.
public struct BundleImage: Codable, Sendable, Equatable {
    public var id: String
    public var references: [String]
    public var size: Int64

    public var targetName: String { "images/\(id).tar" }
}

/// The container engine's CLI for save, load and tag (podman or docker).
public struct ImageEngine: Sendable {
    public var executable: String

    public init(_ name: String) { executable = name }

    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { throw BundleError.images("cannot run \(executable): \(error.localizedDescription)") }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let line = String(decoding: errors, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit \(process.terminationStatus)"
            throw BundleError.images("\(executable) \(arguments.first ?? ""): \(line)")
        }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func imageID(_ reference: String) throws -> String {
        do {
            return try run(["image", "inspect", "--format", "{{.Id}}", reference]).replacingOccurrences(of: "sha256:", with: "")
        } catch {
            throw BundleError.images("image \(reference) is not in \(executable) on this machine; build or pull it before `bundle create --images`")
        }
    }

    public func save(_ reference: String, to url: URL) throws {
        try run(["save", "--format", "docker-archive", "-o", url.path, reference])
    }

    public func load(_ url: URL, references: [String], id: String) throws {
        try run(["load", "-i", url.path])
        for reference in references { try run(["tag", id, reference]) }
    }
}

enum FileDigest {
    /// Length and SHA-256 of a file, read in 1 MiB chunks.
    static func target(of url: URL) throws -> TargetFile {
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw RepositoryError.io("cannot read \(url.path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var length: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            length += Int64(chunk.count)
        }
        return TargetFile(length: length, hashes: ["sha256": hasher.finalize().map { String(format: "%02x", $0) }.joined()])
    }
}
