import AsyncHTTPClient
import Foundation
import NIOCore

extension APIContainerEngine {
    public func inspect(_ name: String) async throws -> ContainerState? {
        let answer = try await http.send(.GET, "/containers/\(EngineHTTP.component(name))/json")
        if answer.status == 404 { return nil }
        try expect(answer, "inspect", container: name)
        do {
            return try InspectDecoding.decodeOne(Data(answer.body.readableBytesView))
        } catch {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "inspect", detail: "\(error)")
        }
    }

    public func list(labels: [String: String]) async throws -> [ContainerSummary] {
        let filters = ["label": labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }]
        let json = String(decoding: try JSONEncoder().encode(filters), as: UTF8.self)
        let answer = try await http.send(.GET, "/containers/json", query: [("all", "true"), ("filters", json)])
        guard answer.ok else { throw refused("list", answer) }
        do {
            return try answer.decode([ListRow].self).map(\.summary)
        } catch {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "list", detail: "\(error)")
        }
    }

    public func imageID(_ reference: String) async throws -> String? {
        let answer = try await http.send(.GET, "/images/\(EngineHTTP.component(reference, keepingSlashes: true))/json")
        if answer.status == 404 { return nil }
        guard answer.ok else { throw refused("image inspect", answer) }
        struct Image: Decodable { var Id: String }
        guard let id = try? answer.decode(Image.self).Id, !id.isEmpty else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "image inspect", detail: "no Id in the answer")
        }
        return ImageDigest.bare(id)
    }

    /// The API inspects one image per call; they are asked all at once.
    public func imageIDs(_ references: [String]) async throws -> [String: String] {
        try await withThrowingTaskGroup(of: (String, String?).self) { group in
            for reference in Set(references) {
                group.addTask { (reference, try await imageID(reference)) }
            }
            var found: [String: String] = [:]
            for try await (reference, id) in group {
                if let id { found[reference] = id }
            }
            return found
        }
    }

    public func logs(_ name: String, tail: Int?) async throws -> String {
        var query = [("stdout", "true"), ("stderr", "true")]
        if let tail { query.append(("tail", String(tail))) }
        let answer = try await http.send(.GET, "/containers/\(EngineHTTP.component(name))/logs", query: query)
        try expect(answer, "logs", container: name)
        if Self.isRawStream(answer.headers.first(name: "Content-Type")) { return answer.text }
        var decoder = MultiplexedStreamDecoder()
        let frames = decoder.feed(answer.body.readableBytesView)
        return String(decoding: frames.flatMap(\.payload), as: UTF8.self)
    }

    /// Lines as the container writes them (`follow=true`), ending when it stops or
    /// the consumer cancels. A TTY container's output is not multiplexed.
    public func followLogs(_ name: String) -> AsyncStream<String> {
        let http = self.http
        let path = "/containers/\(EngineHTTP.component(name))/logs"
        return AsyncStream { continuation in
            let task = Task {
                defer { continuation.finish() }
                guard let response = try? await http.open(.GET, path, query: [("stdout", "true"), ("stderr", "true"), ("follow", "true")]),
                    response.status.code == 200
                else { return }
                let raw = Self.isRawStream(response.headers.first(name: "Content-Type"))
                var decoder = MultiplexedStreamDecoder()
                var splitter = LineSplitter()
                do {
                    for try await chunk in response.body {
                        let frames =
                            raw
                            ? [MultiplexedStreamDecoder.Frame(stream: .stdout, payload: Array(chunk.readableBytesView))]
                            : decoder.feed(chunk.readableBytesView)
                        for frame in frames {
                            for line in splitter.lines(frame) { continuation.yield(line) }
                        }
                    }
                } catch {}
                for line in splitter.finish() { continuation.yield(line) }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// exec create, start (attached, read to the end), inspect for the exit code.
    /// Exec into a stopped container is the engine's error: 125, like the CLIs.
    public func exec(_ name: String, _ arguments: [String]) async throws -> Int32 {
        struct ExecConfig: Encodable {
            var Cmd: [String]
            var AttachStdout = true
            var AttachStderr = true
        }
        let created = try await http.send(
            .POST,
            "/containers/\(EngineHTTP.component(name))/exec",
            json: try JSONEncoder().encode(ExecConfig(Cmd: arguments))
        )
        if created.status == 409 || (created.status == 500 && EngineErrorBody(created).cause == PodmanCause.stateImproper) {
            return 125
        }
        try expect(created, "exec", container: name)
        struct Created: Decodable { var Id: String }
        guard let id = try? created.decode(Created.self).Id else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "exec", detail: "no exec ID in the answer")
        }
        let startBody = Data(#"{"Detach":false,"Tty":false}"#.utf8)
        let started = try await http.send(.POST, "/exec/\(id)/start", json: startBody, timeout: nil)
        if started.status == 409 { return 125 }
        guard started.ok else { throw refused("exec start", started) }
        let inspected = try await http.send(.GET, "/exec/\(id)/json")
        guard inspected.ok else { throw refused("exec inspect", inspected) }
        struct ExecState: Decodable {
            var ExitCode: Int32?
            var Running: Bool?
        }
        guard let state = try? inspected.decode(ExecState.self), let code = state.ExitCode else {
            throw RuntimeError.unexpectedOutput(engine: kind, subcommand: "exec inspect", detail: "no ExitCode in the answer")
        }
        return code
    }

    static func isRawStream(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("application/vnd.docker.raw-stream") ?? false
    }
}
