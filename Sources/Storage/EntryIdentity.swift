import Parsing

/// The rules of a post's public identity, in one place so that any store backend keeps them: a stored
/// entry's public id (the Atom `<id>` and RSS `<guid>` subscribers see) is made once, when the entry is
/// first inserted, from its source and its id at that moment, and never changes after. Matching a
/// parsed entry to a stored one (by id, or by its link's alias when the publisher churned its GUIDs or
/// URLs) decides only which row it is: the row keeps its public id through every rename.
public enum EntryIdentity {
    /// The id a new entry is published under (the form every earlier version published, so stores that
    /// predate the column keep their ids).
    public static func publicID(sourceKey: String, entryID: String) -> String {
        "urn:tidings:\(sourceKey):\(Fingerprint.of([entryID]))"
    }
}
