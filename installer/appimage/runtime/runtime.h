/* The AppImage runtime of Agent Workstation: the ELF part of a type-2 AppImage.
 *
 * GPL-2.0-or-later, like the project. Written for it from the AppImage specification
 * (AppImage/AppImageSpec draft.md, MIT) and after reading parts of AppImage/type2-runtime's and
 * AppImageKit's runtime.c (MIT): the offset rule (the squashfs starts where the ELF's section
 * header table ends), the magic bytes "AI\x02" at offset 8, the --appimage-* option names, the
 * environment given to AppRun (APPIMAGE, APPDIR, ARGV0, OWD), TARGET_APPIMAGE, and the shape of
 * a FUSE server child while the parent execs AppRun (our ready and keepalive pipes are our
 * own). No code was copied from them. The squashfs reading and the FUSE operations are
 * Debian's libsquashfuse_ll (BSD-2-Clause) and libfuse3 (LGPL-2.1), linked statically; see
 * installer/README.md.
 */
#ifndef AW_RUNTIME_H
#define AW_RUNTIME_H

#include <squashfuse/squashfuse.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define EXIT_DAMAGED 2   /* the image is damaged: not an ELF, no or a cut-off filesystem */
#define EXIT_NO_FUSE 3   /* cannot mount (no FUSE here): extract-and-run still works */
#define EXIT_FAILED 4    /* anything else the runtime could not do (disk full, fork, exec) */

/* elf_size.c: where the appended filesystem starts. 0 and a message in err when the file is
 * not a 64-bit ELF or its headers point past its end. */
uint64_t elf_end_offset(const char *path, char *err, size_t err_size);

/* image.c: the squashfs of an AppImage, opened and checked (superblock, size). */
typedef struct {
    const char *path;  /* the AppImage file */
    uint64_t offset;   /* where its squashfs starts */
    sqfs fs;
} appimage;
/* Opens it; on failure prints why on stderr and returns the exit status to use (else 0). */
int image_open(appimage *image, const char *path);
void image_close(appimage *image);

/* extract.c: the image's files below dest (created). pattern: fnmatch(3) on paths, or NULL. */
int extract_to(appimage *image, const char *dest, const char *pattern);
/* Removes a directory tree (the extracted copy after extract-and-run). */
void remove_tree(const char *path);

/* mount.c: serves the image through FUSE on mountpoint in a child process. Returns once the
 * mount answers (0) or failed (an exit status; the child said why). The child unmounts when
 * every holder of keepalive_write has gone (the application and what it leaves running). */
int mount_in_child(appimage *image, const char *mountpoint, int keepalive_read,
                   int keepalive_write);

/* launch.c: a helper child that waits until the application has gone (keepalive), then runs
 * done(arg); and exec of APPDIR/AppRun with the specification's environment. */
void watch_in_child(int keepalive_read, int keepalive_write, void (*done)(const char *),
                    const char *arg);
void ignore_terminal_signals(void);
void wait_for_hangup(int keepalive_read);
int exec_apprun(const char *appdir, const char *appimage_path, int argc, char **argv);

#endif
