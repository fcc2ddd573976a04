import Foundation
import LockstepRuntime
import LockstepTestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension PodmanTests {
    @Suite(.serialized) struct Networking {
        static let page = "served-by-lockstep-busybox"

        /// GET http://127.0.0.1:port/index.html, retried while the server starts.
        static func fetch(port: Int) async throws -> String? {
            let url = try #require(URL(string: "http://127.0.0.1:\(port)/index.html"))
            return try await Podman.eventually(within: 15) {
                let (data, response) = try await URLSession.shared.data(from: url)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else { return nil }
                return String(decoding: data, as: UTF8.self)
            }
        }

        @Test(arguments: Driver.allCases) func hostNetworkingServesOnALoopbackPort(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let port = try PostgresCluster.freePort()
                var spec = Podman.spec(
                    "httphost",
                    command: [
                        "sh", "-c", "mkdir -p /www && echo \(Self.page) > /www/index.html && exec httpd -f -p 127.0.0.1:\(port) -h /www",
                    ]
                )
                spec.network = .host
                spec.ports = [PortMapping(publicPort: port, privatePort: port)]  // ignored on host networking
                spec.stopTimeout = 1
                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                let body = try await Self.fetch(port: port)
                let logs = try await engine.logs(spec.name)
                #expect(body?.contains(Self.page) == true, "httpd on host port \(port) did not answer; logs: \(logs)")
                try await engine.stop(spec.name, timeout: 1)
            }
        }

        @Test(arguments: Driver.allCases) func bridgeNetworkingPublishesOnTheNodeAddress(_ driver: Driver) async throws {
            try await Podman.withEngine(driver) { engine in
                let port = try PostgresCluster.freePort()
                var spec = Podman.spec(
                    "httpbridge",
                    command: [
                        "sh", "-c", "mkdir -p /www && echo \(Self.page) > /www/index.html && exec httpd -f -p 80 -h /www",
                    ]
                )
                spec.network = .bridge
                spec.ports = [PortMapping(hostAddress: "127.0.0.1", publicPort: port, privatePort: 80)]
                spec.stopTimeout = 1
                _ = try await engine.create(spec)
                try await engine.start(spec.name)
                let body = try await Self.fetch(port: port)
                let logs = try await engine.logs(spec.name)
                #expect(body?.contains(Self.page) == true, "published port \(port) did not answer; logs: \(logs)")
                try await engine.stop(spec.name, timeout: 1)
            }
        }
    }
}
