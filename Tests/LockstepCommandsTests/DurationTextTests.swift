import Foundation
import Testing

@testable import LockstepCommands

@Suite("Durations as a person reads them")
struct DurationTextTests {
    @Test(
        "one way to write a duration",
        arguments: [
            (0.0, "0 ms"), (0.0004, "0 ms"), (0.085, "85 ms"), (0.9994, "999 ms"), (0.9996, "1.0 s"),
            (1.0, "1.0 s"), (1.23, "1.2 s"), (1.25, "1.3 s"), (59.94, "59.9 s"), (59.96, "1 min"),
            (60, "1 min"), (123, "2 min 3 s"), (3599.4, "59 min 59 s"), (3600, "1 h"), (3_900, "1 h 5 min"),
            (90_000, "25 h"), (-3, "0 ms"), (.nan, "0 ms"), (.infinity, "0 ms"),
        ]
    )
    func table(seconds: Double, text: String) {
        #expect(DurationText.format(seconds: seconds) == text)
    }

    @Test("milliseconds, Duration and a pair of dates agree with seconds")
    func otherInputs() {
        #expect(DurationText.format(milliseconds: 85) == "85 ms")
        #expect(DurationText.format(milliseconds: 123_000) == "2 min 3 s")
        #expect(DurationText.format(.milliseconds(1_200)) == "1.2 s")
        let start = Date(timeIntervalSince1970: 1_000)
        #expect(DurationText.between(start, start.addingTimeInterval(2.04)) == "2.0 s")
    }

    @Test("the ledger table writes its durations the same way")
    func ledgerColumn() {
        #expect(LedgerTable.duration(85) == "85 ms")
        #expect(LedgerTable.duration(1_234) == "1.2 s")
        #expect(LedgerTable.duration(123_000) == "2 min 3 s")
    }
}
