import Checked
import Curation
import Fetching
import Foundation
import Parsing
import Publishing
import Time
import Yams

/// Walks the YAML tree of `feeds.yaml` node by node, so every error can name its line, and refuses
/// unknown fields instead of silently ignoring a typo.
struct ConfigReader {
    let path: String
    let folder: URL
    /// Every problem found so far: the whole file is read before any is reported.
    let problems = Problems()
    /// Where `{ env: NAME }` values are read from.
    var environment = ProcessInfo.processInfo.environment
    var secretReading = Config.SecretReading.read

    final class Problems {
        var list: [ConfigError] = []
        /// What is allowed but unwise (a secret written in the file), with its line.
        var warnings: [(line: Int, text: String)] = []
        /// Whether any value is a `{ env: … }`, `{ file: … }` or `{ credential: … }` secret.
        var refersToSecrets = false
    }

    /// The `fetch:` section's HTTP options, which each source's own go over.
    let defaultHTTP = DefaultHTTP()

    final class DefaultHTTP {
        var value = HTTPOptions()
    }

    /// Each source's `filters:` node, read once every source is known.
    private var sourceFilters: [(String, Node)] { sourceFilterNodes.list }
    private let sourceFilterNodes = SourceFilterNodes()

    /// The global `future_dates`, which each source's own overrides.
    private let defaultFutureDates = DefaultFutureDates()

    private final class DefaultFutureDates {
        var value = ParserOptions.FutureDates.clamp
    }

    private final class SourceFilterNodes {
        var list: [(String, Node)] = []
    }

    /// Runs one independent part of the reading; a problem in it is noted and the reading goes on (nil).
    func checking<T>(_ body: () throws(ConfigError) -> T) -> T? {
        do {
            return try body()
        } catch {
            problems.list.append(error)
            return nil
        }
    }

    /// `checking` for an optional setting: nil when it is absent or wrong.
    func value<T>(_ body: () throws(ConfigError) -> T?) -> T? {
        checking(body).flatMap { $0 }
    }

    static let siteFields = [
        "title", "base_url", "output", "database", "poll_interval", "max_entries", "retention", "fetch", "sources",
        "templates", "pages", "log_level", "health_after", "metrics_file", "filters", "max_per_source",
        "new_source_items", "future_dates",
    ]
    static let pagesFields = ["language", "timezone", "day_order", "summary_length", "search"]
    static let fetchFields = [
        "concurrency", "per_site", "connect_timeout", "timeout", "low_speed_limit", "low_speed_time", "max_body",
        "max_interval", "max_backoff", "max_retry_after", "adopt_moves_after", "adopt_moves_seen",
    ] + httpFields
    static let sourceFields = [
        "key", "url", "title", "html", "timezone", "encoding", "future_dates", "id_from", "follow", "interval",
        "max_body", "filters",
    ] + httpFields
    static let ruleFields = [
        "item", "title", "link", "summary", "content", "date", "date_format", "author", "image", "categories", "id",
    ]

