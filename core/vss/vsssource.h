// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "protocol/eventcodec.h"
#include "vss/periodicprogram.h"

#include <QString>
#include <QStringList>
#include <memory>

namespace kw {

// Windows only: runs `keepwatch-vss writers` every interval and delivers its
// events (source "vss"), so the VSS writers' states show as sessions whose
// ID is the VSS session ID of the poll, writer states as log lines and the
// summary in the progress and end fields.
//
// A poll that says exactly what the previous delivered poll said (same
// writer lines, same outcome) is dropped: a quiet machine does not grow a
// new session every interval, a change of any writer shows at once.
//
// A poll that failed before VSS gave it a session (CreateVssBackupComponents
// or InitializeForBackup refused: not an administrator; wine, which has no
// VSS) is no VSS session: it is said once as a notice ("VSS writers are not
// shown: ..."), what this user cannot see, instead of a failed session at
// every start of the window that would look like a failed backup.
//
// Never blocks (PeriodicProgram): poll() starts the helper or collects its
// output when it has finished; a helper that cannot start, crashes or runs
// past the timeout is reported, and what it printed is dropped. A push
// source: the helper's end asks the collector for a poll at once (the
// QProcess is made in poll(), on the collector's thread).
class VssSource final : public SessionSource {
public:
    struct Options {
        QString program; // default: keepwatch-vss.exe beside the application
        QStringList arguments{QStringLiteral("writers")};
        int intervalMs = 5 * 60 * 1000;
        int timeoutMs = 2 * 60 * 1000;
    };

    VssSource();
    explicit VssSource(const Options &options);
    ~VssSource() override;
    Q_DISABLE_COPY_MOVE(VssSource)

    QString name() const override { return QStringLiteral("vss"); }
    void poll(EventBatch &out) override;

    // False when KEEPWATCH_VSS is 0, off, no or false.
    static bool enabledByEnvironment();
    // What decides whether a poll says something new: its log lines and its end.
    static QString pollKey(const QList<Event> &events);
    // Why a poll never reached VSS (its end's summary), or empty when VSS
    // gave it a session ID (the helper's "VSS session ID ..." line) or it
    // did not fail.
    static QString unreachableReason(const QList<Event> &events);

private:
    void collect(const PeriodicProgram::Run &run, EventBatch &out);

    PeriodicProgram m_program;
    EventDecoder m_decoder;
    QString m_lastKey;
};

} // namespace kw
