internal import CUchardet

/// Guesses the encoding of bytes that declare none, with Mozilla's universal charset detector (uchardet):
/// the only code that touches it.
enum CharsetDetector {
    /// The detector's answer as an encoding label, or nil when it cannot tell.
    static func detect(_ bytes: [UInt8]) -> String? {
        guard !bytes.isEmpty, let detector = uchardet_new() else { return nil }
        defer { uchardet_delete(detector) }
        // It decides from the first megabyte as well as from all of it.
        let sample = bytes.prefix(1 << 20)
        let failed = sample.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { uchardet_handle_data(detector, $0.baseAddress, buffer.count) }
        }
        guard failed == 0 else { return nil }
        uchardet_data_end(detector)
        guard let name = uchardet_get_charset(detector) else { return nil }
        let label = String(cString: name)
        return label.isEmpty ? nil : label
    }
}