    func read(_ text: String, file: URL) throws(ConfigError) -> Config {
        let root: Node
        do {
            // Values are read by their fields' own rules (`int`, `bool`, `null` look at the text), so no implicit
            // tag resolution: its regular expressions were a quarter of a one-source refresh at 10,000 sources.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw ConfigError.invalid(
                    path: path, line: nil, field: "sources", message: "the file is empty; list at least one source")
            }
            root = node
        } catch let error as ConfigError {
            throw error
        } catch let error as YamlError {
            throw Self.syntaxError(error, path: path)
        } catch {
            throw .syntax(path: path, line: nil, message: "\(error)")
        }
        let fields = try mapping(root, field: "feeds.yaml", allowed: Self.siteFields)
        // The default of every source's `future_dates`, read before the sources.
        if let node = fields["future_dates"],
            let choice = value({ () throws(ConfigError) -> ParserOptions.FutureDates? in
                try choice(node, field: "future_dates")
            })
        {
            defaultFutureDates.value = choice
        }
        let sourcesNode = checking { () throws(ConfigError) in try required(fields, "sources", in: root) }
        let pollInterval =
            value { () throws(ConfigError) in try interval(fields["poll_interval"], field: "poll_interval") }
            ?? Config.defaultPollInterval
        var fetch = FetchSettings()
        var polling = PollPolicy(interval: pollInterval)
        if let node = fields["fetch"] { readFetch(node, into: &fetch, polling: &polling) }
        var config = Config(
            file: file,
            title: value { () throws(ConfigError) in try title(fields["title"], field: "title") }
                ?? Config.defaultTitle,
            baseURL: checking { () throws(ConfigError) in try baseURL(fields["base_url"]) } ?? Config.defaultBaseURL,
            outputFolder: value { () throws(ConfigError) in try localPath(fields["output"], field: "output") }
                ?? folder.appendingPathComponent(Config.defaultOutput),
            databaseFile: value { () throws(ConfigError) in try localPath(fields["database"], field: "database") }
                ?? folder.appendingPathComponent(Config.defaultDatabase),
            pollInterval: pollInterval,
            maxEntries: value { () throws(ConfigError) in try positiveInt(fields["max_entries"], field: "max_entries") }
                ?? Config.defaultMaxEntries,
            retention: value { () throws(ConfigError) in try retention(fields["retention"]) },
            sources: sourcesNode.map(sources) ?? [], fetch: fetch, polling: polling)
        config.baseURLIsSet = fields["base_url"] != nil
        config.maxPerSource = value { () throws(ConfigError) in
            try positiveInt(fields["max_per_source"], field: "max_per_source")
        }
        config.newSourceItems = value { () throws(ConfigError) in
            try positiveInt(fields["new_source_items"], field: "new_source_items")
        }
        if let node = fields["pages"], let pages = checking({ () throws(ConfigError) in try pages(node) }) {
            config.pages = pages
        }
        config.templatesFolder = value { () throws(ConfigError) in
            try localPath(fields["templates"], field: "templates")
        }
        if let level = value({ () throws(ConfigError) in try logLevel(fields["log_level"]) }) {
            config.logLevel = level
        }
        config.metricsFile = value { () throws(ConfigError) in
            try localPath(fields["metrics_file"], field: "metrics_file")
        }
        config.healthAfter =
            value { () throws(ConfigError) in try interval(fields["health_after"], field: "health_after", minimum: 0) }
            ?? config.healthAfter
        var bySource: [String: [FilterRule]] = [:]
        for (key, node) in sourceFilters { bySource[key] = filters(node, field: "sources '\(key)'.filters") }
        config.curation = Curation(global: filters(fields["filters"], field: "filters"), bySource: bySource)
        if let folder = config.templatesFolder, !FileManager.default.fileExists(atPath: folder.path),
            let node = fields["templates"]
        {
            problems.list.append(
                invalid(
                    node, "templates",
                    "no folder at \(folder.path); `tidings templates export \(folder.path)` makes one"))
        }
        // In the file's order, whatever order they were checked in.
        let found = problems.list.enumerated().sorted {
            ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset)
        }
        .map(\.element)
        if let first = found.first { throw found.count == 1 ? first : .several(found) }
        config.refersToSecrets = problems.refersToSecrets
        config.readWarnings = problems.warnings.enumerated().sorted {
            ($0.element.line, $0.offset) < ($1.element.line, $1.offset)
        }.map(\.element.text)
        return config
    }

    private func logLevel(_ node: Node?) throws(ConfigError) -> String? {
        guard let node, let text = try string(node, field: "log_level") else { return nil }
        guard let level = Config.logLevels.first(where: { $0 == text.lowercased() }) else {
            throw invalid(
                node, "log_level", "'\(text)' is not a level; use one of \(Config.logLevels.joined(separator: ", "))")
        }
        return level
    }

    /// The `fetch:` section: limits for the fetcher and bounds for the scheduler. Each field is checked on its
    /// own; a wrong one keeps its default.
    private func readFetch(_ node: Node, into fetch: inout FetchSettings, polling: inout PollPolicy) {
        guard
            let fields = checking({ () throws(ConfigError) in
                try mapping(node, field: "fetch", allowed: Self.fetchFields)
            })
        else { return }
        func seconds(_ name: String) -> Int? {
            value { () throws(ConfigError) in
                try interval(fields[name], field: "fetch.\(name)", minimum: 1).map { Int($0.components.seconds) }
            }
        }
        func duration(_ name: String) -> Duration? {
            value { () throws(ConfigError) in try interval(fields[name], field: "fetch.\(name)", minimum: 60) }
        }
        func count(_ name: String) -> Int? {
            value { () throws(ConfigError) in try positiveInt(fields[name], field: "fetch.\(name)") }
        }
        func size(_ name: String) -> Int? {
            value { () throws(ConfigError) in try byteCount(fields[name], field: "fetch.\(name)") }
        }
        fetch.maxConcurrentTransfers = count("concurrency") ?? fetch.maxConcurrentTransfers
        fetch.maxTransfersPerSite = count("per_site") ?? fetch.maxTransfersPerSite
        fetch.connectTimeoutSeconds = seconds("connect_timeout") ?? fetch.connectTimeoutSeconds
        fetch.totalTimeoutSeconds = seconds("timeout") ?? fetch.totalTimeoutSeconds
        fetch.lowSpeedBytesPerSecond =
            value { () throws(ConfigError) in try speed(fields["low_speed_limit"], field: "fetch.low_speed_limit") }
            ?? fetch.lowSpeedBytesPerSecond
        fetch.lowSpeedSeconds = seconds("low_speed_time") ?? fetch.lowSpeedSeconds
        fetch.maxBodyBytes = size("max_body") ?? fetch.maxBodyBytes
        polling.maxInterval = duration("max_interval") ?? polling.maxInterval
        polling.maxBackoff = duration("max_backoff") ?? polling.maxBackoff
        polling.maxRetryAfter = duration("max_retry_after") ?? polling.maxRetryAfter
        polling.adoptMovesAfter =
            value { () throws(ConfigError) in
                try interval(fields["adopt_moves_after"], field: "fetch.adopt_moves_after", minimum: 0)
            } ?? polling.adoptMovesAfter
        polling.adoptMovesSeen = count("adopt_moves_seen") ?? polling.adoptMovesSeen
        defaultHTTP.value = httpOptions(fields, label: "fetch")
        if polling.maxInterval < polling.interval, let node = fields["max_interval"] {
            problems.list.append(
                invalid(node, "fetch.max_interval", "is shorter than poll_interval; make it at least as long"))
        }
    }

    /// "16MB", "512KB", "1GB" or a number of bytes.
    private func byteCount(_ node: Node?, field: String) throws(ConfigError) -> Int? {
        guard let node, let text = try string(node, field: field) else { return nil }
        guard let bytes = Self.bytes(in: text), bytes > 0 else {
            throw invalid(node, field, "'\(text)' is not a size; write e.g. 512KB, 16MB or a number of bytes")
        }
        guard bytes <= Self.largestSize else {
            throw invalid(node, field, "'\(text)' is more than 1GB, the most a response can be held in memory")
        }
        return bytes
    }

    /// A speed in bytes a second: "1KB", "512" (`low_speed_limit`).
    private func speed(_ node: Node?, field: String) throws(ConfigError) -> Int? {
        guard let node, let text = try string(node, field: field) else { return nil }
        guard let bytes = Self.bytes(in: text), bytes > 0 else {
            throw invalid(node, field, "'\(text)' is not a speed; write bytes a second, e.g. 1KB or 512")
        }
        guard bytes <= Self.largestSize else {
            throw invalid(
                node, field,
                "'\(text)' a second is faster than any connection (1GB a second at most): every transfer would be"
                    + " abandoned as too slow")
        }
        return bytes
    }

    static func bytes(in text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [
            ("TIB", 1 << 40), ("GIB", 1 << 30), ("MIB", 1 << 20), ("KIB", 1 << 10), ("TB", 1 << 40), ("GB", 1 << 30),
            ("MB", 1 << 20), ("KB", 1 << 10), ("T", 1 << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1),
        ]
        for (suffix, multiplier) in units where trimmed.hasSuffix(suffix) {
            let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            guard let value = Checked.integer(number, saturating: true) else { return nil }
            return Checked.product(value, multiplier) ?? .max
        }
        return Checked.integer(trimmed, saturating: true)
    }

    /// The longest text any setting takes, in bytes: a URL, a selector, a pattern.
    static let longestValue = 4096
    /// The longest title, in characters: titles are copied into every page and feed.
    static let longestTitle = 300

    /// A site's or a source's title.
    private func title(_ node: Node?, field: String) throws(ConfigError) -> String? {
        guard let node, let text = try string(node, field: field) else { return nil }
        let length = text.count
        guard length <= Self.longestTitle else {
            throw invalid(
                node, field, "is \(length) characters long; a title is shown on every page, keep it to \(Self.longestTitle)")
        }
        return text
    }

    /// The largest size any setting takes: a body is held in memory whole.
    static let largestSize = 1 << 30

    // MARK: Sources

    /// Every source, each checked on its own: a wrong one is left out (and reported) and the others read.
    private func sources(_ node: Node) -> [SourceConfig] {
        if node.null != nil {
            // A fresh install's file: every example commented out.
            problems.list.append(invalid(node, "sources", "no source yet; add at least one, each starting with '- key:'"))
            return []
        }
        guard case .sequence(let sequence) = node else {
            problems.list.append(invalid(node, "sources", "expected a list of sources, each starting with '- key:'"))
            return []
        }
        if sequence.isEmpty {
            problems.list.append(invalid(node, "sources", "the list is empty; add at least one source"))
        }
        var seenKeys: [String: Int] = [:]
        return sequence.enumerated().compactMap { index, item in
            value { () throws(ConfigError) in try source(item, index: index, seenKeys: &seenKeys) }
        }
    }

    private func source(_ item: Node, index: Int, seenKeys: inout [String: Int]) throws(ConfigError) -> SourceConfig? {
        let label = "sources[\(index + 1)]"
        let fields = try mapping(item, field: label, allowed: Self.sourceFields)
        let keyNode = try required(fields, "key", in: item, label: label)
        guard let key = try string(keyNode, field: "\(label).key"),
            !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw invalid(
                keyNode, "\(label).key", "use letters, digits, '-' and '_' only (it appears in ids and URLs)")
        }
        if let firstLine = seenKeys[key] {
            throw invalid(keyNode, "\(label).key", "'\(key)' is already the key of the source on line \(firstLine)")
        }
        seenKeys[key] = keyNode.mark?.line ?? 0
        // Every field is checked on its own, so one source's problems are all reported at once; the source is
        // left out (nil) when any is wrong.
        let before = problems.list.count
        let named = "sources '\(key)'"
        let url = checking { () throws(ConfigError) in
            try sourceURL(try required(fields, "url", in: item, label: named), label: "\(named).url")
        }
        var html = value { () throws(ConfigError) in
            try fields["html"].map { node throws(ConfigError) in try rules(node, label: "\(named).html") }
        }
        let follow = value { () throws(ConfigError) in
            try followRule(fields["follow"], html: &html, label: "\(named).follow")
        }
        let sourceTitle = value { () throws(ConfigError) in try title(fields["title"], field: "\(named).title") }
        let parser = checking { () throws(ConfigError) in try parserOptions(fields, label: named) }
        let fixedInterval = value { () throws(ConfigError) in
            try interval(fields["interval"], field: "\(named).interval")
        }
        let maxBody = value { () throws(ConfigError) in try byteCount(fields["max_body"], field: "\(named).max_body") }
        var http = httpOptions(fields, label: named).over(defaultHTTP.value)
        http.origin = url
        guard problems.list.count == before, let url, let parser else { return nil }
        if let node = fields["filters"] { sourceFilterNodes.list.append((key, node)) }
        return SourceConfig(
            key: key, url: url, title: sourceTitle, html: html, parser: parser, follow: follow,
            interval: fixedInterval, maxBodyBytes: maxBody, http: http)
    }

    /// `follow: true` (the article found by score, or by the `html.content` rule, which then applies to the
    /// article page instead of the item), `follow: SELECTOR`, or `follow: false`.
    private func followRule(_ node: Node?, html: inout ExtractionRules?, label: String) throws(ConfigError)
        -> FollowRule?
    {
        guard let node, try string(node, field: label) != nil else { return nil }
        switch node.bool {
        case true?:
            defer { html?.content = [] }
            return FollowRule(content: html?.content ?? [])
        case false?:
            return nil
        case nil:
            return FollowRule(content: try selectors(node, field: label, scope: .page))
        }
    }

    /// The `pages:` section: how the HTML pages read.
    private func pages(_ node: Node) throws(ConfigError) -> PageSettings {
        let fields = try mapping(node, field: "pages", allowed: Self.pagesFields)
        var pages = PageSettings()
        if let node = fields["language"], let language = try string(node, field: "pages.language") {
            // A BCP 47 tag's characters: ASCII letters and digits in parts joined by hyphens.
            let isTag =
                !language.isEmpty && language.utf8.count <= 35 && !language.hasPrefix("-")
                && language.utf8.allSatisfy {
                    $0 == 0x2D || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0 & 0xDF)
                }
            guard isTag else {
                throw invalid(node, "pages.language", "'\(language)' is not a language tag; write e.g. en, de or pt-BR")
            }
            pages.language = language
        }
        if let zone = try timeZone(fields["timezone"], field: "pages.timezone") { pages.timeZone = zone }
        if let node = fields["day_order"], let text = try string(node, field: "pages.day_order") {
            guard let order = PageSettings.DayOrder(rawValue: text) else {
                throw invalid(node, "pages.day_order", "'\(text)' is not calendar or newest_first")
            }
            pages.dayOrder = order
        }
        if let node = fields["summary_length"] {
            guard let length = node.int, (0...2000).contains(length) else {
                throw invalid(node, "pages.summary_length", "expected a number of characters from 0 to 2000")
            }
            pages.summaryLength = length
        }
        if let node = fields["search"] {
            guard let search = node.bool else {
                throw invalid(node, "pages.search", "expected true (a search box on the pages) or false")
            }
            pages.search = search
        }
        return pages
    }

    /// A zone by name (Europe/Berlin, UTC) or offset (+02:00).
    private func timeZone(_ node: Node?, field: String) throws(ConfigError) -> TimeZone? {
        guard let node, let name = try string(node, field: field) else { return nil }
        guard let zone = TimeZone(identifier: name) ?? ZoneOffset.fixedZone(name) else {
            throw invalid(node, field, "'\(name)' is not a time zone; write e.g. Europe/Berlin, UTC or +02:00")
        }
        return zone
    }

    private func parserOptions(_ fields: [String: Node], label: String) throws(ConfigError) -> ParserOptions {
        var options = ParserOptions()
        options.futureDates = defaultFutureDates.value
        if let zone = try timeZone(fields["timezone"], field: "\(label).timezone") { options.naiveTimeZone = zone }
        if let node = fields["encoding"], let name = try string(node, field: "\(label).encoding") {
            guard ParserOptions.isSupportedEncoding(name) else {
                throw invalid(
                    node, "\(label).encoding",
                    "'\(name)' is not an encoding Tidings can read; e.g. windows-1252, koi8-r, shift_jis")
            }
            options.encoding = name
        }
        if let node = fields["future_dates"] {
            options.futureDates = try choice(node, field: "\(label).future_dates")
        }
        if let node = fields["id_from"] {
            options.idSource = try choice(node, field: "\(label).id_from")
        }
        return options
    }

    private func choice<Choice: RawRepresentable & CaseIterable>(_ node: Node, field: String) throws(ConfigError)
        -> Choice
    where Choice.RawValue == String {
        let text = try string(node, field: field) ?? ""
        guard let value = Choice(rawValue: text) else {
            let choices = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw invalid(node, field, "'\(text)' is not one of \(choices)")
        }
        return value
    }

    private func rules(_ node: Node, label: String) throws(ConfigError) -> ExtractionRules {
        let fields = try mapping(node, field: label, allowed: Self.ruleFields)
        guard let itemNode = fields["item"], let itemText = try string(itemNode, field: "\(label).item"),
            !itemText.isEmpty
        else {
            throw invalid(
                fields["item"] ?? node, "\(label).item",
                "missing: a CSS selector matching one element per post, e.g. article or li.post")
        }
        var rules = ExtractionRules(item: try selector(itemText, node: itemNode, field: "\(label).item", scope: .page))
        func list(_ name: String) throws(ConfigError) -> [PageSelector] {
            guard let node = fields[name] else { return [] }
            return try selectors(node, field: "\(label).\(name)")
        }
        rules.title = try list("title")
        rules.link = try list("link")
        rules.summary = try list("summary")
        rules.content = try list("content")
        rules.date = try list("date")
        rules.author = try list("author")
        rules.image = try list("image")
        rules.categories = try list("categories")
        rules.dateFormat = try string(fields["date_format"], field: "\(label).date_format")
        if let format = rules.dateFormat, !DatePattern.isReadable(format), let node = fields["date_format"] {
            throw invalid(
                node, "\(label).date_format",
                "'\(format)' uses a letter Tidings does not read; use y, M, d, H, h, a, m, s, S, E, Z and 'quoted text'"
            )
        }
        if let idNode = fields["id"] {
            rules.id = idNode.string == "link" ? .link : .selector(try selectors(idNode, field: "\(label).id"))
        }
        return rules
    }

    /// One selector, or a list of fallbacks tried in order.
    private func selectors(_ node: Node, field: String, scope: PageSelector.Scope = .item) throws(ConfigError)
        -> [PageSelector]
    {
        let items: [Node]
        if case .sequence(let sequence) = node {
            items = Array(sequence)
        } else {
            items = [node]
        }
        var result: [PageSelector] = []
        for (index, item) in items.enumerated() {
            let itemField = items.count > 1 ? "\(field)[\(index + 1)]" : field
            guard let text = try string(item, field: itemField), !text.isEmpty else {
                throw invalid(item, itemField, "empty selector")
            }
            result.append(try selector(text, node: item, field: itemField, scope: scope))
        }
        return result
    }

    private func selector(_ text: String, node: Node, field: String, scope: PageSelector.Scope) throws(ConfigError)
        -> PageSelector
    {
        do {
            return try PageSelector(text, scope: scope)
        } catch {
            throw invalid(node, field, error.description + " (write raw XPath as 'xpath: …')")
        }
    }

    /// http(s) URLs as given; `file:` URLs and bare paths resolved against the folder of `feeds.yaml`.
    private func sourceURL(_ node: Node, label: String) throws(ConfigError) -> String {
        guard let text = try string(node, field: label), !text.isEmpty else {
            throw invalid(node, label, "missing: the address of the feed or page")
        }
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            guard let url = URL(string: text), url.host != nil else {
                throw invalid(node, label, "'\(text)' is not a valid URL")
            }
            return text
        }
        if lowered.hasPrefix("file:") {
            let rest = String(text.dropFirst(5))
            let path = rest.hasPrefix("//") ? String(rest.dropFirst(2)) : rest
            return URL(fileURLWithPath: path, relativeTo: folder).standardizedFileURL.absoluteString
        }
        if text.contains("://") {
            throw invalid(node, label, "'\(text)' uses an unsupported scheme; use http, https or file")
        }
        return URL(fileURLWithPath: text, relativeTo: folder).standardizedFileURL.absoluteString
    }

    // MARK: Site settings

    private func baseURL(_ node: Node?) throws(ConfigError) -> String {
        guard let node, let text = try string(node, field: "base_url") else { return Config.defaultBaseURL }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            url.host != nil
        else {
            throw invalid(node, "base_url", "'\(text)' is not an http(s) URL, e.g. https://example.com/tidings/")
        }
        return text.hasSuffix("/") ? text : text + "/"
    }

    func localPath(_ node: Node?, field: String) throws(ConfigError) -> URL? {
        guard let node, let text = try string(node, field: field) else { return nil }
        guard !text.isEmpty else { throw invalid(node, field, "empty path") }
        return URL(fileURLWithPath: text, relativeTo: folder).standardizedFileURL
    }

    /// A polling interval: at least a minute unless `minimum` says otherwise.
    private func interval(_ node: Node?, field: String, minimum: Int = 60) throws(ConfigError) -> Duration? {
        guard let node, let text = try string(node, field: field) else { return nil }
        guard let seconds = text.trimmingCharacters(in: .whitespaces) == "0" ? 0 : Self.seconds(in: text) else {
            throw invalid(node, field, "'\(text)' is not an interval; write e.g. 90s, 30m, 2h or 1h30m")
        }
        guard seconds >= minimum else {
            let reason =
                minimum == 60 ? "shorter than a minute, which is impolite to the sites polled" : "too short"
            throw invalid(node, field, "'\(text)' is \(reason)")
        }
        guard seconds <= Self.longestInterval else {
            throw invalid(node, field, "'\(text)' is longer than ten years (3650d), which no schedule needs")
        }
        return .seconds(seconds)
    }

    /// The longest interval a setting takes; longer ones are mistakes, and would overflow date arithmetic.
    static let longestInterval = 3650 * 86_400

    /// "1h30m" → 5400. Units: s, m, h, d; a bare number is seconds.
    static func seconds(in text: String) -> Int? {
        var total = 0
        var number = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces) {
            if character.isNumber {
                number.append(character)
            } else {
                let multiplier: Int
                switch character {
                case "s": multiplier = 1
                case "m": multiplier = 60
                case "h": multiplier = 3600
                case "d": multiplier = 86_400
                default: return nil
                }
                // Too many digits or an overflow saturates, so the caller's upper bound names the mistake.
                guard let value = Checked.integer(number, saturating: true) else { return nil }
                total = Checked.product(value, multiplier).flatMap { Checked.sum(total, $0) } ?? .max
                number = ""
                sawUnit = true
            }
        }
        if !number.isEmpty {
            guard !sawUnit, let value = Checked.integer(number, saturating: true) else { return nil }
            total = Checked.sum(total, value) ?? .max
        }
        return total > 0 ? total : nil
    }

    private func retention(_ node: Node?) throws(ConfigError) -> Duration? {
        guard let node, let text = try string(node, field: "retention") else { return nil }
        guard let seconds = Self.seconds(in: text), seconds >= 86_400 else {
            throw invalid(node, "retention", "'\(text)' is not a period of at least a day; write e.g. 90d or 365d")
        }
        guard seconds <= 100 * Self.longestInterval else {
            throw invalid(node, "retention", "'\(text)' is more than a thousand years; leave it out to keep everything")
        }
        return .seconds(seconds)
    }

    private func positiveInt(_ node: Node?, field: String) throws(ConfigError) -> Int? {
        guard let node else { return nil }
        guard let value = node.int, value > 0, value <= 1_000_000 else {
            throw invalid(node, field, "expected a whole number from 1 to 1000000")
        }
        return value
    }

    // MARK: Filters

    static let filterFields = ["title", "author", "category", "link", "summary", "content", "date", "older_than"]

    /// A `filters:` list: each item `include: {FIELD: PATTERN, …}` or `exclude: {…}`. Every rule is checked on
    /// its own; a wrong one is reported and left out.
    private func filters(_ node: Node?, field: String) -> [FilterRule] {
        guard let node else { return [] }
        guard case .sequence(let items) = node else {
            problems.list.append(invalid(node, field, "expected a list of rules, each '- include: {…}' or '- exclude: {…}'"))
            return []
        }
        return items.compactMap { item in value { () throws(ConfigError) in try filterRule(item, field: field) } }
    }

    private func filterRule(_ item: Node, field: String) throws(ConfigError) -> FilterRule? {
        let fields = try mapping(item, field: field, allowed: ["include", "exclude"])
        guard fields.count == 1, let (word, body) = fields.first, let kind = FilterRule.Kind(rawValue: word) else {
            throw invalid(item, field, "a rule is either include: {…} or exclude: {…}")
        }
        let label = "\(field).\(word)"
        let conditionsNode = try mapping(body, field: label, allowed: Self.filterFields)
        guard !conditionsNode.isEmpty else {
            throw invalid(body, label, "names no field; use one or more of \(Self.filterFields.joined(separator: ", "))")
        }
        var conditions: [FilterRule.Condition] = []
        var written: [String] = []
        for name in Self.filterFields {
            guard let node = conditionsNode[name] else { continue }
            let (condition, text) = try filterCondition(name, node, label: "\(label).\(name)")
            conditions.append(condition)
            written.append("\(name): \(text)")
        }
        if conditions.contains(.future), conditions.contains(where: { if case .olderThan = $0 { true } else { false } }) {
            throw invalid(body, label, "date: future and older_than together can match nothing; make them two rules")
        }
        let origin = "\(URL(fileURLWithPath: path).lastPathComponent):\(item.mark?.line ?? 0)"
        return FilterRule(
            kind: kind, conditions: conditions, origin: origin, text: "\(word) { \(written.joined(separator: ", ")) }")
    }

    private func filterCondition(_ name: String, _ node: Node, label: String) throws(ConfigError) -> (
        FilterRule.Condition, String
    ) {
        switch name {
        case "date":
            if case .mapping = node {
                let fields = try mapping(node, field: label, allowed: ["older_than"])
                guard let age = fields["older_than"] else { throw invalid(node, label, "expected future or older_than") }
                return try olderThan(age, label: "\(label).older_than")
            }
            guard let text = try string(node, field: label), text == "future" else {
                throw invalid(node, label, "expected future, or older_than: DURATION (e.g. 2y, 6w, 90d)")
            }
            return (.future, "future")
        case "older_than":
            return try olderThan(node, label: label)
        default:
            guard let field = FilterRule.Field(rawValue: name), let text = try string(node, field: label), !text.isEmpty
            else { throw invalid(node, label, "expected a regular expression") }
            do {
                return (.matches(field, try Pattern(text)), "\"\(text)\"")
            } catch {
                throw .invalidAt(
                    path: path, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, field: label,
                    message: error.description)
            }
        }
    }

    /// `older_than: 2y` (also w, d, h, m, s).
    private func olderThan(_ node: Node, label: String) throws(ConfigError) -> (FilterRule.Condition, String) {
        guard let text = try string(node, field: label) else { throw invalid(node, label, "expected a duration") }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [Character: Int] = ["y": 365 * 86_400, "w": 7 * 86_400]
        let seconds: Int?
        if let last = trimmed.last, let unit = units[last], let count = Checked.integer(trimmed.dropLast()) {
            seconds = Checked.product(count, unit)
        } else {
            seconds = Self.seconds(in: trimmed)
        }
        guard let seconds, seconds > 0, seconds <= 100 * 365 * 86_400 else {
            throw invalid(node, label, "'\(text)' is not a duration from a minute to 100y; write e.g. 2y, 6w or 90d")
        }
        return (.olderThan(.seconds(seconds)), "older_than \(trimmed)")
    }

    // MARK: Node helpers

    func mapping(_ node: Node, field: String, allowed: [String]) throws(ConfigError) -> [String: Node] {
        guard case .mapping(let mapping) = node else {
            throw invalid(node, field, "expected a mapping of \(allowed.joined(separator: ", "))")
        }
        var result: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            guard allowed.contains(key) else {
                throw invalid(
                    keyNode, field == "feeds.yaml" ? key : "\(field).\(key)",
                    "unknown field; expected one of \(allowed.joined(separator: ", "))")
            }
            result[key] = value
        }
        return result
    }

    private func required(_ fields: [String: Node], _ name: String, in parent: Node, label: String? = nil)
        throws(ConfigError) -> Node
    {
        guard let node = fields[name] else {
            let field = label.map { "\($0).\(name)" } ?? name
            throw invalid(parent, field, "missing")
        }
        return node
    }

    func string(_ node: Node?, field: String) throws(ConfigError) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            throw invalid(node, field, "expected text, not a list or mapping")
        }
        if node.null != nil { return nil }
        // Most values need no trimming; Foundation's trimming was a tenth of reading 10,000 sources.
        let text = scalar.string
        guard text.utf8.count <= Self.longestValue else {
            throw invalid(
                node, field,
                "is \(text.utf8.count) bytes long; no setting needs more than \(Self.longestValue) (is a quote missing?)")
        }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
            first.properties.isWhitespace || last.properties.isWhitespace
        else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func invalid(_ node: Node, _ field: String, _ message: String) -> ConfigError {
        .invalid(path: path, line: node.mark?.line, field: field, message: message)
    }

    private static func syntaxError(_ error: YamlError, path: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return .syntax(path: path, line: mark.line, message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .invalid(
                path: path, line: context.mark.line, field: duplicates.joined(separator: ", "),
                message: "the same field is given twice in one mapping")
        default:
            return .syntax(path: path, line: nil, message: "\(error)")
        }
    }
}
