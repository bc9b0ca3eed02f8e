/// Why the outputs could not be written. The old outputs are left in place.
public enum PublishError: Error, CustomStringConvertible, Sendable {
    case cannotWrite(path: String, reason: String)
    /// A template that cannot be used: its file (or name, for a default) and line when known.
    case template(file: String, line: Int?, reason: String)

    public var description: String {
        switch self {
        case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
        case .template(let file, let line, let reason):
            return "template \(file)\(line.map { ", line \($0)" } ?? ""): \(reason); the pages were not written"
        }
    }
}
