import Foundation
import GRDB
import LockstepStore
import Testing

/// The store against real SQLite files in a temporary folder.
@Suite struct StoreTests {
    @Test func newStoreFileIsPrivateToItsOwner() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("store.sqlite")
        let store = try Store.open(path: path)
        defer { try? store.database.close() }
        try store.database.write { db in try db.execute(sql: "INSERT INTO channel (name, created_at) VALUES ('Mode', '2026-01-01')") }

        #expect(try permissions(of: path) == 0o600)
        // The write-ahead log holds the same data and must be as private as the file.
        for sidecar in [path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: sidecar) {
            #expect(try permissions(of: sidecar) & 0o077 == 0, "\(sidecar) is readable by others")
        }
    }

    @Test func missingFoldersAreCreatedPrivate() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("a/b/store.sqlite")
        let store = try Store.open(path: path)
        defer { try? store.database.close() }
        #expect(try permissions(of: path) == 0o600)
        #expect(try permissions(of: folder.path("a/b")) == 0o700)
    }

    @Test func storeUsesWALAndForeignKeys() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("store.sqlite")
        let store = try Store.open(path: path)
        defer { try? store.database.close() }

        let (journal, foreignKeys) = try store.database.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        // WAL is recorded in the file itself (header bytes 18 and 19 are 2), so every reader sees it.
        let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(20)
        #expect(header.count == 20 && header[18] == 2 && header[19] == 2)
        #expect(try sqlite3(path, "PRAGMA journal_mode") == "wal")

        #expect(throws: DatabaseError.self) {
            try store.database.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO promotion (channel_id, channel_sequence, release_sequence, promoted_at, promoted_by)
                        VALUES (9999, 1, 9999, '2026-01-01', 'test')
                        """
                )
            }
        }
    }

    @Test func schemaMigrationsAreAppliedAndRecordedOnce() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("store.sqlite")
        try Store.open(path: path).database.close()
        try Store.open(path: path).database.close()

        let recorded = try sqlite3(path, "SELECT identifier FROM grdb_migrations ORDER BY rowid").split(separator: "\n").map(String.init)
        #expect(recorded == SchemaMigrations.all.map(\.identifier))
        #expect(recorded.first == "V1__catalog")
        let tables = try sqlite3(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for table in ["channel", "release", "promotion", "installation", "deployment"] {
            #expect(tables.split(separator: "\n").contains(Substring(table)), "table \(table) missing")
        }
    }

    @Test func reopeningKeepsData() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("store.sqlite")
        let first = try Store.open(path: path)
        try first.database.write { db in
            try db.execute(sql: "INSERT INTO channel (name, description, created_at) VALUES ('Kept', 'survives a reopen', '2026-01-01')")
        }
        try first.database.close()

        let second = try Store.open(path: path)
        defer { try? second.database.close() }
        let description = try second.database.read { db in
            try String.fetchOne(db, sql: "SELECT description FROM channel WHERE name = 'Kept'")
        }
        #expect(description == "survives a reopen")
        #expect(try permissions(of: path) == 0o600)
    }

    @Test(arguments: ["this is not a database\n", "SQLite format 3 is a lie, not a header, really\n", String(repeating: "x", count: 5000)])
    func aFileThatIsNotSQLiteIsRefusedUntouched(_ content: String) throws {
        let folder = try TemporaryFolder()
        let path = folder.path("notes.txt")
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: path)
        let before = try FileSnapshot(path: path)

        #expect(throws: StoreError.notADatabase(path: path)) { try Store.open(path: path) }

        #expect(try FileSnapshot(path: path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["notes.txt"])
        let message = StoreError.notADatabase(path: path).description
        #expect(message.contains(path) && message.contains("not an SQLite database"))
    }

    @Test func anotherProgramsSQLiteDatabaseIsRefusedUntouched() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("app.db")
        _ = try sqlite3(path, "CREATE TABLE invoices (id integer primary key, total real); INSERT INTO invoices (total) VALUES (9.5);")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: path)
        let before = try FileSnapshot(path: path)

        #expect(throws: StoreError.foreignDatabase(path: path)) { try Store.open(path: path) }

        #expect(try FileSnapshot(path: path) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["app.db"])
        #expect(try sqlite3(path, "SELECT name FROM sqlite_master WHERE type = 'table'") == "invoices")
        let message = StoreError.foreignDatabase(path: path).description
        #expect(message.contains(path) && message.contains("another program") && message.contains("untouched"))
    }

    @Test func aStoreFromANewerLockstepIsRefusedUntouched() throws {
        let folder = try TemporaryFolder()
        let path = folder.path("store.sqlite")
        let store = try Store.open(path: path)
        try store.database.write { db in
            try db.execute(sql: "INSERT INTO channel (name, created_at) VALUES ('Old', '2026-01-01')")
        }
        try store.database.close()
        // What a newer lockstep would leave behind: one more recorded migration.
        try sqlite3(path, "INSERT INTO grdb_migrations (identifier) VALUES ('V99__future')")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: path)
        let before = try FileSnapshot(path: path)
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()

        #expect(throws: StoreError.newerSchema(path: path, unknownMigrations: ["V99__future"])) { try Store.open(path: path) }

        #expect(try FileSnapshot(path: path) == before)
        let filesAfter = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        #expect(filesAfter == filesBefore)
        for sidecar in filesAfter where sidecar != "store.sqlite" {
            #expect(try permissions(of: folder.path(sidecar)) & 0o077 == 0, "\(sidecar) is readable by others")
        }
        #expect(try sqlite3(path, "SELECT count(*) FROM grdb_migrations") == String(SchemaMigrations.all.count + 1))
        let message = StoreError.newerSchema(path: path, unknownMigrations: ["V99__future"]).description
        #expect(message.contains("newer lockstep") && message.contains("V99__future") && message.contains("untouched"))
    }

    @Test func anEmptyExistingFileBecomesAStore() throws {
        // `touch store.sqlite` before the first run is a fresh store, not an error.
        let folder = try TemporaryFolder()
        let path = folder.path("store.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]))
        let store = try Store.open(path: path)
        defer { try? store.database.close() }
        #expect(try store.database.read { db in try db.tableExists("release") })
    }
}
