/* The entry point: which AppImage this is, and what was asked of it.
 *
 *   AppImage [ARGS...]                      mount through FUSE, run AppRun ARGS
 *   AppImage --appimage-extract-and-run ...  extract to a private temporary folder, run AppRun,
 *                                            delete the folder after the application exits
 *                                            (also when APPIMAGE_EXTRACT_AND_RUN=1)
 *   AppImage --appimage-extract [PATTERN]   write the tree (or what matches) to ./squashfs-root
 *   AppImage --appimage-offset              print where the filesystem starts
 *   AppImage --appimage-help | --appimage-version
 *
 * TARGET_APPIMAGE names another AppImage to act on (the specification asks a static runtime
 * to honour it). Exit statuses: the application's, or runtime.h's EXIT_* for the runtime's own
 * failures (2: damaged image, 3: no FUSE, 4: other).
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RUNTIME_VERSION
#define RUNTIME_VERSION "dev"
#endif

/* Sections the specification reserves: update information and a signature, left empty (this
 * project signs nothing it cannot verify: installer/README.md). Tools patch them in place. */
__attribute__((section(".upd_info"), used)) static char update_information[1024] = "";
__attribute__((section(".sha256_sig"), used)) static char signature[1024] = "";
__attribute__((section(".sig_key"), used)) static char signature_key[8192] = "";

static const char usage[] =
    "AppImage runtime options (anything else goes to the application):\n"
    "  --appimage-extract [PATTERN]   extract the contents (or what matches PATTERN) to\n"
    "                                 ./squashfs-root\n"
    "  --appimage-extract-and-run ... run without FUSE: extract to a temporary folder, run,\n"
    "                                 delete it afterwards (also APPIMAGE_EXTRACT_AND_RUN=1)\n"
    "  --appimage-offset              print the offset of the filesystem in this file\n"
    "  --appimage-help, --appimage-version\n";

static int self_path(char *path, size_t size) {
    const char *target = getenv("TARGET_APPIMAGE");
    if (target != NULL && target[0] != '\0') {
        if (realpath(target, path) == NULL) {
            fprintf(stderr, "TARGET_APPIMAGE=%s: %s\n", target, strerror(errno));
            return EXIT_FAILED;
        }
        return 0;
    }
    ssize_t n = readlink("/proc/self/exe", path, size - 1);
    if (n <= 0) {
        perror("/proc/self/exe");
        return EXIT_FAILED;
    }
    path[n] = '\0';
    return 0;
}

static const char *temp_dir(void) {
    const char *tmp = getenv("TMPDIR");
    return tmp != NULL && tmp[0] == '/' ? tmp : "/tmp";
}

static void remove_extracted(const char *path) { remove_tree(path); }

static int run_extracted(appimage *image, int argc, char **argv) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/appimage_extracted_XXXXXX", temp_dir());
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return EXIT_FAILED;
    }
    int status = extract_to(image, dir, NULL);
    image_close(image);
    if (status != 0) {
        remove_tree(dir);
        return status;
    }
    int keepalive[2];
    if (pipe(keepalive) != 0) {
        remove_tree(dir);
        return EXIT_FAILED;
    }
    watch_in_child(keepalive[0], keepalive[1], remove_extracted, dir);
    return exec_apprun(dir, image->path, argc, argv);
}

static int run_mounted(appimage *image, int argc, char **argv) {
    const char *name = strrchr(image->path, '/');
    name = name != NULL ? name + 1 : image->path;
    char dir[PATH_MAX];
    /* the first characters of the file's name, for whoever reads /proc/mounts */
    snprintf(dir, sizeof dir, "%s/.mount_%.8sXXXXXX", temp_dir(), name);
    for (char *c = dir + strlen(temp_dir()) + 8; *c != '\0'; c++) {
        if (*c == ' ' || *c == ',' || *c == '\\') {
            *c = '_';
        }
    }
    if (mkdtemp(dir) == NULL) {
        fprintf(stderr, "%s: %s\n", dir, strerror(errno));
        return EXIT_FAILED;
    }
    int keepalive[2];
    if (pipe(keepalive) != 0) {
        return EXIT_FAILED;
    }
    int status = mount_in_child(image, dir, keepalive[0], keepalive[1]);
    if (status != 0) {
        return status;
    }
    image_close(image); /* the child serves it; the application need not hold the file */
    return exec_apprun(dir, image->path, argc, argv);
}

int main(int argc, char **argv) {
    static char path[PATH_MAX];
    int status = self_path(path, sizeof path);
    if (status != 0) {
        return status;
    }
    const char *option = argc > 1 && strncmp(argv[1], "--appimage-", 11) == 0 ? argv[1] : "";
    if (strcmp(option, "--appimage-help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(option, "--appimage-version") == 0) {
        printf("Agent Workstation AppImage runtime %s (type 2)\n", RUNTIME_VERSION);
        return 0;
    }
    if (strcmp(option, "--appimage-offset") == 0) {
        char why[256];
        uint64_t offset = elf_end_offset(path, why, sizeof why);
        if (offset == 0) {
            fprintf(stderr, "%s: not an AppImage: %s\n", path, why);
            return EXIT_DAMAGED;
        }
        printf("%llu\n", (unsigned long long)offset);
        return 0;
    }
    bool extract = strcmp(option, "--appimage-extract") == 0;
    bool extract_and_run = strcmp(option, "--appimage-extract-and-run") == 0;
    if (option[0] != '\0' && !extract && !extract_and_run) {
        fprintf(stderr, "%s: unknown option %s\n%s", path, option, usage);
        return EXIT_FAILED;
    }
    appimage image;
    status = image_open(&image, path);
    if (status != 0) {
        return status;
    }
    if (extract) {
        status = extract_to(&image, "squashfs-root", argc > 2 ? argv[2] : NULL);
        image_close(&image);
        return status;
    }
    if (extract_and_run) {
        argv[1] = argv[0]; /* the application sees its own arguments only */
        return run_extracted(&image, argc - 1, argv + 1);
    }
    const char *env = getenv("APPIMAGE_EXTRACT_AND_RUN");
    if (env != NULL && strcmp(env, "1") == 0) {
        return run_extracted(&image, argc, argv);
    }
    (void)update_information;
    (void)signature;
    (void)signature_key;
    return run_mounted(&image, argc, argv);
}
