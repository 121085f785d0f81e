// libpq, PostgreSQL's own C client library, loaded only when the history is on a server.
//
// The binary does not link libpq: a single-room clinic's program (history in a file) never loads it, nor the
// TLS, Kerberos and LDAP libraries it brings, which cost every mode about 3 MB and 15 ms at startup when
// linked. `sg_libpq_load` opens libpq.so.5 the first time a server is used; the sg_PQ… functions are libpq's
// own (the same signatures, from libpq-fe.h, checked by the compiler), called through the loaded library.
#ifndef SESSION_GUIDE_CLIBPQ_H
#define SESSION_GUIDE_CLIBPQ_H

#include <stddef.h>
#include <postgresql/libpq-fe.h>

/// Loads libpq once (later calls return the first answer), with its messages in English: 0 when every function
/// was found, else -1 with the reason in `reason`.
int sg_libpq_load(char *reason, size_t size);

PGconn *sg_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname);
ConnStatusType sg_PQstatus(const PGconn *conn);
char *sg_PQerrorMessage(const PGconn *conn);
int sg_PQconnectionNeedsPassword(const PGconn *conn);
void sg_PQfinish(PGconn *conn);
PQnoticeProcessor sg_PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg);
PGresult *sg_PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                          const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                          int resultFormat);
ExecStatusType sg_PQresultStatus(const PGresult *res);
char *sg_PQresultErrorMessage(const PGresult *res);
char *sg_PQresultErrorField(const PGresult *res, int fieldcode);
void sg_PQclear(PGresult *res);
int sg_PQntuples(const PGresult *res);
int sg_PQnfields(const PGresult *res);
int sg_PQgetisnull(const PGresult *res, int tup_num, int field_num);
char *sg_PQgetvalue(const PGresult *res, int tup_num, int field_num);
int sg_PQlibVersion(void);

#endif
