// libpq, PostgreSQL's own C client library (Debian's libpq5; libpq-dev to build), for the shared record store.
#ifndef SESSION_GUIDE_LIBPQ_SHIM_H
#define SESSION_GUIDE_LIBPQ_SHIM_H

#include <libintl.h>
#include <postgresql/libpq-fe.h>

#endif
