internal import CZlib

/// Decodes a gzip or deflate body as it arrives. libcurl can decode these itself but accepts a stream
/// that stops short, which would hand half a feed to the parser; here the end of the stream is checked.
final class Inflater {
    enum Failure {
        case damaged
        case tooLarge
    }

    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
    private var isRawDeflate = false
    private var producedAnything = false
    private(set) var isComplete = false

    init?() {
        stream.initialize(to: z_stream())
        // 15 + 32: a zlib or gzip header, detected automatically.
        guard tidings_inflate_init(stream, 15 + 32) == Z_OK else { return nil }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Decodes `input`, appending to `output`, which may not grow past `limit` bytes; nil when all is well.
    func inflate(_ input: UnsafeBufferPointer<UInt8>, into output: inout [UInt8], limit: Int) -> Failure? {
        guard let base = input.baseAddress, !input.isEmpty else { return nil }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
        stream.pointee.avail_in = UInt32(input.count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while stream.pointee.avail_in > 0 {
            if isComplete {
                // Another gzip member follows the first (concatenated files): decode it too.
                guard inflateReset(stream) == Z_OK else { return .damaged }
                isComplete = false
            }
            let (status, produced) = chunk.withUnsafeMutableBufferPointer { buffer in
                stream.pointee.next_out = buffer.baseAddress
                stream.pointee.avail_out = UInt32(buffer.count)
                let status = CZlib.inflate(stream, Z_NO_FLUSH)
                return (status, buffer.count - Int(stream.pointee.avail_out))
            }
            if status == Z_DATA_ERROR, !producedAnything, !isRawDeflate {
                // Some servers send "deflate" without the zlib header: start again as raw deflate.
                guard restartAsRawDeflate(base, count: input.count) else { return .damaged }
                continue
            }
            guard status == Z_OK || status == Z_STREAM_END || (status == Z_BUF_ERROR && produced > 0) else {
                return .damaged
            }
            if produced > 0 {
                producedAnything = true
                guard output.count + produced <= limit else { return .tooLarge }
                output.append(contentsOf: chunk[0..<produced])
            }
            if status == Z_STREAM_END { isComplete = true }
            if status == Z_BUF_ERROR { break }
        }
        return nil
    }

    private func restartAsRawDeflate(_ base: UnsafePointer<UInt8>, count: Int) -> Bool {
        inflateEnd(stream)
        stream.pointee = z_stream()
        guard tidings_inflate_init(stream, -15) == Z_OK else { return false }
        isRawDeflate = true
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base)
        stream.pointee.avail_in = UInt32(count)
        return true
    }
}
