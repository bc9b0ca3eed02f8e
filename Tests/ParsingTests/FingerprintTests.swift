import Parsing
import Testing

/// Fingerprints are stored: a change to how they are computed would make every stored entry look changed
/// on the next refresh. The expected values are FNV-1a, 64 bits, computed independently.
@Suite struct FingerprintTests {
    @Test func partsHashToTheStoredValue() {
        #expect(Fingerprint.of(["Title é", "https://example.org/a"]) == "07057fe25d25a8bf")
    }

    @Test func theSeparatorKeepsPartsApart() {
        #expect(Fingerprint.of(["ab", "c"]) != Fingerprint.of(["a", "bc"]))
    }
}
