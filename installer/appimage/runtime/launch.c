/* Starting AppRun, and the helper that cleans up after the application.
 *
 * The runtime execs AppRun in its own process (the application keeps the AppImage's process
 * id: a launcher or a test that started it can signal and wait for it) and passes the
 * specification's environment: APPIMAGE (this file), APPDIR (the mounted or extracted tree),
 * ARGV0 (how it was called), OWD (where it was called from).
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void ignore_terminal_signals(void) {
    signal(SIGINT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
}

void wait_for_hangup(int keepalive_read) {
    struct pollfd fd = {.fd = keepalive_read, .events = POLLIN};
    while (poll(&fd, 1, -1) < 0 && errno == EINTR) {
    }
}

void watch_in_child(int keepalive_read, int keepalive_write, void (*done)(const char *),
                    const char *arg) {
    pid_t child = fork();
    if (child != 0) {
        close(keepalive_read);
        return; /* the parent (or a failed fork: no clean-up, the caller goes on) */
    }
    close(keepalive_write);
    ignore_terminal_signals();
    if (chdir("/") != 0) {
        _exit(EXIT_FAILED);
    }
    wait_for_hangup(keepalive_read);
    done(arg);
    _exit(0);
}

int exec_apprun(const char *appdir, const char *appimage_path, int argc, char **argv) {
    char apprun[PATH_MAX];
    char cwd[PATH_MAX];
    if (snprintf(apprun, sizeof apprun, "%s/AppRun", appdir) >= (int)sizeof apprun) {
        return EXIT_FAILED;
    }
    setenv("APPIMAGE", appimage_path, 1);
    setenv("APPDIR", appdir, 1);
    setenv("ARGV0", argv[0], 1);
    if (getcwd(cwd, sizeof cwd) != NULL) {
        setenv("OWD", cwd, 1);
    }
    char **args = calloc((size_t)argc + 1, sizeof *args);
    if (args == NULL) {
        return EXIT_FAILED;
    }
    args[0] = apprun;
    for (int i = 1; i < argc; i++) {
        args[i] = argv[i];
    }
    execv(apprun, args);
    fprintf(stderr, "%s: cannot start %s: %s\n", appimage_path, apprun, strerror(errno));
    free(args);
    return EXIT_FAILED;
}
