// The SQLite calls Storage/SQLiteWriter.swift makes, declared against the
// copy of SQLite that sqlite-nio links into the program (its functions carry
// the prefix `sqlite_nio_`). Declaring them here lets the writer use that copy
// without importing sqlite-nio's internal C module: a second copy of SQLite
// in one process would keep its own POSIX locks and could corrupt the file.
#ifndef KOHTAAMO_SQLITE_CALLS_H
#define KOHTAAMO_SQLITE_CALLS_H

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef long long int sqlite3_int64;
typedef unsigned long long int sqlite3_uint64;
typedef void (*sqlite3_destructor_type)(void *);

#define SQLITE_OK 0
#define SQLITE_CANTOPEN 14
#define SQLITE_MISMATCH 20
#define SQLITE_MISUSE 21
#define SQLITE_ROW 100
#define SQLITE_DONE 101
#define SQLITE_OPEN_READWRITE 0x00000002
#define SQLITE_OPEN_CREATE 0x00000004
#define SQLITE_OPEN_URI 0x00000040
#define SQLITE_OPEN_NOMUTEX 0x00008000
#define SQLITE_OPEN_EXRESCODE 0x02000000
#define SQLITE_PREPARE_PERSISTENT 0x01
#define SQLITE_UTF8 1

int sqlite_nio_sqlite3_open_v2(const char *filename, sqlite3 **db, int flags, const char *vfs);
int sqlite_nio_sqlite3_close(sqlite3 *db);
const char *sqlite_nio_sqlite3_errmsg(sqlite3 *db);
int sqlite_nio_sqlite3_get_autocommit(sqlite3 *db);
int sqlite_nio_sqlite3_prepare_v3(sqlite3 *db, const char *sql, int bytes, unsigned int flags,
                                  sqlite3_stmt **statement, const char **tail);
int sqlite_nio_sqlite3_step(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_reset(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_clear_bindings(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_finalize(sqlite3_stmt *statement);
int sqlite_nio_sqlite3_bind_int64(sqlite3_stmt *statement, int index, sqlite3_int64 value);
int sqlite_nio_sqlite3_bind_text64(sqlite3_stmt *statement, int index, const char *text, sqlite3_uint64 bytes,
                                   sqlite3_destructor_type destructor, unsigned char encoding);
int sqlite_nio_sqlite3_bind_blob64(sqlite3_stmt *statement, int index, const void *blob, sqlite3_uint64 bytes,
                                   sqlite3_destructor_type destructor);
int sqlite_nio_sqlite3_bind_zeroblob(sqlite3_stmt *statement, int index, int bytes);
sqlite3_int64 sqlite_nio_sqlite3_column_int64(sqlite3_stmt *statement, int column);
const unsigned char *sqlite_nio_sqlite3_column_text(sqlite3_stmt *statement, int column);
const void *sqlite_nio_sqlite3_column_blob(sqlite3_stmt *statement, int column);
int sqlite_nio_sqlite3_column_bytes(sqlite3_stmt *statement, int column);
void *sqlite_nio_sqlite3_wal_hook(sqlite3 *db, int (*hook)(void *context, sqlite3 *db, const char *name, int frames), void *context);

#endif
