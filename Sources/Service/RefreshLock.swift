import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The lock that keeps two refreshes of one store apart: the daemon holds it for as long as it runs, a
/// command-line refresh with no daemon to ask holds it while it refreshes. An advisory `flock` on a file
/// beside the database, released by the kernel when its holder exits, however it exits.
public final class RefreshLock {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock, waiting for its holder when there is one; `waiting` is told before the wait.
    public init(beside database: URL, waiting: () -> Void = {}) throws(DaemonError) {
        path = database.path + ".lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard descriptor >= 0 else {
            throw .lock(path: path, reason: String(cString: strerror(errno)))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return }
        waiting()
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                close(descriptor)
                throw .lock(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    deinit {
        close(descriptor)  // releases the lock
    }
}
