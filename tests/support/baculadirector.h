// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <memory>
#include <vector>

namespace kw::test {

// A real Bacula 9.6 director, storage daemon and file daemon on 127.0.0.1
// (the recipe of tests/fixtures/bacula, as C++): three free ports, fresh
// random passwords, a SQLite catalog made from the package's own schema,
// everything under a temporary directory; the daemons are this object's
// children in the foreground (-f) and are stopped by their pids.
//
// Jobs (the captures' names): BackupSpike (Full, throttled to
// `bandwidthMbPerSecond` so a run can be watched), RestoreSpike,
// VerifySpike, FailSpike (ClientRunBeforeJob /bin/false), WarnSpike (a
// missing path in its FileSet). The backed-up tree is sourceDirectory().
class BaculaDirector final {
public:
    // Why there can be no director here (a daemon, bconsole, sqlite3 or the
    // catalog schema missing); empty when there can.
    static QString unavailableReason();

    BaculaDirector();
    ~BaculaDirector();
    BaculaDirector(const BaculaDirector &) = delete;
    BaculaDirector &operator=(const BaculaDirector &) = delete;

    // Writes the configuration, checks it (-t), makes the catalog, starts
    // the three daemons and waits for the director to answer.
    bool start(QString *error, int bandwidthMbPerSecond = 10);
    void stop();
    // The director alone, killed (SIGKILL, as a crash) and started again on
    // the same configuration and catalog; the other daemons go on.
    void killDirector();
    bool startDirector(QString *error);

    QString name() const { return QStringLiteral("kwtest-dir"); }
    QString clientName() const { return QStringLiteral("kwtest-fd"); }
    QString workDirectory() const { return m_dir.path(); }
    QString sourceDirectory() const;
    QString bconsoleConfig() const;
    // A bconsole.conf naming the same director with another password.
    QString bconsoleConfigWithPassword(const QString &password) const;
    int directorPort() const { return m_dirPort; }
    qint64 directorPid() const;

    // bconsole's whole output for `commands` (one per line), as the source
    // will read it.
    QByteArray bconsole(const QString &commands, int timeoutMs = 30000) const;
    // What the daemons wrote (their stderr and log), for a failing test.
    QByteArray log() const;

private:
    bool writeConfiguration(QString *error, int bandwidthMbPerSecond);
    bool startDaemon(QLatin1String daemon, QString *error);
    bool waitForDirector(QString *error);

    QTemporaryDir m_dir;
    int m_dirPort = 0;
    int m_fdPort = 0;
    int m_sdPort = 0;
    std::vector<std::unique_ptr<QProcess>> m_daemons; // sd, fd, dir
};

} // namespace kw::test
