import CSync
import Foundation

/// The output files of one publish, replaced together. Each changed file is first written in full beside
/// its target under a temporary name and flushed; only when every one is written are they renamed over
/// the old files. A failure on the way (a full disk, a folder that cannot be made) removes the new files
/// and leaves every old one as it was, so the published set is always one publish or the other, never a
/// mix, and never a half-written file.
public struct OutputSet {
    let folder: URL
    private var staged: [(temporary: URL, target: URL)] = []
    private var removals: [URL] = []

    init(folder: URL) {
        self.folder = folder
    }

    /// Temporary files are `.NAME.PID.tmp`: a publish killed before renaming leaves some behind.
    static let temporarySuffix = ".tmp"

    /// A file written under its temporary name, waiting to be renamed over its target.
    struct StagedFile: Sendable {
        let temporary: URL
        let target: URL
    }

    /// Writes `contents` for `path` (relative to the folder) under a temporary name, or nothing (nil) when
    /// the file already holds exactly these bytes. It touches only its own file, so several threads can
    /// write at once; a file written is then `add`ed to the set.
    static func write(_ contents: String, at path: String, in folder: URL) throws(PublishError) -> StagedFile? {
        let target = folder.appendingPathComponent(path)
        let data = Data(contents.utf8)
        if let existing = try? Data(contentsOf: target), existing == data { return nil }
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(
                path: parent.path, reason: "cannot create the folder for \(path) (\(Self.reason(error)))")
        }
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).\(getpid())\(Self.temporarySuffix)")
        try Self.write(data, to: temporary, for: path)
        return StagedFile(temporary: temporary, target: target)
    }

    /// Replaces one file in one step, outside any publish (the metrics file, `feeds.yaml` after an import,
    /// an exported template): written in full under its temporary name, flushed, then renamed over the old
    /// one, so a reader sees the old file or the new, never half of one. An existing file's permissions are
    /// kept (`feeds.yaml` may hold secrets).
    public static func replace(_ file: URL, with contents: String) throws(PublishError) {
        let folder = file.deletingLastPathComponent()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw .cannotWrite(path: file.path, reason: "its folder \(folder.path) does not exist")
        }
        guard let staged = try write(contents, at: file.lastPathComponent, in: file.deletingLastPathComponent())
        else { return }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.posixPermissions] as? NSNumber {
            chmod(staged.temporary.path, mode_t(mode.uint16Value))
        }
        let descriptor = open(staged.temporary.path, O_RDONLY | O_CLOEXEC)
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        if descriptor >= 0 { close(descriptor) }
        guard synced, rename(staged.temporary.path, file.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(staged.temporary.path)
            throw .cannotWrite(path: file.path, reason: "\(reason); the old file is kept")
        }
    }

    mutating func add(_ file: StagedFile) {
        staged.append((file.temporary, file.target))
    }

    /// Notes a file (relative to the folder) that this publish removes, with its folder and that folder's
    /// folder when they are left empty; it goes only once every new file is in place.
    mutating func stageRemoval(of path: String) {
        removals.append(folder.appendingPathComponent(path))
    }

    /// Flushes every staged file to disk, renames each over its target, then removes the files staged for
    /// removal.
    mutating func commit() throws(PublishError) {
        if !staged.isEmpty { try flushStaged() }
        for (index, file) in staged.enumerated() where rename(file.temporary.path, file.target.path) != 0 {
            let reason = String(cString: strerror(errno))
            for rest in staged[index...] { unlink(rest.temporary.path) }
            staged = []
            removals = []
            throw .cannotWrite(path: file.target.path, reason: "cannot replace it (\(reason))")
        }
        staged = []
        for file in removals {
            unlink(file.path)
            // Each fails, harmlessly, unless the folder is empty: a month's folder, then its year's.
            rmdir(file.deletingLastPathComponent().path)
            rmdir(file.deletingLastPathComponent().deletingLastPathComponent().path)
        }
        removals = []
    }

    /// One `syncfs` for the whole set rather than an `fsync` per file (a full render writes tens of thousands
    /// of files: 18 s of fsyncs at 30,000): the renames must not reach the disk before the contents.
    private mutating func flushStaged() throws(PublishError) {
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let failed = descriptor < 0 || tidings_syncfs(descriptor) != 0
        let reason = String(cString: strerror(errno))
        if descriptor >= 0 { close(descriptor) }
        guard failed else { return }
        discard()
        throw .cannotWrite(
            path: folder.path,
            reason: "the new files could not be flushed to disk (\(reason)); the old outputs are kept")
    }

    /// Removes every staged file, leaving the old outputs untouched.
    mutating func discard() {
        for file in staged { unlink(file.temporary.path) }
        staged = []
        removals = []
    }

    /// Removes temporary files left in the folder by a publish that was killed; those of a process still
    /// running (a `tidings refresh` beside the daemon) are its own business.
    static func removeLeftovers(in folder: URL) {
        let manager = FileManager.default
        // Names, not URLs: at 10,000 sources the folder holds 30,000 files, and this runs on every publish.
        var folders = [folder.path]
        while let current = folders.popLast() {
            for name in (try? manager.contentsOfDirectory(atPath: current)) ?? [] {
                let path = current + "/" + name
                if name.hasPrefix("."), name.hasSuffix(temporarySuffix) {
                    let pid = name.dropLast(temporarySuffix.count).split(separator: ".").last.flatMap { Int32($0) }
                    // This process's own files (feeds rendered while it refreshes) and a live one's are theirs.
                    if let pid, pid == getpid() || kill(pid, 0) == 0 { continue }
                    unlink(path)
                } else if !name.contains(".") {
                    // Tidings' folders (YYYY, MM, sources) have no dot; its files all do.
                    var isFolder: ObjCBool = false
                    if manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
                        folders.append(path)
                    }
                }
            }
        }
    }

    /// Writes with plain system calls, so a full disk is reported as exactly that, with the path. (The set is
    /// flushed to disk all at once, before its renames.)
    private static func write(_ data: Data, to url: URL, for path: String) throws(PublishError) {
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotWrite(
                path: url.path, reason: "cannot create the new \(path) (\(String(cString: strerror(errno))))")
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        close(descriptor)
        if failure != 0 {
            unlink(url.path)
            throw .cannotWrite(
                path: url.path,
                reason:
                    "writing the new \(path) failed (\(String(cString: strerror(failure)))); the old outputs are kept")
        }
    }

    private static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
