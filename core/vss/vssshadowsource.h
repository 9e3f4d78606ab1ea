// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "protocol/eventcodec.h"
#include "vss/periodicprogram.h"

#include <QString>
#include <QStringList>

namespace kw {

// Windows only (beside VssSource): runs `vssadmin list shadows` every
// interval and makes the shadow copies one session (source "vss"), titled
// "VSS shadow copies", kind snapshot: one log line per shadow copy (volume,
// creation time, shadow copy ID, set ID, device, type), what could not be
// read as warnings naming the line, and the summary ("2 shadow copies on
// C:, D:") as the progress item and the end summary. vssadmin failing
// (not run as administrator: "Error: You don't have the correct
// permissions ...", exit code non-zero), missing, crashing or hanging past
// the timeout is no session: it is said once, while the reason stays the
// same, as a notice ("VSS shadow copies are not shown: vssadmin failed:
// ..."), what this user cannot see.
//
// A listing that says what the last delivered one said is dropped
// (VssSource::pollKey), so a quiet machine does not grow a session per
// poll; a changed one is a new session. Its ID is the machine's name and
// the listing's time ("vss-shadows@HOST:1767225600000"): the store keeps an
// ended session as it ended, so one ID for ever could not show a change.
//
// vssadmin's output is untrusted text: the events are made from it, encoded
// and decoded again (EventEncoder, EventDecoder) like any producer's.
// Never blocks, like VssSource (PeriodicProgram): poll() starts vssadmin or
// collects it.
class VssShadowSource final : public SessionSource {
public:
    struct Options {
        QString program = QStringLiteral("vssadmin");
        QStringList arguments{QStringLiteral("list"), QStringLiteral("shadows")};
        int intervalMs = 5 * 60 * 1000;
        int timeoutMs = 2 * 60 * 1000;
        QString host; // default: this machine's name
    };

    // How one run of vssadmin went.
    using Run = PeriodicProgram::Run;

    VssShadowSource();
    explicit VssShadowSource(const Options &options);
    ~VssShadowSource() override;
    Q_DISABLE_COPY_MOVE(VssShadowSource)

    QString name() const override { return QStringLiteral("vss"); }
    void poll(EventBatch &out) override;

    // Why a run of vssadmin gave no listing ("vssadmin failed: exit code 2:
    // Error: ..."), or empty when it did.
    static QString failure(const Run &run);
    // The session of one run that gave a listing (pure; what poll()
    // delivers, before encoding).
    static QList<Event> sessionEvents(const QString &sessionId, const QString &host,
                                      const QStringList &command, const Run &run,
                                      qint64 timestampMs);
    // "vss-shadows@HOST:MS", valid whatever the host's name holds.
    static QString sessionId(const QString &host, qint64 timestampMs);

private:
    void deliver(const Run &run, EventBatch &out);

    QString m_host;
    PeriodicProgram m_program;
    EventDecoder m_decoder;
    QString m_lastKey;
};

} // namespace kw
