import GRDB

extension Catalog {
    /// Whether the last deployment of `releaseSequence` to the installation succeeded
    /// (design section 2, rule 3: a same-release upgrade then has nothing to do).
    /// A release recorded with `install mark` and never deployed counts as running.
    public func lastDeploymentSucceeded(installation name: String, releaseSequence: Int64) throws -> Bool {
        try read { db in
            let last =
                try DeploymentRecord
                .filter(Column("installation") == name && Column("release_sequence") == releaseSequence)
                .order(Column("id").desc)
                .fetchOne(db)
            return last.map { $0.status == .succeeded } ?? true
        }
    }
}
