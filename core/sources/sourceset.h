// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "bacula/baculasource.h"
#include "collector/sessionsource.h"
#include "history/historyretention.h"
#include "protocol/event.h"

#include <QString>
#include <QStringList>

namespace kw {

struct AppSettings;
class SessionStore;

// What Keepwatch watches: every source, built in this one place from the
// settings file and the command line, for the window (live, through a
// collector) and for every keepwatch-cli command (one-shot) alike.
struct SourceSetConfig {
    QString spoolDirectory;            // the user's own spool: `run` writes there
    QStringList extraSpoolDirectories; // more spools, added in the Settings dialog
    bool discovery = true;             // backup tools running unwrapped, from /proc
    // The system spool (SystemSpool::root(): root's and service users'
    // sessions, readable by group keepwatch), one "system:<user>" identity
    // per user's directory. Linux only.
    bool systemSpool = true;
    // systemd's backup services (the system's manager and the user's own):
    // each run a session keyed by its invocation ID. $KEEPWATCH_SYSTEMD=0
    // leaves them out. Linux only.
    bool systemd = true;
    // Windows: the VSS writers' states, polled through keepwatch-vss.exe
    // (VssSource). $KEEPWATCH_VSS=0 leaves them out.
    bool vss = false;
    QStringList systemdUnits; // chosen in Settings, besides those recognised
    // Other hosts' sessions, mirrored here by `keepwatch-cli collect`
    // (RemoteSpools::root()): one "remote:<host>" source per host, each
    // session's host the broker topic's. Empty: none.
    QString remoteDirectory;
    // Bacula directors (docs/bacula.md), each through its own bconsole.conf.
    QList<BaculaSourceOptions> baculaDirectors;
    // Live mode: the own spool is read through this history database
    // (HistorySpoolSource); empty, it is read directly.
    QString historyPath;
    HistoryRetention::Rules retention;
    qint64 maxSeedLogLines = 100000;

    // From the settings (the window's file: ~/.config/Keepwatch/keepwatch.conf)
    // and the environment: $KEEPWATCH_SPOOL moves the own spool,
    // $KEEPWATCH_DISCOVERY=0 leaves /proc out. No history: the caller sets
    // historyPath when it records one.
    static SourceSetConfig fromSettings(const AppSettings &settings);
    // The same from the settings file of this user.
    static SourceSetConfig load();
};

class SourceSet final {
public:
    explicit SourceSet(SourceSetConfig config);

    const SourceSetConfig &config() const { return m_config; }

    // A spool's identity (SessionSource::name): "spool" for the user's own
    // spool (as before there were several, so history rows keep their keys),
    // "spool:" + the cleaned absolute path for any other.
    static QString spoolIdentity(const QString &directory, bool own);
    // SpoolLocation::isSpoolIdentity.
    static bool isSpool(const QString &identity);
    // Every spool directory, the own one first, cleaned, without duplicates.
    QStringList spoolDirectories() const;
    // The directory behind a spool identity, empty when it is no spool of
    // this set (a /proc session, say). For "system:<user>": that user's
    // directory of the system spool (when <user> is a user of this system).
    QString spoolDirectoryOf(const QString &identity) const;
    // For messages: "/home/a/.local/state/keepwatch/spool" or
    // "/a/spool, /b/spool".
    QString describeSpools() const;

    // Live mode: the collector calls it on its own thread.
    SourceFactory factory() const;

    // One-shot mode: every source read once into `store` (each spool to its
    // end, the system spool's user directories too, one /proc scan). `ownSpool` false leaves the
    // own spool out (an export that reads it through the history).
    struct Loaded {
        QList<SourceError> problems; // bad lines, unreadable files: warnings
        QString fatal;               // the own spool cannot be read at all
    };
    Loaded loadInto(SessionStore &store, bool ownSpool = true) const;

private:
    SourceSetConfig m_config;
    QStringList m_extraSpools; // cleaned, without the own one or duplicates
};

} // namespace kw
