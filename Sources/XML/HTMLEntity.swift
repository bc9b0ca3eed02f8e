internal import CLibXML2

/// The HTML 4 named character references (`&nbsp;`, `&eacute;` …) as libxml2 knows them, for repairing
/// feeds that use them without declaring them.
public enum HTMLEntity {
    public static func codePoint(named name: String) -> UInt32? {
        guard let entity = htmlEntityLookup(name) else { return nil }
        return entity.pointee.value
    }
}
