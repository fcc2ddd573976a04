import Foundation
import Testing

/// `publish` writes a plain folder so that any static web server can serve it:
/// nginx (Debian's package, scripts/install-deps.sh) serving the same folder must
/// answer a TUF client the same way as `lockstep serve`.
@Suite(.serialized)
struct NginxParityTests {
    static let nginx = "/usr/sbin/nginx"

    static func startNginx(root: String, folder: String) throws -> BackgroundServer {
        let port = BackgroundServer.freePort()
        let config = """
            daemon off;
            master_process off;
            pid \(folder)/nginx.pid;
            error_log \(folder)/nginx-error.log;
            events { worker_connections 256; }
            http {
                access_log off;
                types { application/json json; application/yaml yaml yml; }
                default_type application/octet-stream;
                client_body_temp_path \(folder)/body;
                proxy_temp_path \(folder)/proxy;
                fastcgi_temp_path \(folder)/fastcgi;
                uwsgi_temp_path \(folder)/uwsgi;
                scgi_temp_path \(folder)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    root \(root);
                    autoindex off;
                    disable_symlinks if_not_owner;
                }
            }
            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: folder + "/nginx.conf"))
        return try BackgroundServer(nginx, ["-p", folder, "-e", folder + "/nginx-error.log", "-c", folder + "/nginx.conf"], port: port)
    }

    @Test func nginxAndServeAnswerTheSameForEveryPublishedFile() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.nginx), "nginx is missing: run scripts/install-deps.sh")
        let fixture = try RepositoryFixture()
        defer { fixture.remove() }
        let serve = try BackgroundServer.lockstepServe(fixture.root)
        defer { _ = serve.stop() }
        let nginx = try Self.startNginx(root: fixture.root, folder: fixture.folder.path)
        defer { _ = nginx.stop(signal: SIGTERM) }

        for path in fixture.files.keys.sorted() {
            var answers: [CurlResponse] = []
            for server in [serve, nginx] {
                let get = try Curl.request(server.base + "/" + path)
                #expect(get.status == 200, "\(path) from \(server.base)")
                #expect(get.body == fixture.files[path], "\(path) from \(server.base)")
                let tag = try #require(get["etag"], "\(path) from \(server.base) has no ETag")
                let conditional = try Curl.request(server.base + "/" + path, headers: ["If-None-Match": tag])
                #expect(conditional.status == 304, "\(path) from \(server.base)")
                #expect(conditional.body.isEmpty)
                let head = try Curl.request(server.base + "/" + path, method: "HEAD")
                #expect(head.status == 200)
                #expect(head.body.isEmpty)
                #expect(head["content-length"] == get["content-length"])
                answers.append(get)
            }
            #expect(answers[0]["content-length"] == answers[1]["content-length"], "\(path)")
            #expect(answers[0]["content-type"] == answers[1]["content-type"], "\(path)")
        }
        for path in ["/missing.json", "/metadata/2.root.json"] {
            #expect(try Curl.request(serve.base + path).status == 404)
            #expect(try Curl.request(nginx.base + path).status == 404)
        }
        for path in ["/../secret.txt", "/%2e%2e/secret.txt"] {
            for server in [serve, nginx] {
                let response = try Curl.request(server.base + path)
                #expect(response.status != 200, "\(path) from \(server.base)")
                #expect(!response.body.contains(RepositoryFixture.secret))
            }
        }
    }
}
