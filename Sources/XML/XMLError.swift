/// Why libxml2 could not give us a document.
public enum XMLError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Not even recover mode could build a tree (empty input, binary data, no root element).
    case unparsable(reason: String, line: Int?)
    /// A document refused on purpose because reading it would cost too much (entity expansion, nesting).
    case refused(String)
    /// An XPath expression that libxml2 rejected; the expression is quoted so a user can fix it.
    case invalidXPath(String)

    public var description: String {
        switch self {
        case .unparsable(let reason, let line?):
            return "not parsable as XML (line \(line)): \(reason)"
        case .unparsable(let reason, nil):
            return "not parsable as XML: \(reason)"
        case .refused(let reason):
            return "refused: \(reason)"
        case .invalidXPath(let expression):
            return "invalid XPath expression '\(expression)'"
        }
    }
}
