/// A short hash of some strings that is the same on every run and machine (Swift's `Hasher` is seeded
/// per process, so it cannot serve for anything stored). FNV-1a, 64 bits: for telling values apart, not
/// for security.
public enum Fingerprint {
    public static func of(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, var part) in parts.enumerated() {
            if index > 0 { mix(0x1F, into: &hash) }
            // Over the contiguous bytes: an entry's parts include its whole content.
            part.withUTF8 { bytes in
                for byte in bytes { mix(byte, into: &hash) }
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// A document body's hash, eight bytes at a time (bodies run to megabytes), seeded with what else
    /// decides how the body is read, so changed rules or a new version re-parse an unchanged body.
    public static func of(bytes: [UInt8], seed: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 { mix(byte, into: &hash) }
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for index in 0..<words {
                hash ^= raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
                hash &*= 0x0000_0100_0000_01b3
                hash ^= hash >> 29
            }
            for index in (words * 8)..<raw.count { mix(raw[index], into: &hash) }
        }
        mix(UInt8(truncatingIfNeeded: bytes.count), into: &hash)
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex + "-" + String(bytes.count)
    }

    private static func mix(_ byte: UInt8, into hash: inout UInt64) {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01b3
    }
}
