internal import CLibXML2

/// The character encodings libxml2 can read (its own plus everything iconv knows).
public enum TextEncoding {
    public static func isSupported(_ name: String) -> Bool {
        guard let handler = xmlFindCharEncodingHandler(name) else { return false }
        xmlCharEncCloseFunc(handler)
        return true
    }
}
