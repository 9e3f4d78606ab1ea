// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QObject>
#include <QString>

namespace kw {

// Asks a wrapped session to stop by running `keepwatch-cli cancel ID` (the
// CLI checks that the recorded producer really is the session's wrapper and
// signals it; docs/event-protocol.md, "Cancelling"). Asynchronous: nothing
// waits, so the window stays responsive; finished() carries the CLI's own
// one-line answer. Several cancels may run at once.
class SessionCanceller final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionCanceller)

public:
    explicit SessionCanceller(QObject *parent = nullptr);
    ~SessionCanceller() override;

    // The keepwatch-cli to run; empty: LaunchCommand::locateCli() beside the
    // running executable, else on PATH.
    void setCliProgram(const QString &program) { m_cliProgram = program; }
    // Exported as KEEPWATCH_SPOOL: the spool where the CLI looks the session up.
    void setSpoolDirectory(const QString &directory) { m_spoolDirectory = directory; }

    void cancel(const QString &sessionId);
    int pending() const { return m_pending; }

signals:
    // `message` is the CLI's last line on stderr without its "keepwatch-cli: "
    // prefix, e.g. "cancel requested for session ..." or why it refused.
    void finished(const QString &sessionId, bool ok, const QString &message);

private:
    QString m_cliProgram;
    QString m_spoolDirectory;
    int m_pending = 0;
};

} // namespace kw
