import Foundation
import LockstepPlanner
import Testing

@testable import LockstepCommands

/// `plan --output json` is written by hand for speed; scripts read it as the encoder wrote it.
@Suite("plan JSON writer")
struct PlanJSONWriterTests {
    static let awkward = [
        "", "plain", "quote \" backslash \\ slash / a/b", "new\nline tab\t cr\r bs\u{08} ff\u{0C}",
        "nul \u{00} esc \u{1B}[2J bell \u{07} us \u{1F} del \u{7F}", "é ü 漢字 😀 \u{2028} \u{2029}",
    ]

    /// `PlanStep` has no public initializer: the planner makes them; a test decodes one.
    static func step(_ index: Int, notes: String) throws -> PlanStep {
        let object: [String: Any] = [
            "version": "1.\(index).0+build/\(index)", "releaseSequence": index * 7, "channelSequence": Int64.max - Int64(index),
            "required": index % 2 == 0, "notes": notes,
        ]
        return try JSONDecoder().decode(PlanStep.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static func plans() throws -> [PlanPrinter.PlanJSON] {
        var plans: [PlanPrinter.PlanJSON] = []
        for (index, text) in awkward.enumerated() {
            plans.append(
                PlanPrinter.PlanJSON(
                    installation: index % 2 == 0 ? nil : "site-\(text)",
                    kind: PlanKind.allKinds[index % PlanKind.allKinds.count].rawValue,
                    channel: "Stable\(text)",
                    from: index % 3 == 0 ? nil : text,
                    target: "2.0.0",
                    steps: try (0..<index).map { try step($0, notes: awkward[$0]) },
                    warnings: index % 2 == 0 ? [] : [text, "second warning"]
                )
            )
        }
        return plans
    }

    @Test("the hand-written JSON is byte for byte what JSONEncoder writes")
    func sameBytes() throws {
        var compared = 0
        for plan in try Self.plans() {
            let expected = try JSONOutput.encode(plan)
            let written = String(decoding: PlanJSONWriter.encode(plan), as: UTF8.self)
            #expect(written == expected)
            compared += 1
        }
        #expect(compared == Self.awkward.count)
    }

    @Test("scripts read the written plan back as the same values")
    func readsBack() throws {
        let plan = try Self.plans()[5]
        let object = try JSONSerialization.jsonObject(with: Data(PlanJSONWriter.encode(plan))) as? [String: Any]
        let steps = try #require(object?["steps"] as? [[String: Any]])
        #expect(steps.count == 5)
        #expect(steps.map { $0["notes"] as? String } == Array(Self.awkward.prefix(5)))
        #expect(steps.first?["channelSequence"] as? Int64 == Int64.max)
        #expect(object?["from"] as? String == Self.awkward[5])
        #expect(object?["installation"] as? String == "site-" + Self.awkward[5])
    }
}

extension PlanKind {
    static let allKinds: [PlanKind] = [.firstInstall, .redeploy, .upgrade, .downgrade, .channelSwitch]
}
