#define _GNU_SOURCE
#include <unistd.h>
#include "CSync.h"

int tidings_syncfs(int descriptor) {
    return syncfs(descriptor);
}
