import Foundation
import LockstepProbe
import LockstepTestSupport
import Testing

/// Standbys made with pg_basebackup give the rejecting and read-only states.
@Suite("Probe against standbys", .serialized)
struct StandbyProbeTests {
    @Test("hot_standby=off: rejecting with 57P03 until the deadline; once, exit-style rejecting")
    func hotStandbyOff() async throws {
        try await PostgresCluster.withCluster { primary in
            let standby = try await primary.startStandby(hotStandby: false)
            let url = standby.connectionURL()
            let report = await PostgresProbe(options: ProbeOptions(connection: url, timeout: .seconds(2)), logger: recordingLogger().0).run()
            #expect(report.outcome == .timeout, "\(report)")
            #expect(report.lastFailure == .rejecting)
            #expect(report.sqlstate == "57P03")
            #expect(report.message.contains("not accepting connections"), "\(report.message)")

            let once = await PostgresProbe(options: ProbeOptions(connection: url, timeout: .zero), logger: recordingLogger().0).run()
            #expect(once.outcome == .rejecting)
            #expect(once.sqlstate == "57P03")
            #expect(once.stage == .ping)
            await standby.stop()
        }
    }

    @Test("hot_standby=on: read-only with --require-writable, ready without")
    func hotStandbyOn() async throws {
        try await PostgresCluster.withCluster { primary in
            let standby = try await primary.startStandby(hotStandby: true)
            let url = standby.connectionURL()
            let readable = await PostgresProbe(options: ProbeOptions(connection: url, timeout: .seconds(10)), logger: recordingLogger().0).run()
            #expect(readable.outcome == .ready, "\(readable)")
            #expect(readable.inRecovery == true)
            #expect(readable.readOnly == true)

            let once = await PostgresProbe(options: ProbeOptions(connection: url, timeout: .zero, requireWritable: true), logger: recordingLogger().0)
                .run()
            #expect(once.outcome == .readOnly)
            #expect(once.classification == .retryable)
            #expect(once.stage == .assertions)

            let waited = await PostgresProbe(
                options: ProbeOptions(connection: url, timeout: .seconds(1), requireWritable: true),
                logger: recordingLogger().0
            ).run()
            #expect(waited.outcome == .timeout)
            #expect(waited.lastFailure == .readOnly)
            #expect(waited.attempts > 1, "read-only is retried: a failover may be under way")
            await standby.stop()
        }
    }

    @Test("A standby promoted while the probe waits makes it ready (failover)")
    func promotion() async throws {
        try await PostgresCluster.withCluster { primary in
            let standby = try await primary.startStandby(hotStandby: true)
            do {
                async let report = PostgresProbe(
                    options: ProbeOptions(connection: standby.connectionURL(), timeout: .seconds(30), requireWritable: true),
                    logger: recordingLogger().0
                ).run()
                try await Task.sleep(for: .milliseconds(300))
                try await PostgresCommand.check(
                    PostgresCluster.tool("pg_ctl"),
                    ["-D", standby.dataDirectory.path, "promote", "-w"],
                    currentDirectory: standby.directory.url,
                    asUser: PostgresCluster.serverUser
                )
                let result = await report
                #expect(result.outcome == .ready, "\(result)")
                #expect(result.readOnly == false)
            } catch {
                await standby.stop()
                throw error
            }
            await standby.stop()
        }
    }
}
