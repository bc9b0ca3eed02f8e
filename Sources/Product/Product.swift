/// What this build of Tidings is: its name and version, for the User-Agent that server operators see, for
/// `--version`, and for the fingerprints that make a new version render its outputs and parse its
/// documents again.
public enum Product {
    public static let name = "Tidings"
    public static let version = "0.1.0"
    public static let homepage = "https://github.com/tidings-feed/tidings"
    public static let userAgent = "\(name)/\(version) (+\(homepage))"
}
