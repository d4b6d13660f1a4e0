/* The squashfs inside an AppImage, opened with checks that turn a damaged download into one
 * clear sentence (not a crash, not a mount that fails file by file later): the ELF headers,
 * the superblock, the compression, and the filesystem's length against the file's.
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const download_again =
    "The file is damaged (an interrupted download or copy?): download it again.";

static int damaged(const char *path, const char *what) {
    fprintf(stderr, "%s: %s\n%s\n", path, what, download_again);
    return EXIT_DAMAGED;
}

int image_open(appimage *image, const char *path) {
    char why[256];
    char text[512];
    memset(image, 0, sizeof *image);
    image->path = path;
    image->offset = elf_end_offset(path, why, sizeof why);
    if (image->offset == 0) {
        snprintf(text, sizeof text, "not an AppImage: %s", why);
        return damaged(path, text);
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return EXIT_FAILED;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (size < image->offset + sizeof(struct squashfs_super_block)) {
        snprintf(text, sizeof text,
                 "no filesystem after the runtime (the file ends at byte %llu, the runtime at "
                 "%llu)",
                 (unsigned long long)size, (unsigned long long)image->offset);
        return damaged(path, text);
    }
    sqfs_fd_t fd;
    if (sqfs_fd_open(path, &fd, false) != SQFS_OK) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return EXIT_FAILED;
    }
    fcntl(fd, F_SETFD, FD_CLOEXEC); /* the application never needs the AppImage file open */
    /* The superblock first, read here: a cut-off file is named as such, before squashfuse
     * tries its tables at the (missing) end. */
    struct squashfs_super_block sb;
    if (pread(fd, &sb, sizeof sb, (off_t)image->offset) != (ssize_t)sizeof sb ||
        le32toh(sb.s_magic) != SQUASHFS_MAGIC) {
        sqfs_fd_close(fd);
        snprintf(text, sizeof text, "no squashfs filesystem at offset %llu",
                 (unsigned long long)image->offset);
        return damaged(path, text);
    }
    uint64_t used = le64toh(sb.bytes_used);
    if (image->offset + used > size) {
        sqfs_fd_close(fd);
        snprintf(text, sizeof text, "cut off: %llu of its %llu bytes are there",
                 (unsigned long long)size, (unsigned long long)(image->offset + used));
        return damaged(path, text);
    }
    sqfs_err err = sqfs_init(&image->fs, fd, (size_t)image->offset);
    if (err != SQFS_OK) {
        sqfs_fd_close(fd);
        switch (err) {
        case SQFS_BADVERSION:
            return damaged(path, "its squashfs version is not supported");
        case SQFS_BADCOMP:
            fprintf(stderr, "%s: its squashfs compression (%s) is not built into this runtime\n",
                    path, sqfs_compression_name(sqfs_compression(&image->fs)));
            return EXIT_FAILED;
        default:
            return damaged(path, "its squashfs filesystem cannot be read");
        }
    }
    return 0;
}

void image_close(appimage *image) {
    sqfs_fd_t fd = image->fs.fd;
    sqfs_destroy(&image->fs);
    sqfs_fd_close(fd);
}
