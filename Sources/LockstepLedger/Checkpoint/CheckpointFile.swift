import Foundation

/// Why a checkpoints file or a checkpoint file cannot be used.
public enum CheckpointFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, line: Int)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .malformed(let path, let line): return "\(path):\(line): not a signed checkpoint note"
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// The checkpoints a store has had, held outside it: signed notes one after
/// another, separated by a blank line, oldest first. One file may hold the
/// checkpoints of several stores; each names its log in its origin line.
public enum CheckpointFile {
    /// Every checkpoint in the file, oldest first; empty when there is no file.
    public static func read(path: String) throws(CheckpointFileError) -> [SignedCheckpoint] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, reason: "permission denied") }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    /// One note, as `ledger checkpoint --out` writes it, or the last note of a checkpoints file.
    public static func readOne(path: String) throws(CheckpointFileError) -> SignedCheckpoint {
        guard FileManager.default.fileExists(atPath: path) else { throw .unreadable(path: path, reason: "no such file") }
        guard let last = try read(path: path).last else { throw .malformed(path: path, line: 1) }
        return last
    }

    static func parse(_ text: String, path: String) throws(CheckpointFileError) -> [SignedCheckpoint] {
        var notes: [SignedCheckpoint] = []
        var current: [Substring] = []
        var startLine = 1
        var inSignatures = false
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func flush() throws(CheckpointFileError) {
            defer {
                current = []
                inSignatures = false
            }
            guard !current.isEmpty else { return }
            guard let note = SignedCheckpoint(serialized: current.joined(separator: "\n") + "\n") else {
                throw .malformed(path: path, line: startLine)
            }
            notes.append(note)
        }
        for (offset, line) in lines.enumerated() {
            if inSignatures {
                if line.hasPrefix(SignedNote.dash) {
                    current.append(line)
                    continue
                }
                try flush()
            }
            if current.isEmpty {
                if line.isEmpty { continue }
                startLine = offset + 1
            }
            if line.isEmpty {
                // The blank line between a note's text and its signatures.
                inSignatures = true
            }
            current.append(line)
        }
        try flush()
        return notes
    }

    /// Appends one note (creating the file and its folder if needed), flushed to disk.
    public static func append(_ checkpoint: SignedCheckpoint, path: String) throws(CheckpointFileError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var info = stat()
        let separator = fstat(descriptor, &info) == 0 && info.st_size > 0 ? "\n" : ""
        let bytes = Array((separator + checkpoint.note.serialized).utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Writes one note to its own file (`ledger checkpoint --out`).
    public static func save(_ checkpoint: SignedCheckpoint, path: String) throws(CheckpointFileError) {
        do {
            try Data(checkpoint.note.serialized.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw .cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
