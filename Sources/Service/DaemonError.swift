/// Why the daemon, or a command talking to it, cannot go on.
public enum DaemonError: Error, CustomStringConvertible {
    case lock(path: String, reason: String)
    case controlSocket(path: String, reason: String)
    case daemonFailed(String)

    public var description: String {
        switch self {
        case .lock(let path, let reason):
            "cannot take the refresh lock \(path) (\(reason)); check that the folder of the database is writable"
        case .controlSocket(let path, let reason):
            "cannot use the daemon's control socket \(path) (\(reason))"
        case .daemonFailed(let reason):
            "the daemon could not refresh: \(reason)"
        }
    }
}
