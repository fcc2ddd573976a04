import Foundation
import Testing

/// `lockstep serve` as a customer's TUF client meets it: a real process on a free
/// port on 127.0.0.1, asked by curl.
@Suite(.serialized)
struct ServeTests {
    @Test func servesFilesWithExactLengthTypeAndETag() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let server = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = server.stop() }

        let timestamp = try Curl.request(server.base + "/metadata/timestamp.json")
        #expect(timestamp.status == 200)
        #expect(timestamp.body == fixture.files["metadata/timestamp.json"])
        #expect(timestamp["content-length"] == String(fixture.files["metadata/timestamp.json"]!.utf8.count))
        #expect(timestamp["content-type"] == "application/json")
        let tag = try #require(timestamp["etag"])
        #expect(tag.hasPrefix("\"") && tag.hasSuffix("\""))

        let manifest = try Curl.request(server.base + "/targets/manifests/ab12.yaml")
        #expect(manifest.body == "name: shop\nversion: 1.2.0\n")
        #expect(manifest["content-type"] == "application/yaml")

        let big = try Curl.request(server.base + "/metadata/big.bin")
        #expect(big.status == 200)
        #expect(big["content-length"] == "3200000")
        #expect(big.body.utf8.count == 3_200_000)
    }

    @Test func ifNoneMatchAnswers304UntilTheFileChanges() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let server = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = server.stop() }
        let url = server.base + "/metadata/timestamp.json"

        let first = try Curl.request(url)
        let tag = try #require(first["etag"])
        let again = try Curl.request(url, headers: ["If-None-Match": tag])
        #expect(again.status == 304)
        #expect(again.body.isEmpty)
        #expect(again["etag"] == tag)
        #expect(try Curl.request(url, headers: ["If-None-Match": "\"other\", W/\(tag)"]).status == 304)
        #expect(try Curl.request(url, headers: ["If-None-Match": "\"other\""]).status == 200)

        // A new timestamp of the same length in the same second must not be answered 304.
        let newer = RepositoryFixture.timestampJSON(version: 8)
        #expect(newer.utf8.count == fixture.files["metadata/timestamp.json"]!.utf8.count)
        try fixture.write("metadata/timestamp.json", newer)
        let changed = try Curl.request(url, headers: ["If-None-Match": tag])
        #expect(changed.status == 200)
        #expect(changed.body == newer)
        #expect(changed["etag"] != tag)
    }

    @Test func headGivesTheHeadersOfGetWithoutABody() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let server = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = server.stop() }

        let head = try Curl.request(server.base + "/metadata/1.root.json", method: "HEAD")
        let get = try Curl.request(server.base + "/metadata/1.root.json")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head["content-length"] == String(fixture.files["metadata/1.root.json"]!.utf8.count))
        #expect(head["content-length"] == get["content-length"])
        #expect(head["etag"] == get["etag"])
        #expect(head["content-type"] == get["content-type"])
        #expect(try Curl.request(server.base + "/metadata/1.root.json", method: "POST").status == 405)
    }

    @Test func nothingOutsideTheFolderIsReachable() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/metadata/escape.json", withDestinationPath: fixture.secretPath)
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/up", withDestinationPath: fixture.folder.path)
        try FileManager.default.createSymbolicLink(atPath: fixture.root + "/metadata/current.json", withDestinationPath: "timestamp.json")
        let server = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = server.stop() }

        let attempts = [
            "/../secret.txt", "/metadata/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
            "/metadata/%2e%2e%2f%2e%2e%2fsecret.txt", "/..%2fsecret.txt", "/metadata/escape.json", "/up/secret.txt",
            "/%2e%2e%5csecret.txt", "/metadata/timestamp.json%00", "/%zz",
        ]
        for path in attempts {
            let response = try Curl.request(server.base + path)
            #expect([400, 404].contains(response.status), "\(path) answered \(response.status)")
            #expect(!response.body.contains(RepositoryFixture.secret), "\(path) leaked the secret")
        }
        // A link that stays inside the folder is an ordinary file.
        let inside = try Curl.request(server.base + "/metadata/current.json")
        #expect(inside.status == 200)
        #expect(inside.body == fixture.files["metadata/timestamp.json"])
    }

    @Test func foldersAreNeverListed() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let server = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = server.stop() }

        for path in ["/", "/metadata", "/metadata/", "/targets/manifests/", "/nope.json"] {
            let response = try Curl.request(server.base + path)
            #expect(response.status == 404, "\(path) answered \(response.status)")
            #expect(!response.body.contains("timestamp"), "\(path) listed the folder")
            #expect(!response.body.contains("ab12"), "\(path) listed the folder")
        }
    }

    @Test func logsEachRequestAndStopsCleanlyOnSIGTERMAndSIGINT() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        for signal in [SIGTERM, SIGINT] {
            let server = try BackgroundServer.lockstepServe(fixture.root)
            _ = try Curl.request(server.base + "/metadata/timestamp.json")
            _ = try Curl.request(server.base + "/missing.json")
            let port = server.port
            #expect(server.stop(signal: signal) == 0)
            #expect(!BackgroundServer.accepts(port: port))
            #expect(server.stderr.contains("\"GET /metadata/timestamp.json HTTP/1.1\" 200 \(fixture.files["metadata/timestamp.json"]!.utf8.count)"))
            #expect(server.stderr.contains("\"GET /missing.json HTTP/1.1\" 404"))
            #expect(server.stderr.contains("127.0.0.1 - - ["))
        }
    }

    @Test func aDownloadInFlightFinishesBeforeTheServerStops() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let size = 24 << 20
        #expect(
            truncate(fixture.root + "/targets/large.bin", off_t(size)) == 0
                || FileManager.default.createFile(atPath: fixture.root + "/targets/large.bin", contents: Data(count: size))
        )
        let server = try BackgroundServer.lockstepServe(fixture.root)
        let output = fixture.folder.path + "/download.bin"
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        // 24 MiB at 8 MiB/s: the download is still running when SIGTERM arrives.
        curl.arguments = ["-s", "-S", "--limit-rate", "8M", "-o", output, "-w", "%{http_code}", server.base + "/targets/large.bin"]
        let status = Pipe()
        curl.standardOutput = status
        try curl.run()
        usleep(800_000)
        #expect(curl.isRunning)
        #expect(server.stop(signal: SIGTERM, timeout: 30) == 0)
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        #expect(String(decoding: status.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "200")
        let received = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        #expect(received == size)
    }

    @Test func badArgumentsAreOneLineAndADocumentedCode() throws {
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let missing = try LockstepCLIRun.run(["serve", fixture.folder.path + "/absent"])
        #expect(missing.status == 66)
        #expect(missing.stderr == "error: \(fixture.folder.path)/absent: no such folder; pass the directory `publish --out` wrote\n")
        let badListen = try LockstepCLIRun.run(["serve", fixture.root, "--listen", "localhost"])
        #expect(badListen.status == 64)
        #expect(badListen.stderr.contains("--listen"))

        let holder = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = holder.stop() }
        let busy = try LockstepCLIRun.run(["serve", fixture.root, "--listen", "127.0.0.1:\(holder.port)"])
        #expect(busy.status == 69)
        #expect(busy.stderr.hasPrefix("error: cannot listen on 127.0.0.1:\(holder.port):"))
        #expect(busy.stderr.split(separator: "\n").count == 1)
    }
}
