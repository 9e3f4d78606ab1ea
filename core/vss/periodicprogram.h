// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QElapsedTimer>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <optional>

namespace kw {

// A program run again every interval, one run at a time, and killed when it
// runs past a timeout: what VssSource (keepwatch-vss.exe) and
// VssShadowSource (vssadmin) poll. Never blocks: poll() starts a run when
// one is due and hands over a run once it has finished. `finished` is
// called (on this object's thread, from its event loop) when a run ends,
// so a push source can ask for a poll at once.
class PeriodicProgram {
public:
    struct Options {
        QString program;
        QStringList arguments;
        int intervalMs = 5 * 60 * 1000;
        int timeoutMs = 2 * 60 * 1000;
    };

    // How one run went.
    struct Run {
        QByteArray output; // stdout
        QByteArray errorOutput;
        std::optional<int> exitCode; // when it exited by itself
        QString failure;             // did not start, crashed or was killed: why
    };

    PeriodicProgram(Options options, std::function<void()> finished);
    ~PeriodicProgram(); // kills a run still going
    Q_DISABLE_COPY_MOVE(PeriodicProgram)

    // The run that has ended since the last call, if any; otherwise starts
    // the next one when the interval has passed since the last start.
    std::optional<Run> poll();

    const Options &options() const { return m_options; }

private:
    void start();

    Options m_options;
    std::function<void()> m_finished;
    std::unique_ptr<QProcess> m_process;
    QElapsedTimer m_sinceStart;
};

} // namespace kw
