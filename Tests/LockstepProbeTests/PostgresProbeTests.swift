import Foundation
import LockstepProbe
import LockstepTestSupport
import Testing

/// The probe against real PostgreSQL servers started by the tests.
@Suite("Probe against PostgreSQL", .serialized)
struct PostgresProbeTests {
    @Test("A running primary is ready, on the first attempt, with its facts")
    func readyPrimary() async throws {
        try await PostgresCluster.withCluster { cluster in
            try await cluster.createApp()
            let (logger, log) = recordingLogger()
            let report = await PostgresProbe(options: ProbeOptions(connection: cluster.appURL(), timeout: .seconds(10)), logger: logger).run()
            #expect(report.outcome == .ready, "\(report)")
            #expect(report.attempts == 1)
            #expect(report.stage == .assertions)
            #expect(report.serverVersion.map { $0 >= 150000 } == true)
            #expect(report.readOnly == false)
            #expect(report.connection == "postgresql://app:***@127.0.0.1:\(cluster.port)/app")
            #expect(!"\(report)".contains(App.password))
            #expect(log.all.count == 1, "only the state change is logged: \(log.all)")
        }
    }

    @Test("Nothing listening: no response, then the timeout outcome at the deadline")
    func nothingListening() async throws {
        let port = try PostgresCluster.freePort()
        let started = ContinuousClock.now
        let report = await PostgresProbe(
            options: ProbeOptions(connection: App.url(port: port), timeout: .seconds(2)),
            logger: recordingLogger().0
        ).run()
        let elapsed = started.duration(to: .now)
        #expect(report.outcome == .timeout)
        #expect(report.lastFailure == .noResponse)
        #expect(report.attempts > 3, "retried with backoff")
        #expect(elapsed >= .seconds(2) && elapsed < .seconds(3))
        #expect(report.message.contains("Connection refused"))

        let once = await PostgresProbe(
            options: ProbeOptions(connection: "postgresql://127.0.0.1:\(port)/app", timeout: .zero),
            logger: recordingLogger().0
        ).run()
        #expect(once.outcome == .noResponse)
        #expect(once.attempts == 1)
    }

    @Test("The port-listen trap: a TCP listener that is not PostgreSQL is never ready", arguments: [nil, "HTTP/1.1 200 OK\r\n\r\n"])
    func portListenTrap(reply: String?) async throws {
        let listener = try FakeTCPListener(reply: reply)
        defer { listener.stop() }
        #expect(tcpConnects(port: listener.port), "a raw TCP check would call this ready")
        let started = ContinuousClock.now
        let report = await PostgresProbe(
            options: ProbeOptions(connection: App.url(port: listener.port), timeout: .seconds(3)),
            logger: recordingLogger().0
        ).run()
        #expect(report.outcome == .timeout, "\(report)")
        #expect(report.lastFailure == .noResponse)
        #expect(started.duration(to: .now) < .milliseconds(3500), "returns at the deadline even while libpq waits")
    }

