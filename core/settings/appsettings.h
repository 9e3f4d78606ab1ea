// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/sessiontypes.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

class QSettings;

namespace kw {

// The user's preferences, as one plain value: what the window watches, how
// often, when a session counts as stalled, how much log it keeps, which state
// changes notify, and how long the history keeps finished sessions. QtCore
// only, so keepwatch-cli can read the same file as the window.
//
// Stored in QSettings("Keepwatch", "keepwatch") (~/.config/Keepwatch/keepwatch.conf),
// under "settings/"; the window's layout lives in the same file under other keys.
struct AppSettings {
    static constexpr int kMinPollIntervalMs = 100;
    static constexpr int kMaxPollIntervalMs = 60 * 1000;
    static constexpr int kMaxStallTimeoutSeconds = 7 * 24 * 3600;
    static constexpr qint64 kMinLogLines = 100;
    static constexpr qint64 kMaxLogLines = 10 * 1000 * 1000;
    static constexpr int kMaxHistoryAgeDays = 100 * 365;

    // Watched spool directories. The first is always the default spool (where
    // keepwatch-cli writes unless told otherwise); the others are extra ones,
    // e.g. a spool that a system service writes.
    QStringList spoolDirectories;
    int pollIntervalMs = 1000;
    int stallTimeoutSeconds = 5 * 60; // 0 = stall detection off
    qint64 maxLogLinesPerSession = 100000;

    bool notifyOnFailed = true;
    bool notifyOnStalled = true;
    bool notifyOnInterrupted = true;
    bool notifyOnSuccess = false; // a backup that worked is rarely news
    bool notifyOnWarning = true;
    bool trayIcon = true;

    // systemd services watched as backups besides the ones Keepwatch
    // recognises itself (by ExecStart or name): "x.service", sorted, unique.
    QStringList systemdUnits;
    // A timer's backup is overdue this long after its period (and the
    // timer's own random delay) passed without a successful run.
    int overdueGraceMinutes = 60;
    static constexpr int kMaxOverdueGraceMinutes = 7 * 24 * 60;

    // The window's own connection to an MQTT broker (docs/fleet.md, "The
    // window's broker"): every host's sessions mirrored here, and remote
    // cancel. No URL: none. The password is never in this file: it is read
    // from passwordFile (its first line), or from the desktop keyring.
    struct Broker {
        QString url; // mqtt://HOST[:PORT] or mqtts://…
        QString username;
        QString passwordFile;
        bool passwordInKeyring = false; // SecretToolKeyring::brokerAttribute(url, username)
        QString caFile;
        QString certFile;
        QString keyFile;
        friend bool operator==(const Broker &a, const Broker &b) {
            return a.url == b.url && a.username == b.username && a.passwordFile == b.passwordFile
                   && a.passwordInKeyring == b.passwordInKeyring && a.caFile == b.caFile
                   && a.certFile == b.certFile && a.keyFile == b.keyFile;
        }
    };
    Broker broker;

    // Bacula directors (docs/bacula.md), each watched through its own
    // bconsole.conf, whose password stays in that file. The name makes the
    // source "bacula:<name>": letters, digits and _.:- only.
    struct BaculaDirector {
        QString name;
        QString configPath; // a bconsole.conf, absolute
        QString bconsole = QStringLiteral("/usr/sbin/bconsole");
        friend bool operator==(const BaculaDirector &a, const BaculaDirector &b) {
            return a.name == b.name && a.configPath == b.configPath && a.bconsole == b.bconsole;
        }
    };
    QList<BaculaDirector> baculaDirectors;
    // Finished jobs of so many days are read at start, so the history has them.
    int baculaFinishedDays = 7;
    static constexpr int kMaxBaculaFinishedDays = 366;
    static bool isDirectorName(const QString &name);

    // Applied by the history's retention; 0 = no limit.
    int historyMaxAgeDays = 0;
    int historyMaxSessions = 0;

    // The defaults, with the default spool directory of this environment.
    static AppSettings defaults();
    // From the user's settings file; values that are missing or invalid
    // there fall back to the defaults one by one.
    static AppSettings load();
    static AppSettings load(const QSettings &settings);
    void save() const;
    void save(QSettings &settings) const;

    // Why these settings cannot be used (one message a person can act on),
    // empty when they can.
    QString validationError() const;

    // Which sessions notify at all: the user's own, and of other users'
    // (root's and service users' backups, SessionOwner) only those that
    // ended without doing their job: failed or interrupted. A member of
    // group keepwatch sees every service user's run, and a bubble for each
    // success or stall of theirs would be noise.
    enum class Owner : quint8 { Mine, Others };
    // Whether a session of `owner` entering `state` should notify the user.
    bool notifies(SessionState state, Owner owner = Owner::Mine) const;

    // $KEEPWATCH_STALL_TIMEOUT (seconds, 0 = off) when set, as it was before
    // there were settings: a cron job or a test can still pin it.
    static std::optional<qint64> stallTimeoutOverrideMs();
    // The timeout in effect: the override, else stallTimeoutSeconds.
    qint64 effectiveStallTimeoutMs() const;

    // The default spool first, then the others in order, without duplicates
    // or empty entries, paths cleaned.
    static QStringList normalizedSpoolDirectories(const QStringList &directories);
    // Valid unit names only, ".service" added where no suffix is, sorted, unique.
    static QStringList normalizedSystemdUnits(const QStringList &units);

    friend bool operator==(const AppSettings &a, const AppSettings &b);
    friend bool operator!=(const AppSettings &a, const AppSettings &b) { return !(a == b); }
};

} // namespace kw
