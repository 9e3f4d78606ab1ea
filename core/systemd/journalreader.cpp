// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/journalreader.h"

#include <QList>
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <grp.h>
#include <optional>
#include <systemd/sd-journal.h>
#include <unistd.h>

namespace kw {

namespace {

QString errorText(int negativeErrno) {
    return QString::fromLocal8Bit(std::strerror(-negativeErrno));
}

sd_journal *openLocal(QString *error) {
    sd_journal *journal = nullptr;
    // Every local file this user may read: the system's (with the group)
    // and the user's own.
    const int r = sd_journal_open(&journal, SD_JOURNAL_LOCAL_ONLY);
    if (r < 0) {
        if (error)
            *error = QStringLiteral("cannot open the journal: %1").arg(errorText(r));
        return nullptr;
    }
    // Lines longer than this are cut, not read whole (journald's own
    // LineMax is 48 KiB; a message field can be bigger).
    sd_journal_set_data_threshold(journal, 256 * 1024);
    return journal;
}

bool addMatch(sd_journal *journal, const QByteArray &match, QString *error) {
    const int r = sd_journal_add_match(journal, match.constData(), size_t(match.size()));
    if (r < 0 && error)
        *error =
            QStringLiteral("bad journal match %1: %2").arg(QString::fromUtf8(match), errorText(r));
    return r >= 0;
}

} // namespace

JournalReader::JournalReader(sd_journal *journal, std::vector<QByteArray> fields)
    : m_journal(journal)
    , m_fields(std::move(fields)) {}

JournalReader::~JournalReader() {
    sd_journal_close(m_journal);
}

std::unique_ptr<JournalReader> JournalReader::openRun(const QString &invocationId, QString *error) {
    sd_journal *journal = openLocal(error);
    if (!journal)
        return nullptr;
    const QByteArray id = invocationId.toLatin1();
    bool ok = addMatch(journal, "_SYSTEMD_INVOCATION_ID=" + id, error);
    ok = ok && sd_journal_add_disjunction(journal) >= 0;
    ok = ok && addMatch(journal, "INVOCATION_ID=" + id, error);
    ok = ok && sd_journal_add_disjunction(journal) >= 0;
    ok = ok && addMatch(journal, "USER_INVOCATION_ID=" + id, error);
    if (!ok || sd_journal_seek_head(journal) < 0) {
        sd_journal_close(journal);
        return nullptr;
    }
    return std::unique_ptr<JournalReader>(
        new JournalReader(journal, {"_SYSTEMD_INVOCATION_ID", "MESSAGE_ID", "EXIT_CODE",
                                    "EXIT_STATUS", "UNIT_RESULT"}));
}

std::unique_ptr<JournalReader> JournalReader::openProcess(qint64 pid, qint64 sinceUs,
                                                          QString *error) {
    sd_journal *journal = openLocal(error);
    if (!journal)
        return nullptr;
    if (!addMatch(journal, "_PID=" + QByteArray::number(pid), error)
        || sd_journal_seek_realtime_usec(journal, quint64(std::max<qint64>(sinceUs, 0))) < 0) {
        sd_journal_close(journal);
        return nullptr;
    }
    return std::unique_ptr<JournalReader>(
        new JournalReader(journal, {"_SYSTEMD_INVOCATION_ID", "_SYSTEMD_CGROUP"}));
}

std::unique_ptr<JournalReader> JournalReader::openManagerMessages(qint64 sinceUs, QString *error,
                                                                  const QByteArray &afterCursor) {
    sd_journal *journal = openLocal(error);
    if (!journal)
        return nullptr;
    bool ok = true;
    for (const char *id :
         {kUnitSucceeded, kUnitFailed, kProcessExited, kUnitStopping, kUnitStarting}) {
        // Matches of one field are OR'ed.
        ok = ok && addMatch(journal, QByteArray("MESSAGE_ID=") + id, error);
    }
    // A cursor the journal no longer has (vacuumed, another machine's)
    // fails to parse or seeks to the nearest entry; a malformed one is
    // refused: then the time is the fallback.
    const bool fromCursor = ok && !afterCursor.isEmpty()
                            && sd_journal_seek_cursor(journal, afterCursor.constData()) >= 0;
    if (!ok
        || (!fromCursor
            && sd_journal_seek_realtime_usec(journal, quint64(std::max<qint64>(sinceUs, 0))) < 0)) {
        sd_journal_close(journal);
        return nullptr;
    }
    auto reader = std::unique_ptr<JournalReader>(
        new JournalReader(journal, {"MESSAGE_ID", "UNIT", "USER_UNIT", "INVOCATION_ID",
                                    "USER_INVOCATION_ID", "EXIT_CODE", "EXIT_STATUS", "UNIT_RESULT",
                                    "_SYSTEMD_UNIT", "_SYSTEMD_USER_UNIT", "_PID", "_UID"}));
    reader->m_withCursors = true;
    if (fromCursor)
        reader->m_skipCursor = afterCursor;
    return reader;
}

bool JournalReader::read(std::vector<JournalEntry> &out, int max) {
    for (int n = 0; n < max; ++n) {
        const int r = sd_journal_next(m_journal);
        if (r <= 0)
            return false; // the end for now, or an error (a rotated file: the next wake-up)
        if (!m_skipCursor.isEmpty()) {
            // Seeking to a cursor puts the next read on its entry, if it is
            // still there: that one was read before.
            const bool same = sd_journal_test_cursor(m_journal, m_skipCursor.constData()) > 0;
            m_skipCursor.clear();
            if (same) {
                --n;
                continue;
            }
        }
        JournalEntry entry;
        if (m_withCursors) {
            char *cursor = nullptr;
            if (sd_journal_get_cursor(m_journal, &cursor) >= 0) {
                entry.cursor = QByteArray(cursor);
                free(cursor); // NOLINT(cppcoreguidelines-no-malloc): sd-journal's allocation
            }
        }
        uint64_t realtime = 0;
        if (sd_journal_get_realtime_usec(m_journal, &realtime) >= 0)
            entry.realtimeUs = qint64(realtime);
        const void *data = nullptr;
        size_t length = 0;
        // Each field comes as "NAME=value".
        auto value = [&](const char *name) -> std::optional<QByteArray> {
            if (sd_journal_get_data(m_journal, name, &data, &length) < 0)
                return std::nullopt;
            const size_t prefix = std::strlen(name) + 1;
            if (length < prefix)
                return QByteArray();
            return QByteArray(static_cast<const char *>(data) + prefix, qsizetype(length - prefix));
        };
        entry.message = value("MESSAGE").value_or(QByteArray());
        if (const auto priority = value("PRIORITY"); priority && !priority->isEmpty())
            entry.priority = priority->toInt();
        for (const QByteArray &field : m_fields) {
            if (auto v = value(field.constData()))
                entry.fields.insert(field, *v);
        }
        out.push_back(std::move(entry));
    }
    return true;
}

int JournalReader::fd() {
    const int fd = sd_journal_get_fd(m_journal);
    return fd < 0 ? -1 : fd;
}

void JournalReader::wakeUp() {
    sd_journal_process(m_journal);
}

QString JournalReader::systemJournalAccess() {
    if (geteuid() == 0)
        return {};
    // journald gives these groups read access (Debian: /var/log/journal is
    // root:systemd-journal 2755, its files carry an ACL for adm).
    const QList<QByteArray> readers = {"systemd-journal", "adm"};
    const int count = getgroups(0, nullptr);
    std::vector<gid_t> groups(size_t(std::max(count, 0)));
    if (count > 0 && getgroups(count, groups.data()) < 0)
        groups.clear();
    groups.push_back(getegid());
    for (const QByteArray &name : readers) {
        if (const group *g = getgrnam(name.constData())) {
            for (gid_t gid : groups) {
                if (gid == g->gr_gid)
                    return {};
            }
        }
    }
    const QByteArray user = qgetenv("USER").isEmpty() ? QByteArray("USER") : qgetenv("USER");
    return QStringLiteral(
               "the system journal is not readable: you are not in group systemd-journal (or "
               "adm), so the lines of system units are missing; their state and exit status "
               "still show (sudo adduser %1 systemd-journal, then log in again)")
        .arg(QString::fromLocal8Bit(user));
}

} // namespace kw
