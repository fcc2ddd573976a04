import Testing

@testable import LockstepCommands

@Suite("Durations on the command line")
struct DurationArgumentTests {
    @Test(
        "accepted forms",
        arguments: [
            ("30s", 30.0), ("15m", 900), ("12h", 43_200), ("7d", 604_800), ("45", 45), ("0", 0),
            ("250ms", 0.25), ("1.5s", 1.5), ("2M", 120),
        ]
    )
    func accepted(text: String, seconds: Double) {
        #expect(DurationArgument(argument: text)?.seconds == seconds)
    }

    @Test(
        "refused forms never trap",
        arguments: ["", "s", "-3", "1e10", "1e300", "nan", "inf", "10y", "1..2s", ".", "3 days", "0x10", "١٢s", "36501d"]
    )
    func refused(text: String) {
        #expect(DurationArgument(argument: text) == nil)
    }

    @Test("written back in the largest whole unit")
    func description() {
        #expect(DurationArgument(seconds: 3_600).description == "1h")
        #expect(DurationArgument(seconds: 90).description == "90s")
        #expect(DurationArgument(seconds: 604_800).description == "7d")
        #expect(DurationArgument(seconds: 0.085).description == "85ms")
    }
}
