#include "CLibPQ.h"

#include <dlfcn.h>
#include <libintl.h>
#include <pthread.h>
#include <stdio.h>

// Each libpq function this program uses: a pointer of exactly its declared type, found by name.
#define LIBPQ_FUNCTIONS(X) \
    X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQconnectionNeedsPassword) X(PQfinish) \
    X(PQsetNoticeProcessor) X(PQexecParams) X(PQresultStatus) X(PQresultErrorMessage) X(PQresultErrorField) \
    X(PQclear) X(PQntuples) X(PQnfields) X(PQgetisnull) X(PQgetvalue) X(PQlibVersion)

#define DECLARE_POINTER(name) static __typeof__(&name) p_##name;
LIBPQ_FUNCTIONS(DECLARE_POINTER)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded = -1;
static char failure[512];

static void load(void) {
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        snprintf(failure, sizeof failure, "%s", dlerror());
        return;
    }
#define RESOLVE(name) \
    p_##name = (__typeof__(&name))dlsym(library, #name); \
    if (!p_##name) { snprintf(failure, sizeof failure, "libpq.so.5 has no %s", #name); return; }
    LIBPQ_FUNCTIONS(RESOLVE)
    // libpq's messages in English, as the program's are: Debian names libpq's gettext domain after its library
    // and major version (libpq5-15 for PostgreSQL 15), bound here to no translations.
    char domain[32];
    snprintf(domain, sizeof domain, "libpq5-%d", p_PQlibVersion() / 10000);
    bindtextdomain(domain, "/nonexistent");
    loaded = 0;
}

int sg_libpq_load(char *reason, size_t size) {
    pthread_once(&once, load);
    if (loaded != 0 && reason && size > 0) snprintf(reason, size, "%s", failure);
    return loaded;
}

// Called only after sg_libpq_load returned 0.
PGconn *sg_PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    return p_PQconnectdbParams(keywords, values, expand_dbname);
}
ConnStatusType sg_PQstatus(const PGconn *conn) { return p_PQstatus(conn); }
char *sg_PQerrorMessage(const PGconn *conn) { return p_PQerrorMessage(conn); }
int sg_PQconnectionNeedsPassword(const PGconn *conn) { return p_PQconnectionNeedsPassword(conn); }
void sg_PQfinish(PGconn *conn) { p_PQfinish(conn); }
PQnoticeProcessor sg_PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg) {
    return p_PQsetNoticeProcessor(conn, proc, arg);
}
PGresult *sg_PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                          const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                          int resultFormat) {
    return p_PQexecParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats,
                          resultFormat);
}
ExecStatusType sg_PQresultStatus(const PGresult *res) { return p_PQresultStatus(res); }
char *sg_PQresultErrorMessage(const PGresult *res) { return p_PQresultErrorMessage(res); }
char *sg_PQresultErrorField(const PGresult *res, int fieldcode) { return p_PQresultErrorField(res, fieldcode); }
void sg_PQclear(PGresult *res) { p_PQclear(res); }
int sg_PQntuples(const PGresult *res) { return p_PQntuples(res); }
int sg_PQnfields(const PGresult *res) { return p_PQnfields(res); }
int sg_PQgetisnull(const PGresult *res, int tup_num, int field_num) { return p_PQgetisnull(res, tup_num, field_num); }
char *sg_PQgetvalue(const PGresult *res, int tup_num, int field_num) { return p_PQgetvalue(res, tup_num, field_num); }
int sg_PQlibVersion(void) { return p_PQlibVersion(); }
