import Foundation

/// Writes a file so that a reader sees the old content or the new, never half of either: the bytes go
/// to a temporary file in the same folder, are flushed, and the file is renamed over the old one.
enum AtomicFile {
    /// Returns false, touching nothing, when the file already holds exactly `contents`
    /// (so a refresh that brings nothing new changes no file and no modification time).
    @discardableResult
    static func write(_ contents: String, to url: URL) throws -> Bool {
        let data = Data(contents.utf8)
        if let existing = try? Data(contentsOf: url), existing == data { return false }
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw PublishError.cannotWrite(
                path: folder.path, reason: "cannot create the folder (\(error.localizedDescription))")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
            throw PublishError.cannotWrite(path: temporary.path, reason: String(cString: strerror(errno)))
        }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else {
                throw PublishError.cannotWrite(path: url.path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        return true
    }
}
