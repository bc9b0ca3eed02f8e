internal import CCurl
import Foundation

/// One request on one libcurl easy handle: it owns the handle, the header list and the body buffer,
/// and lives only on the fetcher's transfer thread. Redirects are followed here, one hop at a time on
/// the same handle, so every hop is seen: its status (for adopting permanent moves), a loop, or a
/// scheme that is not http(s).
final class Transfer {
    let request: FetchRequest
    let site: String
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    private var url: String
    private var redirects: [Redirect] = []
    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    /// Why the body was refused while it arrived; libcurl sees only "write error".
    private var bodyFailure: BodyFailure?
    private var inflater: Inflater?
    private var bodyStarted = false
    private let maxBodyBytes: Int
    private let settings: FetchSettings
    private let started = ContinuousClock.now
    /// Past the fetcher's body budget, this transfer pauses unless it leads (see `BodyGate`).
    private let gate: BodyGate?
    private let control: FetchControl?

    private enum BodyFailure {
        case tooLarge
        case damaged(encoding: String)
        case unsupported(encoding: String)
    }

    /// What to do once libcurl reports a hop done.
    enum Step {
        case follow
        case done(FetchResult)
    }

    init?(
        request: FetchRequest, site: String, settings: FetchSettings, gate: BodyGate? = nil,
        control: FetchControl? = nil
    ) {
        guard let handle = curl_easy_init() else { return nil }
        self.gate = gate
        self.control = control
        self.request = request
        self.site = site
        self.handle = handle
        self.url = request.url
        self.settings = settings
        self.maxBodyBytes = request.maxBodyBytes ?? settings.maxBodyBytes
        errorBuffer.initialize(to: 0)
        configure()
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    private func configure() {
        let this = Unmanaged.passUnretained(self).toOpaque()
        tidings_easy_setopt_string(handle, CURLOPT_URL, url)
        tidings_easy_setopt_pointer(handle, CURLOPT_PRIVATE, this)
        tidings_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        tidings_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue().receiveBody(data, size * count)
        }
        tidings_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, this)
        tidings_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue().receiveHeader(data, size * count)
        }
        tidings_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, this)
        // Only the protocols a feed can live on; `file:` only for a local source, and never after a redirect.
        tidings_easy_setopt_string(
            handle, CURLOPT_PROTOCOLS_STR, request.allowsFileScheme ? "http,https,file" : "http,https")
        tidings_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        tidings_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Self.curlVersion(request.http.version))
        // gzip and deflate, decoded here (see Inflater) rather than by libcurl.
        tidings_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "gzip, deflate")
        tidings_easy_setopt_long(handle, CURLOPT_HTTP_CONTENT_DECODING, 0)
        tidings_easy_setopt_string(handle, CURLOPT_USERAGENT, request.http.userAgent ?? settings.userAgent)
        tidings_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeoutSeconds)
        tidings_easy_setopt_long(handle, CURLOPT_TIMEOUT, settings.totalTimeoutSeconds)
        tidings_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedBytesPerSecond)
        tidings_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, settings.lowSpeedSeconds)
        tidings_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(maxBodyBytes))
        // Signals would interrupt the whole process; timeouts work without them (threaded resolver).
        tidings_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // TLS is verified (libcurl's default, stated so no one turns it off by accident); a source may name its
        // own authorities, never skip the check. Proxies come from the standard environment variables
        // (http_proxy, https_proxy, no_proxy), which libcurl reads, unless the source names one or none.
        tidings_easy_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 1)
        tidings_easy_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = request.http.caFile {
            tidings_easy_setopt_string(handle, CURLOPT_CAINFO, caFile)
            tidings_easy_setopt_string(handle, CURLOPT_PROXY_CAINFO, caFile)
        }
        switch request.http.proxy {
        case .direct?: tidings_easy_setopt_string(handle, CURLOPT_PROXY, "")
        case .url(let proxy)?: tidings_easy_setopt_string(handle, CURLOPT_PROXY, proxy)
        case nil: break
        }
        setHeaders()
    }

    /// Tidings' own headers, and the source's headers and cookie while the URL is on their origin.
    private func setHeaders() {
        let own = sendsCredentials
        let custom = own ? request.http.headers : []
        let replaced = Set(custom.map { $0.name.lowercased() })
        var list: UnsafeMutablePointer<curl_slist>?
        if !replaced.contains("accept") {
            list = curl_slist_append(
                list,
                "Accept: application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
            )
        }
        if let etag = request.etag { list = curl_slist_append(list, "If-None-Match: \(etag)") }
        if let lastModified = request.lastModified {
            list = curl_slist_append(list, "If-Modified-Since: \(lastModified)")
        }
        for header in custom { list = curl_slist_append(list, "\(header.name): \(header.value)") }
        tidings_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
        curl_slist_free_all(headerList)
        headerList = list
        tidings_easy_setopt_string(handle, CURLOPT_COOKIE, own ? request.http.cookie : nil)
    }

    /// Whether the current URL is on the host the source's headers and cookie are for, and not plain http
    /// after https: a redirect elsewhere must not carry a session or a token along.
    private var sendsCredentials: Bool {
        guard let origin = Origin(request.http.origin ?? request.url), let here = Origin(url) else { return false }
        return origin.host == here.host && origin.port == here.port && (here.scheme == "https" || origin.scheme == "http")
    }

    private struct Origin {
        var scheme: String
        var host: String
        var port: Int

        init?(_ url: String) {
            guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
                let host = components.host?.lowercased()
            else { return nil }
            self.scheme = scheme
            self.host = host
            self.port = components.port ?? (scheme == "https" ? 443 : 80)
        }
    }

    private static func curlVersion(_ version: HTTPOptions.Version?) -> Int {
        switch version {
        case .http1_1?: Int(CURL_HTTP_VERSION_1_1)
        case .http2?: Int(CURL_HTTP_VERSION_2_0)
        case nil: Int(CURL_HTTP_VERSION_2TLS)
        }
    }

    /// Returning anything but `length` makes libcurl abort the transfer.
    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let data else { return 0 }
        if let gate,
            !gate.mayReceive(
                ObjectIdentifier(self), handle: handle, held: body.count, incoming: length,
                callerKeepsUp: control?.keepsUp ?? true)
        {
            // libcurl keeps these bytes and offers them again once the transfer is resumed.
            return Int(CURL_WRITEFUNC_PAUSE)
        }
        if !bodyStarted {
            bodyStarted = true
            guard startDecoding() else { return 0 }
        }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            let chunk = UnsafeBufferPointer(start: bytes, count: length)
            if let inflater {
                switch inflater.inflate(chunk, into: &body, limit: maxBodyBytes) {
                case .tooLarge?:
                    bodyFailure = .tooLarge
                    return 0
                case .damaged?:
                    bodyFailure = .damaged(encoding: contentEncoding)
                    return 0
                case nil:
                    break
                }
            } else {
                guard body.count + length <= maxBodyBytes else {
                    bodyFailure = .tooLarge
                    return 0
                }
                body.append(contentsOf: chunk)
            }
            return length
        }
    }

    private var contentEncoding: String { headers["content-encoding"]?.lowercased() ?? "identity" }

    /// Picks the decoder for the response's Content-Encoding.
    private func startDecoding() -> Bool {
        switch contentEncoding {
        case "identity", "":
            // Room for the announced body at once: grown by doubling, a 12 MB body would hold 16 MB.
            if let announced = headers["content-length"].flatMap({ Int($0) }), announced > 0, announced <= maxBodyBytes {
                body.reserveCapacity(announced)
            }
            return true
        case "gzip", "x-gzip", "deflate":
            inflater = Inflater()
            return inflater != nil
        default:
            bodyFailure = .unsupported(encoding: contentEncoding)
            return false
        }
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let data else { return 0 }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response (after a 100 Continue, say): only the last one's headers count
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return length
    }

    /// Called when libcurl reports the current hop done with `code`: either the handle has been pointed
    /// at the redirect's target and must be added again, or the transfer is over.
    func finished(code: CURLcode) -> Step {
        let status = responseCode
        guard code == CURLE_OK, [301, 302, 303, 307, 308].contains(status), let target = redirectTarget else {
            return .done(result(code: code, status: status))
        }
        redirects.append(Redirect(status: status, from: url, to: target))
        let chain = [request.url] + redirects.map(\.to)
        if chain.dropLast().contains(target) {
            return .done(failure(.redirectLoop(chain: chain), status: status))
        }
        if redirects.count > settings.maxRedirects {
            return .done(failure(.tooManyRedirects(url: request.url, limit: settings.maxRedirects), status: status))
        }
        let scheme = target.prefix(while: { $0 != ":" }).lowercased()
        guard scheme == "http" || scheme == "https" else {
            return .done(failure(.refusedRedirect(from: url, to: target), status: status))
        }
        restart(at: target)
        return .follow
    }

    private func restart(at target: String) {
        url = target
        body.removeAll(keepingCapacity: true)
        headers.removeAll()
        bodyStarted = false
        inflater = nil
        errorBuffer[0] = 0
        tidings_easy_setopt_string(handle, CURLOPT_URL, target)
        tidings_easy_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        setHeaders()
    }

    private var responseCode: Int {
        var status = 0
        tidings_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    private var redirectTarget: String? {
        var target: UnsafeMutablePointer<CChar>?
        tidings_easy_getinfo_string(handle, CURLINFO_REDIRECT_URL, &target)
        return target.map { String(cString: $0) }
    }

    private func result(code: CURLcode, status: Int) -> FetchResult {
        let isFile = url.lowercased().hasPrefix("file:")
        let httpStatus: Int? = status == 0 ? (isFile && code == CURLE_OK ? 200 : nil) : status
        // Past the limit while arriving, or announced so by Content-Length before any body arrived.
        let tooLarge = if case .tooLarge = bodyFailure { true } else { code == CURLE_FILESIZE_EXCEEDED }
        let outcome: FetchResult.Outcome
        if tooLarge {
            outcome = .failed(.tooLarge(url: url, limit: maxBodyBytes))
        } else if case .damaged(let encoding) = bodyFailure {
            outcome = .failed(.transport(url: url, reason: "the \(encoding) body is damaged or cut short"))
        } else if case .unsupported(let encoding) = bodyFailure {
            outcome = .failed(
                .transport(url: url, reason: "the body is in an encoding that was not asked for (\(encoding))"))
        } else if code == CURLE_OK, let inflater, !inflater.isComplete {
            outcome = .failed(.transport(url: url, reason: "the \(contentEncoding) body is damaged or cut short"))
        } else if code != CURLE_OK {
            outcome = .failed(transportError(code, gotResponse: status != 0))
        } else if status == 304 {
            outcome = .notModified
        } else if let httpStatus, httpStatus >= 400 || httpStatus < 200 {
            outcome = .failed(.http(url: url, status: httpStatus))
        } else if (300..<400).contains(status) {
            outcome = .failed(.transport(url: url, reason: "redirect (HTTP \(status)) without a usable Location"))
        } else {
            outcome = .fetched(body: body)
        }
        let isError = (httpStatus ?? 0) >= 400
        return FetchResult(
            key: request.key, requestedURL: request.url, finalURL: url, status: httpStatus, headers: headers,
            outcome: outcome, durationSeconds: elapsed, redirects: redirects, bytes: body.count,
            errorPage: isError ? Array(body.prefix(65_536)) : [])
    }

    private func failure(_ error: FetchError, status: Int) -> FetchResult {
        FetchResult(
            key: request.key, requestedURL: request.url, finalURL: url, status: status, headers: headers,
            outcome: .failed(error), durationSeconds: elapsed, redirects: redirects)
    }

    private var elapsed: Double {
        let (seconds, attoseconds) = (ContinuousClock.now - started).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// A message a user can act on; libcurl's own detail (the error buffer) where it has one.
    private func transportError(_ code: CURLcode, gotResponse: Bool) -> FetchError {
        let detail = String(cString: errorBuffer)
        var connectTime: curl_off_t = 0
        tidings_easy_getinfo_off_t(handle, CURLINFO_CONNECT_TIME_T, &connectTime)
        let viaProxy = if case .url = request.http.proxy { true } else { false }
        switch code {
        case CURLE_COULDNT_RESOLVE_PROXY:
            return .unreachable(url: url, reason: "could not resolve the proxy's host name")
        case CURLE_COULDNT_CONNECT where viaProxy:
            return .unreachable(url: url, reason: "could not connect to the proxy (is it up?)")
        case CURLE_PROXY:
            return .transport(url: url, reason: "the proxy refused the request (\(detail))")
        case CURLE_SSL_CONNECT_ERROR where detail.contains("no application protocol"):
            let offered = request.http.version == .http1_1 ? "HTTP/1.1 (http_version: 1.1)" : "HTTP/2 and HTTP/1.1"
            return .transport(url: url, reason: "the server accepts none of the HTTP versions offered: \(offered)")
        case CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .transport(
                url: url, reason: "the HTTP/2 exchange failed (\(detail)); http_version: 1.1 may get through")
        case CURLE_COULDNT_RESOLVE_HOST:
            return .unreachable(url: url, reason: "could not resolve the host name")
        case CURLE_COULDNT_CONNECT:
            return .unreachable(url: url, reason: "could not connect (is the server up?)")
        case CURLE_OPERATION_TIMEDOUT where connectTime == 0 && !gotResponse:
            return .unreachable(
                url: url, reason: "could not connect within \(settings.connectTimeoutSeconds) s")
        case CURLE_OPERATION_TIMEDOUT where elapsed < Double(settings.totalTimeoutSeconds) - 0.5:
            return .transport(
                url: url,
                reason:
                    "too slow: less than \(settings.lowSpeedBytesPerSecond) bytes/s for \(settings.lowSpeedSeconds) s")
        case CURLE_OPERATION_TIMEDOUT:
            return .transport(url: url, reason: "no complete response within \(settings.totalTimeoutSeconds) s")
        case CURLE_PARTIAL_FILE:
            let expected = headers["content-length"].map { " of \($0)" } ?? ""
            return .transport(
                url: url, reason: "the connection closed after \(body.count)\(expected) bytes of the response")
        case CURLE_RECV_ERROR:
            return .transport(url: url, reason: "the connection broke while receiving the response (\(detail))")
        case CURLE_PEER_FAILED_VERIFICATION:
            return .transport(url: url, reason: "the TLS certificate could not be verified (\(detail))")
        case CURLE_UNSUPPORTED_PROTOCOL:
            return .transport(url: url, reason: "refused: only http and https URLs are fetched")
        case CURLE_FILE_COULDNT_READ_FILE:
            return .transport(url: url, reason: "no such file")
        default:
            let reason = String(cString: curl_easy_strerror(code))
            return .transport(url: url, reason: detail.isEmpty ? reason : "\(reason) (\(detail))")
        }
    }
}
