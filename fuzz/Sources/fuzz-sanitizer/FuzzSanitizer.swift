import FuzzDriver
import Parsing

/// The HTML sanitiser on any fragment, and a check of what it promises: every tag it writes is on the
/// allowlist, no attribute is an event handler or a style, and every URL attribute is http, https or mailto.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSanitizer(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let html = FuzzDriver.text(data, size)
    let clean = HTMLSanitizer().sanitizeWithText(html, base: "https://fuzz.example/post/")
    if let problem = SanitizedOutputCheck.problem(in: clean.html) {
        fatalError("the sanitiser wrote \(problem) in: \(clean.html)")
    }
    return 0
}

@_cdecl("fuzz_sanitizer_main")
public func fuzzSanitizerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv, fuzzSanitizer)
}

/// Reads the sanitiser's output as a browser would see its tags (the output escapes `<` in text, so every
/// `<` starts a tag) and names the first thing that should not be there.
enum SanitizedOutputCheck {
    static let urlAttributes: Set<String> = ["href", "src", "cite", "srcset", "poster", "action", "formaction"]
    static let dangerousTags: Set<String> = [
        "script", "style", "svg", "math", "base", "meta", "object", "embed", "form",
    ]

    static func problem(in html: String) -> String? {
        // Scalars, not Characters: a browser tokenises code points, and a combining mark after `>` would
        // make one Character of the two and hide the tag's end.
        var rest = Substring(html).unicodeScalars[...]
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return "an unclosed tag" }
            let tag = Substring(rest[rest.index(after: open)..<close])
            rest = rest[rest.index(after: close)...]
            if tag.hasPrefix("/") { continue }
            let name = tag.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if dangerousTags.contains(name) { return "a <\(name)> tag" }
            for (attribute, value) in attributes(of: tag.dropFirst(name.count)) {
                if attribute.hasPrefix("on") || attribute == "style" { return "the attribute \(attribute)" }
                guard urlAttributes.contains(attribute) else { continue }
                let urls = attribute == "srcset" ? srcsetURLs(value) : [value]
                // Images may be inline (data:image/…): an <img> never runs script, not even an SVG's.
                let inlineImage = name == "img" && attribute == "src" && value.lowercased().hasPrefix("data:image/")
                for url in urls where !isSafe(url) && !inlineImage { return "the URL \(url) in \(attribute)" }
            }
        }
        return nil
    }

    /// The URLs of a srcset as a browser reads them (HTML's srcset parsing): a URL runs to the next
    /// whitespace (a comma inside it belongs to it, trailing commas end the candidate); whatever follows it
    /// up to a comma outside parentheses is descriptors, never a URL.
    static func srcsetURLs(_ value: String) -> [String] {
        var urls: [String] = []
        var rest = Substring(value).unicodeScalars[...]
        while true {
            rest = rest.drop { $0.properties.isWhitespace || $0 == "," }
            guard !rest.isEmpty else { return urls }
            let url = rest.prefix { !$0.properties.isWhitespace }
            rest = rest.dropFirst(url.count)
            var text = String(String.UnicodeScalarView(url))
            if text.hasSuffix(",") {
                while text.hasSuffix(",") { text.removeLast() }
                urls.append(text)
                continue
            }
            urls.append(text)
            var depth = 0
            while let scalar = rest.first {
                rest = rest.dropFirst()
                if scalar == "(" { depth += 1 } else if scalar == ")" { depth = max(0, depth - 1) }
                if scalar == ",", depth == 0 { break }
            }
        }
    }

    private static func attributes(of text: Substring) -> [(String, String)] {
        var result: [(String, String)] = []
        var rest = text
        while let equals = rest.firstIndex(of: "=") {
            let name = rest[..<equals].split(separator: " ").last.map { $0.lowercased() } ?? ""
            let afterEquals = rest[rest.index(after: equals)...]
            guard afterEquals.first == "\"", let end = afterEquals.dropFirst().firstIndex(of: "\"") else { break }
            result.append((name, String(afterEquals[afterEquals.index(after: afterEquals.startIndex)..<end])))
            rest = afterEquals[afterEquals.index(after: end)...]
        }
        return result
    }

    private static func isSafe(_ url: String) -> Bool {
        let lowered = url.replacingAmpersandEntities().lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://") || lowered.hasPrefix("mailto:")
    }
}

extension String {
    fileprivate func replacingAmpersandEntities() -> String {
        var result = self
        for (entity, character) in [("&amp;", "&"), ("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">")] {
            result = result.split(separator: entity, omittingEmptySubsequences: false).joined(separator: character)
        }
        return result
    }
}
