/* Where the appended filesystem starts: the end of the ELF file proper.
 *
 * A linker writes the section header table last, so the ELF ends at e_shoff + e_shnum *
 * e_shentsize (the rule of the AppImage tools). Section contents and program headers are
 * checked too, in case a tool reordered the file; the largest end wins.
 */
#define _GNU_SOURCE
#include "runtime.h"

#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

uint64_t elf_end_offset(const char *path, char *err, size_t err_size) {
    FILE *file = fopen(path, "rb");
    if (file == NULL) {
        snprintf(err, err_size, "cannot open: %s", strerror(errno));
        return 0;
    }
    Elf64_Ehdr ehdr;
    uint64_t end = 0;
    if (fread(&ehdr, sizeof ehdr, 1, file) != 1 || memcmp(ehdr.e_ident, ELFMAG, SELFMAG) != 0 ||
        ehdr.e_ident[EI_CLASS] != ELFCLASS64 || ehdr.e_ident[EI_DATA] != ELFDATA2LSB ||
        ehdr.e_shentsize != sizeof(Elf64_Shdr)) {
        snprintf(err, err_size, "not a 64-bit little-endian ELF file");
        fclose(file);
        return 0;
    }
    end = max_u64(end, ehdr.e_shoff + (uint64_t)ehdr.e_shnum * ehdr.e_shentsize);
    end = max_u64(end, ehdr.e_phoff + (uint64_t)ehdr.e_phnum * ehdr.e_phentsize);
    for (unsigned i = 0; i < ehdr.e_shnum; i++) {
        Elf64_Shdr shdr;
        if (fseeko(file, (off_t)(ehdr.e_shoff + (uint64_t)i * sizeof shdr), SEEK_SET) != 0 ||
            fread(&shdr, sizeof shdr, 1, file) != 1) {
            snprintf(err, err_size, "ELF section header %u is cut off", i);
            fclose(file);
            return 0;
        }
        if (shdr.sh_type != SHT_NOBITS) {
            end = max_u64(end, shdr.sh_offset + shdr.sh_size);
        }
    }
    fclose(file);
    return end;
}
