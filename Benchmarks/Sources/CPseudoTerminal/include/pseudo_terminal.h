#pragma once
#include <stddef.h>

/// Opens a new pseudo-terminal pair: returns the master's descriptor (close-on-exec) and writes the slave's path
/// into `slave_path`, or returns -1 with errno set. (posix_openpt and friends need _GNU_SOURCE, which Swift's
/// Glibc module does not define.)
int bench_open_pseudo_terminal(char *slave_path, size_t size);

/// glibc's POSIX_SPAWN_SETSID: the child starts a new session, so the first terminal it opens becomes its
/// controlling terminal.
short bench_spawn_setsid_flag(void);
