/// A `feeds.yaml` that cannot be used. Each message names the file, the line and the field at fault,
/// and says what was expected, so the user can fix it without reading the source.
public enum ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case syntax(path: String, line: Int?, message: String)
    case invalid(path: String, line: Int?, field: String, message: String)
    /// A value refused at a place within its line (a regular expression): `feeds.yaml:LINE:COLUMN`.
    case invalidAt(path: String, line: Int, column: Int, field: String, message: String)
    /// More than one of the above, in the file's order.
    case several([ConfigError])

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the configuration: \(reason)"
        case .syntax(let path, let line, let message):
            return "\(Self.location(path, line)): not valid YAML: \(message)"
        case .invalid(let path, let line, let field, let message):
            return "\(Self.location(path, line)): \(field): \(message)"
        case .invalidAt(let path, let line, let column, let field, let message):
            return "\(path):\(line):\(column): \(field): \(message)"
        case .several(let problems):
            return problems.map(\.description).joined(separator: "\n")
        }
    }

    /// Each problem on its own.
    public var problems: [ConfigError] {
        if case .several(let problems) = self { return problems }
        return [self]
    }

    /// The line at fault, when there is one.
    var line: Int? {
        switch self {
        case .unreadable: nil
        case .syntax(_, let line, _), .invalid(_, let line, _, _): line
        case .invalidAt(_, let line, _, _, _): line
        case .several(let problems): problems.first?.line
        }
    }

    private static func location(_ path: String, _ line: Int?) -> String {
        line.map { "\(path):\($0)" } ?? path
    }
}
