import Foundation

/// The Mustache templates of the HTML pages. The defaults are files in `Templates/`, compiled into the
/// binary; a `templates:` folder in feeds.yaml overrides any of them by name (`month.mustache`…) and may add
/// partials of its own. `{{ }}` escapes HTML, and the pages carry only plain text from feeds.
public struct Templates: Sendable, Equatable {
    /// The templates the pages are rendered from; the others are partials they include.
    public static let pages = ["month", "index", "archive", "sources"]

    /// Every default template by name, as shipped.
    public static let defaults: [String: String] = [
        "head": String(decoding: PackageResources.head_mustache, as: UTF8.self),
        "foot": String(decoding: PackageResources.foot_mustache, as: UTF8.self),
        "month": String(decoding: PackageResources.month_mustache, as: UTF8.self),
        "monthnav": String(decoding: PackageResources.monthnav_mustache, as: UTF8.self),
        "index": String(decoding: PackageResources.index_mustache, as: UTF8.self),
        "archive": String(decoding: PackageResources.archive_mustache, as: UTF8.self),
        "sources": String(decoding: PackageResources.sources_mustache, as: UTF8.self),
    ]

    /// Each template's text, and the file it came from (nil for a default).
    public let texts: [String: String]
    public let files: [String: String]

    /// The defaults.
    public init() {
        texts = Self.defaults
        files = [:]
    }

    /// The defaults, with every `NAME.mustache` in `folder` in place of (or beside) them.
    public init(overriding folder: URL?) throws(PublishError) {
        var texts = Self.defaults
        var files: [String: String] = [:]
        if let folder {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            } catch {
                throw .template(file: folder.path, line: nil, reason: "the templates folder cannot be read")
            }
            for name in names.sorted() where name.hasSuffix(".mustache") {
                let file = folder.appendingPathComponent(name).path
                guard let data = FileManager.default.contents(atPath: file),
                    let text = String(validating: data, as: UTF8.self)
                else { throw .template(file: file, line: nil, reason: "it cannot be read as UTF-8 text") }
                let key = String(name.dropLast(".mustache".count))
                texts[key] = text
                files[key] = file
            }
        }
        self.texts = texts
        self.files = files
    }

    /// Where a template's errors are reported: its file, or its name for a default.
    func origin(of name: String) -> String {
        files[name] ?? "\(name).mustache (built in)"
    }

    /// Writes the default templates into `folder` to start from; an existing file is left alone unless
    /// `replacing`. Returns the paths written.
    public static func export(to folder: URL, replacing: Bool) throws -> [String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var written: [String] = []
        for (name, text) in defaults.sorted(by: { $0.key < $1.key }) {
            let file = folder.appendingPathComponent(name + ".mustache")
            if !replacing, FileManager.default.fileExists(atPath: file.path) { continue }
            try OutputSet.replace(file, with: text)
            written.append(file.path)
        }
        return written
    }
}
