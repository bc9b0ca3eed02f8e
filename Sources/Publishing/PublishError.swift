/// Why the outputs could not be written. The old outputs are left in place.
public enum PublishError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    case template(reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .template(let reason): return "a page template is broken: \(reason)"
        }
    }
}
