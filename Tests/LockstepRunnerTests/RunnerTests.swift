import Testing

/// The runner against real podman (runc) and real PostgreSQL. One at a time: the
/// suites start servers and containers, and the machine is small.
@Suite(.serialized) struct RunnerTests {}
