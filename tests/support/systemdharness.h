// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <functional>

namespace kw::test {

// A real systemd user manager, with its own D-Bus and a real journald, for
// tests that watch real units on machines whose PID 1 is not systemd
// (docs/systemd.md, "The harness"):
//
// - in a private mount namespace, tmpfs on /run/systemd, /run/user, /run/log
//   and /var/log/journal, and an empty /run/systemd/system (the check
//   systemd makes for a booted system);
// - journald standalone (volatile storage, nothing forwarded, without the
//   audit capabilities so that it leaves the host's kernel auditing alone);
// - `systemd --user` for root in a cgroup of its own whose path ends in
//   user-0.slice/user@0.service (journald reads the unit and invocation ID
//   of each line from it), with Debian's socket-activated user bus.
//
// Root only. The whole test program runs in the namespace: call
// enterPrivateMountNamespace() first thing in main(), before any thread
// starts. Ready in under a second on 2 cores; stop() (or the destructor)
// stops everything by pid and removes the cgroups.
class SystemdHarness final {
public:
    SystemdHarness() = default;
    ~SystemdHarness();
    SystemdHarness(const SystemdHarness &) = delete;
    SystemdHarness &operator=(const SystemdHarness &) = delete;

    // unshare(CLONE_NEWNS) and a private "/" for this process. False (and
    // unavailableReason() says why) when it cannot; must be called while
    // the process has one thread.
    static bool enterPrivateMountNamespace();
    // Why the harness cannot run here, or empty: not root, a real systemd
    // host, a missing program, no private mount namespace.
    static QString unavailableReason();

    // Before start(): the user bus accepts every user (a policy in a tmpfs
    // over /etc/dbus-1/session.d, /run/user/0 searchable), so that another
    // user can reach the manager as it reaches a system's manager on the
    // system bus: for tests of what a user outside the journal's groups sees.
    void openBusToEveryUser() { m_busOpenToEveryUser = true; }

    // Starts journald and the user manager; false with `error` when they do not come up.
    bool start(QString *error);
    void stop();

    // journald's pid (setpriv execs it): a test can hold it (SIGSTOP) to see
    // what a loaded machine's journald does late.
    qint64 journaldPid() const { return m_journald.processId(); }

    // The user manager's bus ("unix:path=/run/user/0/bus").
    static QString busAddress();
    static QString runtimeDirectory() { return QStringLiteral("/run/user/0"); }
    // Where journald keeps the journal ("/run/log/journal").
    static QString journalDirectory() { return QStringLiteral("/run/log/journal"); }
    // Unit files written here are the user manager's (daemon-reload after).
    static QString unitDirectory() { return QStringLiteral("/run/systemd/user"); }

    // What systemctl --user, systemd-run --user and journalctl need.
    static QProcessEnvironment environment();
    // Runs `command` with environment(); true on exit 0. `output` gets
    // stdout and stderr.
    static bool run(const QStringList &command, QByteArray *output = nullptr,
                    int timeoutMs = 30000);

private:
    bool mountTmpfs(const QString &path, QString *error);
    bool makeCgroups(QString *error);
    void removeCgroups();
    static bool waitFor(const std::function<bool()> &ready, int timeoutMs);

    QProcess m_journald;
    QProcess m_manager;
    QString m_cgroup; // "/keepwatch-<pid>.slice/user.slice/user-0.slice/user@0.service"
    QStringList m_cgroupDirectories;
    bool m_started = false;
    bool m_busOpenToEveryUser = false;
};

} // namespace kw::test
