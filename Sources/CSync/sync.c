#define _GNU_SOURCE
#include <malloc.h>
#include <unistd.h>
#include "CSync.h"

int tidings_syncfs(int descriptor) {
    return syncfs(descriptor);
}

void tidings_release_free_memory(void) {
    malloc_trim(0);
}

// Run before main, in every process that links Tidings' C shims.
__attribute__((constructor)) void tidings_bound_malloc(void) {
    // glibc raises its mmap threshold each time a mapped block is freed (up to 32 MB), after which bodies
    // and trees of megabytes come from the heaps, where freed space stays resident: pin the threshold so
    // they are mapped and given back whole (a cold refresh of 40 documents of 13 MB: 468 MB → 290 MB; 4 MiB
    // rather than 1 MiB: as little memory, fewer system calls).
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
}
