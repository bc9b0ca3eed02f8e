/// A short hash of some strings that is the same on every run and machine (Swift's `Hasher` is seeded
/// per process, so it cannot serve for anything stored). FNV-1a, 64 bits: for telling values apart, not
/// for security.
public enum Fingerprint {
    public static func of(_ parts: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for (index, part) in parts.enumerated() {
            if index > 0 { mix(0x1F, into: &hash) }
            for byte in part.utf8 { mix(byte, into: &hash) }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func mix(_ byte: UInt8, into hash: inout UInt64) {
        hash ^= UInt64(byte)
        hash &*= 0x0000_0100_0000_01b3
    }
}
