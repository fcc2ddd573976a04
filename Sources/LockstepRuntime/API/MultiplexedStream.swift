/// The engine API's framing of a non-TTY container's output: each frame is an
/// 8-byte header (stream type: 0 stdin, 1 stdout, 2 stderr; three zero bytes; the
/// payload length, big-endian UInt32) and the payload. Chunks from the network may
/// cut a frame anywhere, so the decoder keeps what it has not used yet.
struct MultiplexedStreamDecoder: Sendable {
    enum Stream: UInt8, Sendable {
        case stdin = 0
        case stdout = 1
        case stderr = 2
    }

    struct Frame: Sendable, Equatable {
        var stream: Stream
        var payload: [UInt8]
    }

    private var buffer: [UInt8] = []
    private var start = 0

    mutating func feed(_ bytes: some Sequence<UInt8>) -> [Frame] {
        buffer.append(contentsOf: bytes)
        var frames: [Frame] = []
        while buffer.count - start >= 8 {
            let header = buffer[start..<start + 8]
            let length = header.dropFirst(4).reduce(0) { ($0 << 8) | Int($1) }
            guard buffer.count - start - 8 >= length else { break }
            let payload = Array(buffer[start + 8..<start + 8 + length])
            frames.append(Frame(stream: Stream(rawValue: header[header.startIndex]) ?? .stdout, payload: payload))
            start += 8 + length
        }
        if start > 0, start == buffer.count || start > 65536 {
            buffer.removeFirst(start)
            start = 0
        }
        return frames
    }

    /// Bytes of a frame that never completed (the connection ended mid-frame).
    var leftover: [UInt8] { Array(buffer[start...]) }
}

/// Splits each stream's bytes into lines separately, so a stdout line is never
/// cut by a stderr frame arriving in the middle of it.
struct LineSplitter: Sendable {
    private var pending: [MultiplexedStreamDecoder.Stream: [UInt8]] = [:]

    mutating func lines(_ frame: MultiplexedStreamDecoder.Frame) -> [String] {
        var bytes = pending[frame.stream, default: []]
        bytes.append(contentsOf: frame.payload)
        var lines: [String] = []
        var lineStart = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            lines.append(String(decoding: bytes[lineStart..<index], as: UTF8.self))
            lineStart = index + 1
        }
        pending[frame.stream] = Array(bytes[lineStart...])
        return lines
    }

    /// What is left without a final newline, stdout first.
    mutating func finish() -> [String] {
        defer { pending = [:] }
        return [MultiplexedStreamDecoder.Stream.stdout, .stderr, .stdin].compactMap { stream in
            guard let bytes = pending[stream], !bytes.isEmpty else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}
