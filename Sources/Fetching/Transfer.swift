internal import CCurl
import Foundation

/// One request on one libcurl easy handle: it owns the handle, the header list and the body buffer,
/// and lives only on the fetcher's transfer thread.
final class Transfer {
    let request: FetchRequest
    let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var body: [UInt8] = []
    private var headers: [String: String] = [:]
    private var exceededLimit = false
    private let maxBodyBytes: Int
    private let started = ContinuousClock.now

    init?(request: FetchRequest, settings: FetchSettings) {
        guard let handle = curl_easy_init() else { return nil }
        self.request = request
        self.handle = handle
        self.maxBodyBytes = settings.maxBodyBytes
        configure(settings)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
    }

    private func configure(_ settings: FetchSettings) {
        let this = Unmanaged.passUnretained(self).toOpaque()
        tidings_easy_setopt_string(handle, CURLOPT_URL, request.url)
        tidings_easy_setopt_pointer(handle, CURLOPT_PRIVATE, this)
        tidings_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue().receiveBody(data, size * count)
        }
        tidings_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, this)
        tidings_easy_setopt_data_callback(handle, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            Unmanaged<Transfer>.fromOpaque(user!).takeUnretainedValue().receiveHeader(data, size * count)
        }
        tidings_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, this)
        // Only the protocols a feed can live on; a redirect may never lead to a local file.
        tidings_easy_setopt_string(
            handle, CURLOPT_PROTOCOLS_STR, request.allowsFileScheme ? "http,https,file" : "http,https")
        tidings_easy_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        tidings_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        tidings_easy_setopt_long(handle, CURLOPT_MAXREDIRS, settings.maxRedirects)
        // An empty string asks for every encoding this libcurl can decode (gzip, deflate, br, zstd).
        tidings_easy_setopt_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        tidings_easy_setopt_string(handle, CURLOPT_USERAGENT, settings.userAgent)
        tidings_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, settings.connectTimeoutSeconds)
        tidings_easy_setopt_long(handle, CURLOPT_TIMEOUT, settings.totalTimeoutSeconds)
        tidings_easy_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, settings.lowSpeedBytesPerSecond)
        tidings_easy_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, settings.lowSpeedSeconds)
        tidings_easy_setopt_off_t(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(settings.maxBodyBytes))
        // Signals would interrupt the whole process; timeouts work without them (threaded resolver).
        tidings_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        var list: UnsafeMutablePointer<curl_slist>?
        list = curl_slist_append(
            list,
            "Accept: application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
        )
        if let etag = request.etag { list = curl_slist_append(list, "If-None-Match: \(etag)") }
        if let lastModified = request.lastModified {
            list = curl_slist_append(list, "If-Modified-Since: \(lastModified)")
        }
        headerList = list
        tidings_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, list)
    }

    private func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let data else { return 0 }
        if body.count + length > maxBodyBytes {
            exceededLimit = true
            return 0  // anything but `length` makes libcurl abort the transfer
        }
        data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            body.append(contentsOf: UnsafeBufferPointer(start: bytes, count: length))
        }
        return length
    }

    private func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ length: Int) -> Int {
        guard let data else { return 0 }
        let line = data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
        }
        if line.hasPrefix("HTTP/") {
            headers.removeAll()  // a new response after a redirect: only the last one's headers count
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return length
    }

    /// The result once libcurl reports the transfer done with `code`.
    func result(code: CURLcode) -> FetchResult {
        var status = 0
        tidings_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var effective: UnsafeMutablePointer<CChar>?
        tidings_easy_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
        let finalURL = effective.map { String(cString: $0) } ?? request.url
        let isFile = finalURL.lowercased().hasPrefix("file:")
        let httpStatus: Int? = status == 0 ? (isFile && code == CURLE_OK ? 200 : nil) : status
        let outcome: FetchResult.Outcome
        if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            outcome = .failed(.tooLarge(url: finalURL, limit: maxBodyBytes))
        } else if code != CURLE_OK {
            outcome = .failed(.transport(url: finalURL, reason: Self.describe(code)))
        } else if status == 304 {
            outcome = .notModified
        } else if let httpStatus, httpStatus >= 400 || httpStatus < 200 {
            outcome = .failed(.http(url: finalURL, status: httpStatus))
        } else if (300..<400).contains(status) {
            outcome = .failed(.transport(url: finalURL, reason: "redirect (HTTP \(status)) without a usable Location"))
        } else {
            outcome = .fetched(body: body)
        }
        return FetchResult(
            key: request.key, requestedURL: request.url, finalURL: finalURL, status: httpStatus,
            etag: headers["etag"], lastModified: headers["last-modified"], contentType: headers["content-type"],
            outcome: outcome, durationSeconds: Self.seconds(ContinuousClock.now - started))
    }

    private static func describe(_ code: CURLcode) -> String {
        switch code {
        case CURLE_TOO_MANY_REDIRECTS: return "too many redirects (a redirect loop?)"
        case CURLE_UNSUPPORTED_PROTOCOL: return "refused: the URL or a redirect uses a scheme other than http or https"
        case CURLE_OPERATION_TIMEDOUT: return "timed out"
        case CURLE_COULDNT_RESOLVE_HOST: return "could not resolve the host name"
        case CURLE_COULDNT_CONNECT: return "could not connect (is the server up?)"
        case CURLE_FILE_COULDNT_READ_FILE: return "no such file"
        default: return String(cString: curl_easy_strerror(code))
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
