#ifndef TIDINGS_CSYNC_H
#define TIDINGS_CSYNC_H

/// Flushes the whole file system holding `descriptor` to disk (Linux `syncfs`), which glibc declares only
/// under _GNU_SOURCE and Swift's Glibc module does not show. Returns 0, or -1 with errno set.
int tidings_syncfs(int descriptor);

#endif
