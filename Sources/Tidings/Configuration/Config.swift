import Curation
import Fetching
import Foundation
import Parsing
import Publishing

/// The settings of one Tidings site, as `feeds.yaml` gives them, with every default applied and every
/// path resolved against the folder of `feeds.yaml`.
public struct Config: Sendable, Equatable {
    public var file: URL
    public var title: String
    /// Where the output folder is served from, ending in "/".
    public var baseURL: String
    public var outputFolder: URL
    public var databaseFile: URL
    public var pollInterval: Duration
    /// How many entries the combined feeds and the index carry.
    public var maxEntries: Int
    /// At most this many of one source's entries in the combined feeds and the index (nil: no cap).
    public var maxPerSource: Int?
    /// A new source's first fetch sends only its newest this many posts to the front page (nil: all).
    public var newSourceItems: Int?
    /// Entries dated longer ago than this are removed (leaving tombstones); nil keeps everything.
    public var retention: Duration?
    public var sources: [SourceConfig]
    /// How to fetch: limits, timeouts, body size.
    public var fetch = FetchSettings()
    /// How often to poll and how long to wait after failures.
    public var polling = PollPolicy()
    /// What is allowed but probably not meant, said on every run (an unset `base_url`, far more sources than
    /// Tidings is measured with).
    public var warnings: [String] {
        var warnings = readWarnings
        if baseURL == Self.defaultBaseURL && !baseURLIsSet {
            warnings.append(
                "\(file.path): base_url is not set, so the feeds say \(Self.defaultBaseURL)… for their own address and"
                    + " their entries' ids; set base_url to where the output folder is served (e.g."
                    + " https://example.com/planet/) before anyone subscribes")
        }
        if sources.count > Self.measuredSources * 2 {
            warnings.append(
                "\(file.path): \(sources.count) sources; Tidings is built and measured for up to"
                    + " \(Self.measuredSources) (about 100 MB and minutes per cold refresh at that size): expect more"
                    + " memory and longer rounds, or split the planet")
        }
        return warnings
    }

    /// What the reader found allowed but unwise, each with its line (a secret written in the file).
    public var readWarnings: [String] = []
    /// Whether a value comes from the environment, a file or a credential: read only when `SecretReading`
    /// says so, so a configuration read without them must be read again before fetching.
    public var refersToSecrets = false

    /// The most sources Tidings' benchmarks measure (README, "At scale").
    public static let measuredSources = 10_000
    /// The largest `feeds.yaml` read, in bytes.
    public static let largestFile = 8_000_000
    /// How the HTML pages read: language, time zone, day order, summary length.
    public var pages = PageSettings()
    /// A folder of Mustache templates overriding the built-in ones by name; nil uses the built-in ones.
    public var templatesFolder: URL?
    /// Whether `base_url` was given (even as the default's value).
    public var baseURLIsSet = false
    /// How long a source fails before `health.atom` and `tidings status` show it as a problem.
    public var healthAfter = Config.defaultHealthAfter
    /// Where the Prometheus text file is rewritten after each round; nil writes none.
    public var metricsFile: URL?
    /// The operator's filters: which stored entries the planet shows.
    public var curation = Curation()
    /// How much the daemon logs: one of `logLevels` (`--log-level` overrides it).
    public var logLevel = "info"
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    public static let defaultTitle = "Tidings"
    public static let defaultBaseURL = "http://localhost/"
    public static let defaultOutput = "output"
    public static let defaultDatabase = "tidings.sqlite"
    public static let defaultPollInterval = Duration.seconds(30 * 60)
    public static let defaultMaxEntries = 50
    public static let defaultHealthAfter = Duration.seconds(24 * 3600)

    /// Reads and checks `feeds.yaml`. Nothing is fetched or written when this throws.
    /// Whether the secrets `feeds.yaml` refers to (`{ env: … }`, `{ file: … }`, `{ credential: … }`) are read.
    public enum SecretReading: Sendable {
        /// Read, and refused when missing: for what fetches.
        case read
        /// Read where they can be, warned about where not (`tidings check` run outside the service).
        case check
        /// Checked for their form only, never read (left empty): for commands that fetch nothing, so that
        /// `tidings status` works in a shell that lacks the service's environment and credentials.
        case skip
    }

