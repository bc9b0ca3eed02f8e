#ifndef TIDINGS_CSYNC_H
#define TIDINGS_CSYNC_H

/// Flushes the whole file system holding `descriptor` to disk (Linux `syncfs`), which glibc declares only
/// under _GNU_SOURCE and Swift's Glibc module does not show. Returns 0, or -1 with errno set.
int tidings_syncfs(int descriptor);

/// Gives the memory free in every malloc arena back to the system (glibc `malloc_trim`, which Swift's Glibc
/// module does not show either). Each thread allocates from an arena of its own, and what one freed stays
/// out of the others' reach until it is trimmed.
void tidings_release_free_memory(void);

// Keeps what large allocations freed from staying resident (see sync.c); runs before main.
void tidings_bound_malloc(void);

#endif
