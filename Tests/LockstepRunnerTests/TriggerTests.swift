import Foundation
import LockstepRunner
import LockstepRuntime
import LockstepTestSupport
import Testing

extension RunnerTests {
    /// The other triggers on a long-running container: container-start, port-listen, exec.
    @Suite(.serialized) struct Triggers {
        /// A web server that listens only after a second, and is "warm" a moment later.
        static func manifest(port: Int, warmCheck: [String]) -> String {
            """
            name: triggers
            components:
              - name: web
                containers:
                  - source: public
                    image_name: lockstep-test/busybox
                    name: web
                    version: "1"
                    stop_timeout: 1
                    cmd: \(ShopManifest.yamlList(["sh", "-c", "sleep 1; mkdir -p /www && echo hello > /www/index.html && httpd -p 127.0.0.1:\(port) -h /www; sleep 1; touch /tmp/warm; exec sleep 3600"]))
                    ports:
                      - private_port: "\(port)"
                        public_port: "\(port)"
                        port_type: tcp
                    publish_events:
                      - name: web started
                        trigger: container-start
                        subscriptions:
                          - component: sidecar
                            container: sidecar
                            action: start
                      - name: web listens
                        trigger: port-listen
                        data: "\(port)"
                        timeout: 20
                        subscriptions:
                          - component: smoke
                            container: smoke
                            action: start
                      - name: web is warm
                        trigger: exec
                        args: \(ShopManifest.yamlList(warmCheck))
                        timeout: 4
                        subscriptions:
                          - component: worker
                            container: worker
                            action: start
              - name: sidecar
                containers:
                  - source: public
                    image_name: lockstep-test/busybox
                    name: sidecar
                    version: "1"
                    stop_timeout: 1
                    cmd: ["sleep", "3600"]
              - name: smoke
                containers:
                  - source: public
                    image_name: lockstep-test/busybox
                    name: smoke
                    version: "1"
                    ephemeral: true
                    cmd: ["wget", "-q", "-O", "-", "http://127.0.0.1:\(port)/"]
              - name: worker
                containers:
                  - source: public
                    image_name: lockstep-test/busybox
                    name: worker
                    version: "1"
                    stop_timeout: 1
                    cmd: ["sleep", "3600"]
            """
        }

        @Test func eachTriggerStartsItsSubscribersWhenItIsMet() async throws {
            try await RunnerFixture.with("triggers") { fixture in
                let port = try PostgresCluster.freePort()
                let milestones = MilestoneLog()
                let report = await fixture.apply(
                    try render(Self.manifest(port: port, warmCheck: ["test", "-f", "/tmp/warm"])),
                    release: "1",
                    milestones: milestones
                )

                #expect(report.succeeded, "\(summary(report))")
                #expect(Set(report.firedEvents) == [#"web/web: "web started""#, #"web/web: "web listens""#, #"web/web: "web is warm""#])
                #expect(report.firedEvents.first == #"web/web: "web started""#)
                let smoke = try #require(report.runs.first { $0.component == "smoke" })
                #expect(smoke.exitCode == 0)
                #expect(smoke.logTail.contains("hello"))
                let listening = try #require(milestones.firstTime { $0 == .eventFired("web/web: web listens") })
                #expect(try #require(smoke.startedAt) >= listening)
                let warm = try #require(milestones.firstTime { $0 == .eventFired("web/web: web is warm") })
                let worker = try #require(report.runs.first { $0.component == "worker" })
                #expect(try #require(worker.startedAt) >= warm)
                for name in ["sidecar", "worker", "web"] {
                    #expect(try await fixture.inspect(name, name)?.isRunning == true, "\(name) is not running")
                }
            }
        }

        @Test func anExecCheckThatNeverPassesFailsTheStepAndStopsWhatStarted() async throws {
            try await RunnerFixture.with("exec-fails") { fixture in
                let port = try PostgresCluster.freePort()
                let report = await fixture.apply(try render(Self.manifest(port: port, warmCheck: ["test", "-f", "/tmp/never"])), release: "1")

                #expect(!report.succeeded)
                let failure = try #require(report.failure)
                #expect(failure.contains("web is warm"), "\(failure)")
                #expect(failure.contains("exec"), "\(failure)")
                #expect(fixture.creations(of: fixture.name("worker", "worker")).isEmpty)
                #expect(try await fixture.inspect("web", "web")?.isRunning == false)
                #expect(try await fixture.inspect("sidecar", "sidecar")?.isRunning == false)
                #expect(report.runs.first { $0.component == "web" }?.outcome == .stopped)
            }
        }
    }
}
