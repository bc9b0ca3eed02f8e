// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Tidings",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tidings", targets: ["tidings"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The C libraries, each seen through a header of typed shims.
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // zlib, to decode gzip and deflate bodies and notice when one is cut short (libcurl does not).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // The public suffix list, to count forty feeds on *.example-blogs.com as one site.
        .systemLibrary(name: "CPSL", pkgConfig: "libpsl", providers: [.apt(["libpsl-dev"])]),
        // Mozilla's universal charset detector, for documents that do not say which encoding they are in.
        .systemLibrary(name: "CUchardet", pkgConfig: "uchardet", providers: [.apt(["libuchardet-dev"])]),

        // One module per stage; the imports show the architecture.
        // XML is the only module that sees libxml2. libxml2's headers pull in the system ICU, which clashes
        // with Foundation's own ('UErrorCode' has different definitions), so no module importing Foundation
        // may load them: XML imports CLibXML2 `internal`ly, and library evolution keeps that dependency
        // out of its clients (a non-resilient module exposes its layout, and so its imports, to them).
        .target(
            name: "XML", dependencies: ["CLibXML2"],
            swiftSettings: [.unsafeFlags(["-enable-library-evolution"])]),
        // Checked conversions of numbers from outside (documents, headers, the config): nil, never a trap.
        .target(name: "Checked"),
        // What this build is: name and version.
        .target(name: "Product"),
        // Time, for every stage: the civil calendar, zone offsets, reading RFC 3339 / RFC 822 dates, and the
        // formats the outputs and messages write.
        .target(name: "Time", dependencies: ["Checked"]),
        .target(name: "Parsing", dependencies: ["XML", "Checked", "Time", "CUchardet"]),
        // One system call Swift's Glibc module does not show: syncfs, so a publish flushes once, not per file.
        .target(name: "CSync"),
        .target(name: "Fetching", dependencies: ["CCurl", "CPSL", "CZlib", "Checked", "Product", "Time"]),
        .target(name: "Storage", dependencies: ["CSQLite", "Parsing", "Checked", "Time"]),
        .target(
            name: "Publishing",
            dependencies: [
                "Storage", "Parsing", "XML", "Checked", "Time", "Product", "CSync",
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Compiled into the binary: an installed `tidings` needs no data files beside it.
            resources: ["head", "foot", "month", "monthnav", "index", "archive", "sources"].map {
                .embedInCode("Templates/\($0).mustache")
            } + [.embedInCode("Templates/search.js")]),
        // The operator's filters: which stored entries the planet shows, and why not.
        .target(name: "Curation"),
        // The application: configuration, the refresh cycle, scheduling policy.
        .target(
            name: "Tidings",
            dependencies: [
                "Parsing", "Fetching", "Storage", "Publishing", "Curation", "Checked", "Time", "Product",
                .product(name: "Yams", package: "Yams"),
            ]),
        // The daemon, as a group of services: scheduler, control socket, watchdog, signals, logging.
        .target(
            name: "Service",
            dependencies: [
                "Tidings", "Fetching", "Storage", "Time",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "tidings",
            dependencies: [
                "Service", "Tidings", "Parsing", "Fetching", "Storage", "Curation", "Product", "Time",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // The parser benchmark (bench/run-parse-benchmark builds it in release mode).
        .executableTarget(name: "tidings-bench", dependencies: ["Parsing", "XML", "Time"], path: "bench/Sources/tidings-bench"),

        // Tests mirror the stages; TestSupport holds the loopback HTTP server and fixture helpers.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "TimeTests", dependencies: ["Time"]),
        .testTarget(name: "CurationTests", dependencies: ["Curation"]),
        .testTarget(name: "ParsingTests", dependencies: ["Parsing", "XML", "Time", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "FetchingTests", dependencies: ["Fetching", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Parsing", "Time", "TestSupport"]),
        .testTarget(
            name: "PublishingTests", dependencies: ["Publishing", "Storage", "Parsing", "XML", "Time", "TestSupport"]),
        .testTarget(
            name: "TidingsTests",
            dependencies: ["Tidings", "Parsing", "Storage", "Publishing", "Curation", "XML", "Time", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "ServiceTests", dependencies: ["Service", "Storage", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

// Fuzz targets (libFuzzer) link only with `-sanitize=fuzzer`, so they are declared only when fuzz/run
// asks for them (TIDINGS_FUZZ=1), and never built by `swift build` or `swift test`.
if Context.environment["TIDINGS_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzDriver", path: "fuzz/Sources/FuzzDriver"))
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("fuzz-feed", ["Parsing"]), ("fuzz-dates", ["Time"]), ("fuzz-sanitizer", ["Parsing"]),
        ("fuzz-extraction", ["Parsing"]), ("fuzz-config", ["Tidings"]),
    ]
    for (name, dependencies) in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: ["FuzzDriver"] + dependencies, path: "fuzz/Sources/\(name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
        package.products.append(.executable(name: name, targets: [name]))
    }
}
