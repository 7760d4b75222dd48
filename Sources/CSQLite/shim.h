#ifndef TOURNIQUET_CSQLITE_SHIM_H
#define TOURNIQUET_CSQLITE_SHIM_H
#include <sqlite3.h>

/* SQLITE_TRANSIENT is a cast macro that Swift cannot import. */
static inline sqlite3_destructor_type tq_sqlite_transient(void) { return SQLITE_TRANSIENT; }

/* Syncs the connection's journal (the write-ahead log) through SQLite's own file object, so that
 * no descriptor of ours is ever opened or closed on a file SQLite holds locks on. A journal that
 * is not open yet has nothing to sync. */
static inline int tq_sqlite_sync_journal(sqlite3 *db) {
    sqlite3_file *file = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) != SQLITE_OK) return SQLITE_OK;
    if (!file || !file->pMethods || !file->pMethods->xSync) return SQLITE_OK;
    return file->pMethods->xSync(file, SQLITE_SYNC_NORMAL | SQLITE_SYNC_DATAONLY);
}
#endif
