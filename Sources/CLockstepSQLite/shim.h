#include <sqlite3.h>

/// sqlite3_db_config() is variadic, which Swift cannot call: a store keeps its WAL when
/// the last connection closes, instead of checkpointing it into the database (two fsyncs)
/// and deleting it. The WAL was already synced at each commit, so nothing is less durable.
static inline int lockstep_sqlite_keep_wal_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
