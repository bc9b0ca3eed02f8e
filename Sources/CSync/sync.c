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
