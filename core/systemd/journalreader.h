// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <memory>
#include <vector>

struct sd_journal;

namespace kw {

// One journal entry, with the fields Keepwatch reads.
struct JournalEntry {
    qint64 realtimeUs = 0;
    int priority = 6; // syslog: 3 error, 4 warning, 6 info, 7 debug
    QByteArray message;
    // Trusted fields of the process that wrote it, and the manager's own
    // fields about a unit (systemd.journal-fields(7)).
    QHash<QByteArray, QByteArray> fields;
    // Where the entry is (sd_journal_get_cursor), when the reader keeps it.
    QByteArray cursor;

    QByteArray field(const char *name) const { return fields.value(QByteArray(name)); }
};

// Reads the local journal (libsystemd's sd-journal) from a position on,
// entries that match, in order; then follows new ones through fd() without
// polling. Owned and used on one thread.
class JournalReader final {
public:
    ~JournalReader();
    JournalReader(const JournalReader &) = delete;
    JournalReader &operator=(const JournalReader &) = delete;

    // The run of a unit whose invocation ID is `invocationId`: what its
    // processes wrote (_SYSTEMD_INVOCATION_ID) and what the manager said about
    // it (INVOCATION_ID, or USER_INVOCATION_ID for a user manager's units),
    // from its first entry. Null with `error` when the journal cannot be opened.
    static std::unique_ptr<JournalReader> openRun(const QString &invocationId, QString *error);
    // What process `pid` wrote from `sinceUs` (µs since the epoch) on, with
    // the fields that tie an entry to a unit (_SYSTEMD_INVOCATION_ID,
    // _SYSTEMD_CGROUP): journald looks them up in /proc when it reads a line,
    // so the lines of a process that ended before that have none, only the
    // kernel's _PID. Null with `error` as openRun.
    static std::unique_ptr<JournalReader> openProcess(qint64 pid, qint64 sinceUs, QString *error);
    // The manager's messages that end runs (unit succeeded, failed, main
    // process exited, stopping), each with its cursor: from just after
    // `afterCursor` when it is given and still in the journal, else from
    // `sinceUs` (µs since the epoch) on.
    static std::unique_ptr<JournalReader> openManagerMessages(qint64 sinceUs, QString *error,
                                                              const QByteArray &afterCursor = {});

    // Appends up to `max` entries after the last one read, each with the
    // fields in `fields`. Returns false when there are no more now.
    bool read(std::vector<JournalEntry> &out, int max);
    // The descriptor that becomes readable when the journal changed; then
    // call wakeUp() before read(). -1 when it cannot be had.
    int fd();
    void wakeUp();

    // Empty when this user can read the system's journal, else why not and
    // what to do ("not in group systemd-journal or adm: ...").
    static QString systemJournalAccess();

    // The manager's message IDs (systemd's catalog).
    static constexpr const char *kUnitSucceeded = "7ad2d189f7e94e70a38c781354912448";
    static constexpr const char *kUnitFailed = "d9b373ed55a64feb8242e02dbe79a49c";
    static constexpr const char *kProcessExited = "98e322203f7a4ed290d09fe03c09fe15";
    static constexpr const char *kUnitStopping = "de5b426a63be47a7b6ac3eaac82e2f6f";
    static constexpr const char *kUnitStarting = "7d4958e842da4a758f6c1cdc7b36dcc5";

private:
    JournalReader(sd_journal *journal, std::vector<QByteArray> fields);
    sd_journal *m_journal;
    std::vector<QByteArray> m_fields;
    bool m_withCursors = false;
    QByteArray m_skipCursor; // the entry sought to was read before: not again
};

} // namespace kw