    @Test("A starting server: not ready until it accepts writes, then ready at once")
    func startingServer() async throws {
        let cluster = try await PostgresCluster.create()
        do {
            // The app role must exist before the probe may succeed; make it while the server is stopped is impossible,
            // so probe as the superuser, which initdb created.
            let url = cluster.connectionURL()
            let (logger, log) = recordingLogger()
            async let report = PostgresProbe(options: ProbeOptions(connection: url, timeout: .seconds(30), requireWritable: true), logger: logger)
                .run()
            try await cluster.startServer(wait: false)
            let result = await report
            #expect(result.outcome == .ready, "\(result)")
            let session = try await PostgresSession.connect(url)
            try await session.execute("CREATE TABLE created_right_after_ready (id int)")
            await session.close()
            #expect(result.attempts > 1, "the first attempts should find the server not ready yet")
            let states = log.all
            #expect(states.first.map { $0.contains("no response") || $0.contains("rejecting connections") } == true, "\(states)")
            #expect(states.last?.contains("ready") == true)
            #expect(Set(states).count == states.count, "only state changes are logged: \(states)")
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    @Test("Wrong password: authentication failure, quickly, password nowhere")
    func wrongPassword() async throws {
        try await PostgresCluster.withCluster { cluster in
            try await cluster.createApp()
            let wrong = "Wr0ng-pass-phrase"
            let (logger, log) = recordingLogger()
            let started = ContinuousClock.now
            let report = await PostgresProbe(
                options: ProbeOptions(connection: cluster.appURL(password: wrong), timeout: .seconds(30), provisioningWindow: .zero),
                logger: logger
            ).run()
            #expect(report.outcome == .authenticationFailed)
            #expect(report.sqlstate == "28P01")
            #expect(report.classification == .fatal)
            #expect(report.attempts == 1)
            #expect(started.duration(to: .now) < .seconds(2))
            let everything = "\(report)" + log.all.joined()
            #expect(!everything.contains(wrong))
            #expect(everything.contains("password authentication failed"))
        }
    }

    @Test("Authentication and missing-database failures are retried during the provisioning window, then fatal")
    func provisioningWindow() async throws {
        try await PostgresCluster.withCluster { cluster in
            try await cluster.createApp()
            let started = ContinuousClock.now
            let report = await PostgresProbe(
                options: ProbeOptions(
                    connection: cluster.appURL(database: "not_created_yet"),
                    timeout: .seconds(30),
                    provisioningWindow: .seconds(1)
                ),
                logger: recordingLogger().0
            ).run()
            let elapsed = started.duration(to: .now)
            #expect(report.outcome == .databaseMissing)
            #expect(report.sqlstate == "3D000")
            #expect(report.attempts > 1)
            #expect(elapsed >= .seconds(1) && elapsed < .seconds(5))

            // A database created within the window makes the probe ready.
            async let late = PostgresProbe(
                options: ProbeOptions(connection: cluster.appURL(database: "created_late"), timeout: .seconds(30), provisioningWindow: .seconds(10)),
                logger: recordingLogger().0
            ).run()
            try await Task.sleep(for: .milliseconds(500))
            try await cluster.psql("CREATE DATABASE created_late OWNER app")
            let ready = await late
            #expect(ready.outcome == .ready, "\(ready)")
        }
    }

    @Test("Version and extension assertions are fatal with their own outcomes")
    func assertions() async throws {
        try await PostgresCluster.withCluster { cluster in
            try await cluster.createApp()
            func probe(_ options: (inout ProbeOptions) -> Void) async -> ProbeReport {
                var probeOptions = ProbeOptions(connection: cluster.appURL(), timeout: .seconds(10))
                options(&probeOptions)
                return await PostgresProbe(options: probeOptions, logger: recordingLogger().0).run()
            }
            let tooOld = await probe { $0.minimumVersion = 99 }
            #expect(tooOld.outcome == .versionMismatch)
            #expect(tooOld.attempts == 1)
            #expect(tooOld.message.contains("older than the required 99"))
            #expect(await probe { $0.minimumVersion = 15 }.outcome == .ready)
            #expect(await probe { $0.minimumVersion = 150000 }.outcome == .ready)

            let missing = await probe { $0.requiredExtensions = ["plpgsql", "no_such_ext"] }
            #expect(missing.outcome == .extensionMissing)
            #expect(missing.message.contains("no_such_ext"))
            #expect(!missing.message.contains("plpgsql"))
            #expect(await probe { $0.requiredExtensions = ["plpgsql"] }.outcome == .ready)
        }
    }

    @Test(
        "A bad connection string: no attempt, at once, no retries",
        arguments: [
            "host=127.0.0.1 port",
            "postgresql://app:pw@127.0.0.1:5432/app?sslmode=bogus",
            "bogus_option=1",
            "postgresql://app:pw@127.0.0.1:notaport/app",
        ]
    )
    func badConnectionString(connection: String) async {
        let started = ContinuousClock.now
        let report = await PostgresProbe(options: ProbeOptions(connection: connection, timeout: .seconds(30)), logger: recordingLogger().0).run()
        #expect(report.outcome == .noAttempt)
        #expect(report.classification == .fatal)
        #expect(report.attempts <= 1)
        #expect(started.duration(to: .now) < .milliseconds(500))
    }

    @Test("--stable needs consecutive passes")
    func stablePasses() async throws {
        try await PostgresCluster.withCluster { cluster in
            let report = await PostgresProbe(
                options: ProbeOptions(connection: cluster.connectionURL(), timeout: .seconds(10), stablePasses: 3),
                logger: recordingLogger().0
            ).run()
            #expect(report.outcome == .ready)
            #expect(report.attempts == 3)
        }
    }

    @Test("Cancelling the task ends the probe promptly")
    func cancellation() async throws {
        let listener = try FakeTCPListener()
        defer { listener.stop() }
        let task = Task {
            await PostgresProbe(
                options: ProbeOptions(connection: "postgresql://127.0.0.1:\(listener.port)/app", timeout: .seconds(60)),
                logger: recordingLogger().0
            ).run()
        }
        try await Task.sleep(for: .milliseconds(300))
        let started = ContinuousClock.now
        task.cancel()
        let report = await task.value
        #expect(started.duration(to: .now) < .milliseconds(500))
        #expect(report.outcome == .timeout)
        #expect(report.message == "probe cancelled")
    }
}
