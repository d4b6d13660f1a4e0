/* --appimage-extract: the image's tree written out as plain files, directories and symlinks.
 *
 * Names come from the image, so each is checked (no "." or "..", no "/") and files are created
 * without following a symlink an earlier entry (or an older extraction) left in their place.
 * A read error names the file: the part of the image it sits in is damaged.
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { CHUNK = 1 << 20 };

static int make_parents(char *path) {
    for (char *slash = strchr(path + 1, '/'); slash != NULL; slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        int made = mkdir(path, 0755);
        int saved = errno;
        *slash = '/';
        if (made != 0 && saved != EEXIST) {
            errno = saved;
            return -1;
        }
    }
    return 0;
}

static bool safe_relative(const char *path) {
    if (path[0] == '/' || path[0] == '\0') {
        return false;
    }
    for (const char *part = path; part != NULL;) {
        const char *next = strchr(part, '/');
        size_t len = next != NULL ? (size_t)(next - part) : strlen(part);
        if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && strncmp(part, "..", 2) == 0)) {
            return false;
        }
        part = next != NULL ? next + 1 : NULL;
    }
    return true;
}

static int write_file(appimage *image, sqfs_inode *inode, const char *target, char *buffer) {
    unlink(target);  /* an older extraction's file or symlink: replaced, never written through */
    int fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "%s: %s\n", target, strerror(errno));
        return EXIT_FAILED;
    }
    uint64_t size = inode->xtra.reg.file_size;
    for (uint64_t done = 0; done < size;) {
        sqfs_off_t want = (sqfs_off_t)(size - done < CHUNK ? size - done : CHUNK);
        if (sqfs_read_range(&image->fs, inode, (sqfs_off_t)done, &want, buffer) != SQFS_OK ||
            want <= 0) {
            fprintf(stderr, "%s: cannot read %s from the image: it is damaged; download it again\n",
                    image->path, target);
            close(fd);
            return EXIT_DAMAGED;
        }
        for (sqfs_off_t written = 0; written < want;) {
            ssize_t n = write(fd, buffer + written, (size_t)(want - written));
            if (n < 0) {
                fprintf(stderr, "%s: %s\n", target, strerror(errno));
                close(fd);
                return EXIT_FAILED;
            }
            written += n;
        }
        done += (uint64_t)want;
    }
    if (fchmod(fd, inode->base.mode & 07777) != 0 || close(fd) != 0) {
        fprintf(stderr, "%s: %s\n", target, strerror(errno));
        return EXIT_FAILED;
    }
    return 0;
}

static int write_symlink(appimage *image, sqfs_inode *inode, const char *target) {
    size_t size = 0;
    if (sqfs_readlink(&image->fs, inode, NULL, &size) != SQFS_OK) {
        return EXIT_DAMAGED;
    }
    char *dest = malloc(size + 1);
    if (dest == NULL || sqfs_readlink(&image->fs, inode, dest, &size) != SQFS_OK) {
        free(dest);
        fprintf(stderr, "%s: cannot read the link %s: the image is damaged\n", image->path,
                target);
        return EXIT_DAMAGED;
    }
    unlink(target);
    int made = symlink(dest, target);
    free(dest);
    if (made != 0) {
        fprintf(stderr, "%s: %s\n", target, strerror(errno));
        return EXIT_FAILED;
    }
    return 0;
}

static int extract_entry(appimage *image, sqfs_traverse *trv, const char *dest, char *buffer) {
    if (!safe_relative(trv->path)) {
        fprintf(stderr, "%s: refusing the entry '%s' (not a plain relative path)\n", image->path,
                trv->path);
        return EXIT_DAMAGED;
    }
    sqfs_inode inode;
    if (sqfs_inode_get(&image->fs, &inode, sqfs_dentry_inode(&trv->entry)) != SQFS_OK) {
        fprintf(stderr, "%s: cannot read the entry %s: the image is damaged\n", image->path,
                trv->path);
        return EXIT_DAMAGED;
    }
    char *target = NULL;
    if (asprintf(&target, "%s/%s", dest, trv->path) < 0) {
        return EXIT_FAILED;
    }
    int status = 0;
    if (make_parents(target) != 0) {
        fprintf(stderr, "%s: %s\n", target, strerror(errno));
        status = EXIT_FAILED;
    } else if (S_ISDIR(inode.base.mode)) {
        /* owner rwx while files are written into it, whatever the image says */
        if (mkdir(target, (inode.base.mode & 07777) | S_IRWXU) != 0 && errno != EEXIST) {
            fprintf(stderr, "%s: %s\n", target, strerror(errno));
            status = EXIT_FAILED;
        }
    } else if (S_ISREG(inode.base.mode)) {
        status = write_file(image, &inode, target, buffer);
    } else if (S_ISLNK(inode.base.mode)) {
        status = write_symlink(image, &inode, target);
    } else {
        fprintf(stderr, "%s: skipped %s (a device, pipe or socket)\n", image->path, trv->path);
    }
    free(target);
    return status;
}

int extract_to(appimage *image, const char *dest, const char *pattern) {
    if (mkdir(dest, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: %s\n", dest, strerror(errno));
        return EXIT_FAILED;
    }
    char *buffer = malloc(CHUNK);
    if (buffer == NULL) {
        return EXIT_FAILED;
    }
    sqfs_traverse trv;
    if (sqfs_traverse_open(&trv, &image->fs, sqfs_inode_root(&image->fs)) != SQFS_OK) {
        free(buffer);
        fprintf(stderr, "%s: cannot read its root directory: the image is damaged\n",
                image->path);
        return EXIT_DAMAGED;
    }
    int status = 0;
    sqfs_err err = SQFS_OK;
    while (status == 0 && sqfs_traverse_next(&trv, &err)) {
        if (trv.dir_end) {
            continue;
        }
        if (pattern != NULL && fnmatch(pattern, trv.path, FNM_LEADING_DIR) != 0) {
            continue;
        }
        status = extract_entry(image, &trv, dest, buffer);
    }
    if (status == 0 && err != SQFS_OK) {
        fprintf(stderr, "%s: cannot list its files: the image is damaged\n", image->path);
        status = EXIT_DAMAGED;
    }
    sqfs_traverse_close(&trv);
    free(buffer);
    return status;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)ftw;
    if (flag == FTW_DP) {
        rmdir(path);
    } else {
        unlink(path);
    }
    return 0;
}

void remove_tree(const char *path) {
    nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS);
}
