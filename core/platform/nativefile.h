// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QString>
#include <optional>

namespace kw {

// What the spool needs to know about a file, the same on every platform:
// lstat(2)/fstat(2) on Linux, GetFileInformationByHandle on Windows.
struct FileStatus {
    enum class Type {
        Regular,
        Directory,
        SymbolicLink,
        Fifo,
        Socket,
        CharDevice,
        BlockDevice,
        Other
    };
    Type type = Type::Other;
    // With `inode`, the file's identity: a rotated or replaced file has
    // another. st_dev/st_ino on Linux; the volume serial number and the file
    // index on Windows (stable while the file exists, as an inode is).
    quint64 device = 0;
    quint64 inode = 0;
    qint64 size = 0;
    quint64 links = 1;
    // The owner's uid; none where files have no uid (Windows: an owner SID).
    std::optional<uint> ownerUid;
    bool groupWritable = false; // POSIX mode bits; false on Windows
    bool otherWritable = false;
    qint64 modifiedNs = 0; // last modification, ns since the epoch

    bool sameFileAs(const FileStatus &other) const {
        return device == other.device && inode == other.inode;
    }
};

// Why a file operation failed: the few reasons callers treat apart, and the
// system's own words for the message.
struct FileFailure {
    enum class Kind { NotFound, SymbolicLink, Exists, Other };
    Kind kind = Kind::Other;
    QString text; // strerror(3) or FormatMessage's text
};

// One open file, the way the spool reads and appends: never through a
// symbolic link, never blocking on a FIFO, shared so that other writers go on
// appending and the file can be deleted or renamed while it is open (the
// default sharing of Windows forbids both: retention and rotation would
// fail). Appends are atomic at the end of the file (O_APPEND, or
// FILE_APPEND_DATA without FILE_WRITE_DATA on Windows), so lines of two
// writers of one session never interleave.
class NativeFile final {
public:
    enum class Mode {
        Read,
        CreateNew,     // append; fails when the file exists
        AppendExisting // append; fails when there is no file
    };
    // Who may read a new file: its owner only (0600; on Windows an ACL that
    // grants the current user alone), or also its directory's group (0640,
    // set after the create so a umask cannot narrow it; Windows has no such
    // group and gets Private).
    enum class Access { Private, GroupReadable };

    NativeFile() = default;
    ~NativeFile();
    NativeFile(const NativeFile &) = delete;
    NativeFile &operator=(const NativeFile &) = delete;

    bool open(const QString &path, Mode mode, Access access = Access::Private);
    void close();
    bool isOpen() const;
    // fstat(2): what is open now, whatever the path has become since.
    std::optional<FileStatus> status();
    // Reads up to `size` bytes at `offset`; -1 on error, 0 at the end.
    qint64 readAt(char *data, qint64 size, qint64 offset);
    // All of it, at the end of the file; false (with failure()) otherwise.
    bool append(const char *data, qint64 size);
    const FileFailure &failure() const { return m_failure; }

    // lstat(2): the entry itself, never what a link points to.
    static std::optional<FileStatus> statPath(const QString &path, FileFailure *failure = nullptr);
    // stat(2): what the path leads to, through links.
    static std::optional<FileStatus> statTarget(const QString &path);
    // Makes a rename or a create in `directory` durable (fsync(2) of the
    // directory; nothing on Windows, whose file systems journal names).
    static void syncDirectory(const QString &directory);
    // Whether this process may list and enter the directory, by its
    // effective identity (faccessat(2) with AT_EACCESS; on Windows, whether
    // it opens for listing).
    static bool canList(const QString &directory);
    // Creates an empty file readable and writable by the current user only
    // (fails when it exists). For SQLite, which gives its -wal and -shm files
    // the database file's permissions.
    static bool createPrivate(const QString &path, FileFailure *failure = nullptr);
    // mkdir(2) with 0700, or a directory whose ACL grants the current user
    // alone (inherited by what is created in it). An existing directory is
    // success.
    static bool makePrivateDirectory(const QString &path, FileFailure *failure = nullptr);

private:
    bool fail();
#ifdef Q_OS_WIN
    void *m_handle = reinterpret_cast<void *>(-1); // INVALID_HANDLE_VALUE
#else
    int m_fd = -1;
#endif
    FileFailure m_failure;
};

} // namespace kw
