// The parts of ncursesw (and of Linux) that Swift can't import directly.
#ifndef SESSION_GUIDE_NCURSES_SHIM_H
#define SESSION_GUIDE_NCURSES_SHIM_H

// Without these the wide-character API (get_wch, setcchar, add_wch, cchar_t) is invisible.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <locale.h>
#include <string.h>
#include <signal.h>
#include <poll.h>
#include <time.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#ifdef __linux__
#include <sys/signalfd.h>
#endif

// Attribute macros are not imported into Swift.
static inline attr_t sg_attr_normal(void) { return A_NORMAL; }
static inline attr_t sg_attr_bold(void) { return A_BOLD; }
static inline attr_t sg_attr_reverse(void) { return A_REVERSE; }
static inline attr_t sg_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t sg_attr_dim(void) { return A_DIM; }

// Globals that Swift 6 rejects as shared mutable state.
static inline WINDOW *sg_stdscr(void) { return stdscr; }
static inline FILE *sg_stdout(void) { return stdout; }
static inline FILE *sg_stdin(void) { return stdin; }
static inline int sg_colors(void) { return COLORS; }
static inline int sg_color_pairs(void) { return COLOR_PAIRS; }

// Key codes that are macros.
static inline int sg_key_resize(void) { return KEY_RESIZE; }
static inline int sg_key_mouse(void) { return KEY_MOUSE; }
static inline int sg_key_f0(void) { return KEY_F0; }

// Line-drawing characters (macros into acs_map, valid once the screen has started) and colour pairs.
static inline chtype sg_acs_hline(void) { return ACS_HLINE; }
static inline chtype sg_acs_vline(void) { return ACS_VLINE; }
static inline chtype sg_acs_ulcorner(void) { return ACS_ULCORNER; }
static inline chtype sg_acs_urcorner(void) { return ACS_URCORNER; }
static inline chtype sg_acs_llcorner(void) { return ACS_LLCORNER; }
static inline chtype sg_acs_lrcorner(void) { return ACS_LRCORNER; }
static inline chtype sg_color_pair(int pair) { return COLOR_PAIR(pair); }

// Mouse button masks.
static inline mmask_t sg_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t sg_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t sg_button1_released(void) { return BUTTON1_RELEASED; }

// The monotonic clock in milliseconds: immune to NTP and daylight-saving changes.
static inline long long sg_monotonic_milliseconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (long long)now.tv_sec * 1000LL + now.tv_nsec / 1000000LL;
}

// If the program ever crashes while curses owns the screen, put the terminal back (echo, line mode, the normal
// screen) before the default action runs, so the clinic never sees a garbled terminal.
static void sg_restore_terminal_and_reraise(int signal_number) {
    endwin();
    raise(signal_number);  // SA_RESETHAND made the default action current again
}

static inline void sg_install_crash_restorer(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = sg_restore_terminal_and_reraise;
    action.sa_flags = SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    int signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        sigaction(signals[i], &action, NULL);
    }
}

// poll() that lets SIGWINCH in only while it sleeps (ppoll's atomic mask). SIGWINCH is blocked at all other
// times, so a resize that comes between reading the keys and going to sleep stays pending and wakes the sleep,
// where ncurses' own handler runs and queues KEY_RESIZE; with plain poll() it could wait for the next key.
extern int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *timeout, const sigset_t *sigmask);
static inline int sg_poll_letting_resize_in(struct pollfd *fds, nfds_t count, int timeout_ms) {
    sigset_t mask;
    pthread_sigmask(SIG_SETMASK, NULL, &mask);
    sigdelset(&mask, SIGWINCH);
    struct timespec limit;
    struct timespec *limit_pointer = NULL;
    if (timeout_ms >= 0) {
        limit.tv_sec = timeout_ms / 1000;
        limit.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
        limit_pointer = &limit;
    }
    return ppoll(fds, count, limit_pointer, &mask);
}

#endif
