/* The FUSE side: a child process serves the image read-only on the mount point with
 * libsquashfuse_ll's operations and one thread, until the application has gone.
 *
 * Two pipes tie it to the application. "ready" tells the parent the mount answers (one byte)
 * or failed (end of file). "keepalive": the parent keeps its write end across exec, so the
 * application holds it; when every holder has exited the child sees a hang-up, unmounts and
 * removes the mount point. The child ignores the terminal's signals (Ctrl-C goes to the whole
 * process group): the application decides when to stop, and the files stay until then.
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <squashfuse/ll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct fuse_lowlevel_ops operations = {
    .lookup = sqfs_ll_op_lookup,
    .forget = sqfs_ll_op_forget,
    .getattr = sqfs_ll_op_getattr,
    .readlink = sqfs_ll_op_readlink,
    .open = sqfs_ll_op_open,
    .read = sqfs_ll_op_read,
    .release = sqfs_ll_op_release,
    .opendir = sqfs_ll_op_opendir,
    .readdir = sqfs_ll_op_readdir,
    .releasedir = sqfs_ll_op_releasedir,
    .statfs = stfs_ll_op_statfs,
    .getxattr = sqfs_ll_op_getxattr,
    .listxattr = sqfs_ll_op_listxattr,
    .create = sqfs_ll_op_create,
};

/* Requests until the keepalive pipe hangs up or the mount goes away (umount by hand). */
static void serve(struct fuse_session *session, int keepalive_read) {
    struct fuse_buf buffer = {0};
    struct pollfd fds[2] = {
        {.fd = fuse_session_fd(session), .events = POLLIN},
        {.fd = keepalive_read, .events = POLLIN},
    };
    for (;;) {
        if (poll(fds, 2, -1) < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        if (fds[1].revents != 0 || (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
            break;
        }
        if ((fds[0].revents & POLLIN) == 0) {
            continue;
        }
        int got = fuse_session_receive_buf(session, &buffer);
        if (got == -EINTR || got == -EAGAIN) {
            continue;
        }
        if (got <= 0) {
            break; /* 0: unmounted from outside */
        }
        fuse_session_process_buf(session, &buffer);
    }
    free(buffer.mem);
}

static int serve_image(appimage *image, const char *mountpoint, int keepalive_read, int ready) {
    sqfs_ll *ll = calloc(1, sizeof *ll);
    if (ll == NULL) {
        return EXIT_FAILED;
    }
    /* The checked filesystem moves into the FUSE handle; its inode numbering is set up here. */
    ll->fs = image->fs;
    if (sqfs_ll_init(ll) != SQFS_OK) {
        fprintf(stderr, "%s: cannot serve its filesystem\n", image->path);
        return EXIT_FAILED;
    }
    char subtype[] = "-osubtype=appimage,ro,nodev,nosuid";
    char *args_v[] = {(char *)"appimage-runtime", subtype, NULL};
    struct fuse_args args = FUSE_ARGS_INIT(2, args_v);
    struct fuse_session *session = fuse_session_new(&args, &operations, sizeof operations, ll);
    if (session == NULL) {
        fprintf(stderr, "%s: cannot start FUSE\n", image->path);
        return EXIT_NO_FUSE;
    }
    if (fuse_session_mount(session, mountpoint) != 0) {
        fuse_session_destroy(session);
        fprintf(stderr,
                "%s: cannot mount it with FUSE (is /dev/fuse there, and fusermount3 from the "
                "fuse3 package installed?).\nWithout FUSE, run it as: %s "
                "--appimage-extract-and-run\n",
                image->path, image->path);
        return EXIT_NO_FUSE;
    }
    char byte = 1;
    if (write(ready, &byte, 1) != 1) {
        fuse_session_unmount(session);
        fuse_session_destroy(session);
        return EXIT_FAILED;
    }
    close(ready);
    serve(session, keepalive_read);
    fuse_session_unmount(session);
    fuse_session_destroy(session);
    return 0;
}

int mount_in_child(appimage *image, const char *mountpoint, int keepalive_read,
                   int keepalive_write) {
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        perror("pipe");
        return EXIT_FAILED;
    }
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return EXIT_FAILED;
    }
    if (child == 0) {
        close(ready[0]);
        close(keepalive_write);
        ignore_terminal_signals();
        if (chdir("/") != 0) {
            _exit(EXIT_FAILED);
        }
        int status = serve_image(image, mountpoint, keepalive_read, ready[1]);
        rmdir(mountpoint);
        _exit(status);
    }
    close(ready[1]);
    close(keepalive_read);
    char byte = 0;
    ssize_t got;
    do {
        got = read(ready[0], &byte, 1);
    } while (got < 0 && errno == EINTR);
    close(ready[0]);
    if (got == 1) {
        return 0;
    }
    int status = 0;
    waitpid(child, &status, 0);
    rmdir(mountpoint);
    return WIFEXITED(status) && WEXITSTATUS(status) != 0 ? WEXITSTATUS(status) : EXIT_FAILED;
}