    public static func load(from file: URL, secrets: SecretReading = .read) throws(ConfigError) -> Config {
        // Refused before it is read: the YAML tree of a file takes about twenty times its size in memory.
        if let size = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? Int,
            size > largestFile
        {
            throw .unreadable(
                path: file.path,
                reason: "it is \(size / 1_000_000) MB; a configuration is read whole, and Tidings reads at most"
                    + " \(largestFile / 1_000_000) MB (some 100,000 sources)")
        }
        // Read as bytes and decoded here: Foundation's String(contentsOf:encoding:) leaks its buffer when the
        // file is not UTF-8 (LeakSanitizer).
        guard let data = FileManager.default.contents(atPath: file.path) else {
            let reason = FileManager.default.fileExists(atPath: file.path) ? "it cannot be read" : "no such file"
            throw .unreadable(path: file.path, reason: reason)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .unreadable(path: file.path, reason: "it is not UTF-8 text")
        }
        return try parse(text, file: file, secrets: secrets)
    }

    /// Reads and checks the text of a `feeds.yaml` that lives at `file` (relative paths resolve beside it).
    public static func parse(_ text: String, file: URL, secrets: SecretReading = .read) throws(ConfigError) -> Config {
        var reader = ConfigReader(path: file.path, folder: file.deletingLastPathComponent())
        reader.secretReading = secrets
        return try reader.read(text, file: file)
    }
}

/// One followed source.
public struct SourceConfig: Sendable, Equatable {
    /// A short unique name, used in ids and on the command line.
    public var key: String
    /// The absolute URL: http(s), or `file:` for a local document.
    public var url: String
    public var title: String?
    /// Extraction rules for a page without a feed.
    public var html: ExtractionRules?
    /// How to read this source's documents: time zone, encoding, future dates, ids.
    public var parser: ParserOptions = ParserOptions()
    /// Whether each new entry's own page is fetched for its full text.
    public var follow: FollowRule?
    /// A fixed polling interval in place of the adaptive one.
    public var interval: Duration?
    /// This source's own body limit.
    public var maxBodyBytes: Int?
    /// What its requests send: user agent, headers, cookie, protocol version, proxy, CA file (the `fetch:`
    /// defaults with the source's own over them; secrets resolved).
    public var http = HTTPOptions()
    public var isLocalFile: Bool { url.lowercased().hasPrefix("file:") }
}

/// `follow:` of a source: fetch each new entry's page once and store its article body as the content.
public struct FollowRule: Sendable, Equatable {
    /// Where the article is on its page; empty for the main text block a readability score finds.
    public var content: [PageSelector]
}

extension Config {
    /// The store a configuration names, read from its top-level `database:` line alone, for a command that
    /// needs nothing else (`tidings search`: reading 10,000 sources took 0.12 s of a 0.17 s search). Nil when
    /// the file gives no such line (a flow mapping, a quoted value with escapes…): the whole reading decides.
    public static func databaseFile(quicklyFrom file: URL) -> URL? {
        guard let data = FileManager.default.contents(atPath: file.path), data.count <= largestFile else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
        where line.hasPrefix("database:") {
            var value = line.dropFirst("database:".count).trimmingCharacters(in: .whitespacesAndNewlines)
            if let comment = value.range(of: " #") { value = String(value[..<comment.lowerBound]) }
            value = value.trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "'" || first == "\"", value.last == first {
                value = String(value.dropFirst().dropLast())
                guard !value.contains("\\"), !value.contains(first) else { return nil }
            }
            guard !value.isEmpty, !"'\"{[|>&*!%@`".contains(value.first!) else { return nil }
            return URL(fileURLWithPath: value, relativeTo: file.deletingLastPathComponent()).standardizedFileURL
        }
        return nil
    }
}

extension Config {
    /// Why a refresh of `keys` cannot run: the keys no source has, named with the file; nil when every key is
    /// a configured source's.
    public func unknownSources(_ keys: [String]) -> String? {
        let unknown = keys.filter { key in !sources.contains { $0.key == key } }
        guard !unknown.isEmpty else { return nil }
        return "no source with key \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in \(file.path)"
    }
}
