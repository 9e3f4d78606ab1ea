// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "report/reportselection.h"
#include "store/session.h"

#include <QList>
#include <QMap>
#include <QString>
#include <vector>

namespace kw {

class HistoryDatabase;
class SessionStore;

// Everything a report shows, taken out of a store once: the writers are pure
// functions of this value. It does not care where the store's sessions came
// from (the spool, /proc, the history database).
struct ReportData {
    struct LogLine {
        qint64 timestampMs = 0;
        LogLevel level = LogLevel::Info;
        QString text; // invalid UTF-8 already replaced with U+FFFD
    };
    struct Entry {
        Session session;
        QList<LogLine> log;      // the lines at the selected levels
        qint64 logLinesKept = 0; // lines the store still held, at any level
    };

    qint64 generatedMs = 0;
    ReportSelection selection;
    std::vector<Entry> sessions; // chronological (by start)

    static ReportData build(const SessionStore &store, const ReportSelection &selection);
    // From the history: only the selected sessions' lines are read, so a
    // report of yesterday costs yesterday, whatever the history holds.
    static ReportData build(HistoryDatabase &db, const ReportSelection &selection);
    // Adds another's sessions (what the other sources show now), keeping
    // the order. A session both have is the other's (the newer word: a
    // systemd run the journal shows and the history recorded).
    void merge(ReportData other);
    // Only the given rows of the store (the window's selection), still filtered.
    static ReportData build(const SessionStore &store, const QList<int> &rows,
                            const ReportSelection &selection);

    // Failed and interrupted: what the digest's exit status reports.
    static bool isFailure(SessionState state) {
        return state == SessionState::Failed || state == SessionState::Interrupted;
    }
    bool anyFailed() const;
    // Indexes into `sessions`: failed, interrupted, then warning, cancelled and
    // stalled ones, then the rest; chronological within each group.
    QList<int> summaryOrder() const;
    QMap<SessionState, int> countsByState() const;
    qint64 totalBytes() const;      // bytes done, over the sessions that report them
    qint64 totalDurationMs() const; // sum over the sessions whose duration is known
    int longestSession() const;     // index, -1 when none has a duration

private:
    // A unit's run that a wrapper's session (with its invocation ID) stands
    // for is that session's row, as in the window.
    void leaveOutJoinedRuns();
    void sortChronologically();
};

} // namespace kw
