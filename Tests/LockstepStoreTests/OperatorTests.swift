import Foundation
import Testing

@testable import LockstepStore

/// One rule names who acts, for the catalog, the upgrade journal and the ledger alike.
@Suite struct OperatorTests {
    @Test(
        "LOCKSTEP_USER wins, then the effective account, then USER",
        arguments: [
            (["LOCKSTEP_USER": "ci-bot", "USER": "alice"], "root", "ci-bot"),
            (["USER": "alice"], "root", "root"),
            (["USER": "alice"], nil, "alice"),
            ([:], nil, "uid 0"),
        ] as [([String: String], String?, String)]
    )
    func precedence(_ environment: [String: String], _ account: String?, _ expected: String) {
        #expect(Operator.name(environment: environment, effectiveAccount: account, uid: 0) == expected)
    }

    @Test("under sudo the person who typed it is named, whatever names the account")
    func sudo() {
        #expect(Operator.name(environment: ["SUDO_USER": "alice"], effectiveAccount: "root", uid: 0) == "root (sudo from alice)")
        #expect(
            Operator.name(environment: ["SUDO_USER": "alice", "LOCKSTEP_USER": "deploy"], effectiveAccount: "root", uid: 0)
                == "deploy (sudo from alice)"
        )
        #expect(Operator.name(environment: ["SUDO_USER": "alice"], effectiveAccount: "alice", uid: 1000) == "alice")
    }
}
