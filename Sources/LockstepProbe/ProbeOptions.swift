/// What "ready" means for one probe run.
public struct ProbeOptions: Sendable {
    /// A `postgresql://` URL or `key=value` conninfo; libpq environment
    /// variables (PGPASSWORD, PGHOST, …) and ~/.pgpass apply as usual.
    public var connection: String
    /// Overall deadline. Zero means a single attempt, like `pg_isready`.
    public var timeout: Duration
    /// Lowest acceptable server: a major version (`15`) or a `server_version_num` (`150004`).
    public var minimumVersion: Int?
    /// Extensions that must be installed in the target database.
    public var requiredExtensions: [String]
    /// Refuse a server in recovery or with `transaction_read_only` on.
    public var requireWritable: Bool
    /// Consecutive passing attempts needed before reporting ready.
    public var stablePasses: Int
    /// How long authentication failures and a missing database are retried,
    /// since a fresh container may still be creating its role and database.
    public var provisioningWindow: Duration

    public init(
        connection: String,
        timeout: Duration = .seconds(60),
        minimumVersion: Int? = nil,
        requiredExtensions: [String] = [],
        requireWritable: Bool = false,
        stablePasses: Int = 1,
        provisioningWindow: Duration = .seconds(3)
    ) {
        self.connection = connection
        self.timeout = timeout
        self.minimumVersion = minimumVersion
        self.requiredExtensions = requiredExtensions
        self.requireWritable = requireWritable
        self.stablePasses = stablePasses
        self.provisioningWindow = provisioningWindow
    }

    /// `minimumVersion` as a `server_version_num`: majors below 1000 are
    /// scaled the way PostgreSQL 10+ numbers its releases (15 → 150000).
    public var minimumVersionNumber: Int? {
        guard let minimumVersion else { return nil }
        return minimumVersion < 1000 ? minimumVersion * 10000 : minimumVersion
    }
}
