// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "collector/sessionsource.h"
#include "systemd/backupunits.h"
#include "systemd/journalreader.h"
#include "systemd/unitrun.h"

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <deque>
#include <map>
#include <memory>
#include <optional>

class QDBusMessage;

namespace kw {

class JournalReader;
struct JournalEntry;

struct SystemdSourceOptions {
    enum class Bus : quint8 { System, User };
    Bus bus = Bus::System;
    // Units the user chose in Settings ("x" or "x.service").
    QStringList units;
    // How far back runs that ended while nobody watched are rebuilt from the
    // manager's journal messages; 0 leaves them out.
    qint64 pastRunsDays = 7;
    int maxPastRuns = 200;
    // How long the journal may lag behind the manager: a run's end waits
    // for its last lines this long after the manager said it ended.
    qint64 endGraceMs = 1000;
    // At most this many journal entries per poll (the rest: hasPendingData).
    int entriesPerPoll = 20000;
};

// Backup services of one systemd manager as sessions (issue 15): each run is
// a session whose ID is the run's invocation ID. The manager's D-Bus API says
// which units run, how their runs end (through the tool's own exit codes)
// and who they run as; the journal gives each run's lines, read through the
// tool's adapter for progress. Push: D-Bus signals and the journal's fd wake
// the collector. Runs that ended while nobody watched are rebuilt from the
// manager's journal messages.
class SystemdSource final : public QObject, public SessionSource {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SystemdSource)

public:
    explicit SystemdSource(SystemdSourceOptions options = {}, QObject *parent = nullptr);
    ~SystemdSource() override;

    // "systemd" (the system's manager) or "systemd:user" (the user's own).
    QString name() const override;
    void poll(EventBatch &out) override;
    bool hasPendingData() const override { return m_pendingData; }
    // The journal forgets: the history keeps each run, and the cursor of
    // the manager's last message whose run it has.
    bool isRecordedInHistory() const override { return true; }
    QString historyCursor() const override { return m_cursor; }
    void resumeFromHistory(const QString &cursor, const QList<Session> &recorded) override;

    static QString identity(SystemdSourceOptions::Bus bus);
    static bool isSystemdIdentity(const QString &identity);
    // Where the bus is, or empty when this machine has none: the
    // environment's address, else the standard socket when it exists.
    static QString busAddress(SystemdSourceOptions::Bus bus);
    // $KEEPWATCH_SYSTEMD=0 leaves systemd out (tests of other sources).
    static bool enabledByEnvironment();

private slots:
    void onPropertiesChanged(const QString &interface, const QVariantMap &changed,
                             const QStringList &invalidated, const QDBusMessage &message);

private:
    struct Unit {
        QString name;
        std::optional<BackupUnit> backup; // not a backup: nullopt
        UnitRun run;                      // as folded from the manager's signals
    };
    struct Run;

    bool connectBus(EventBatch &out);
    void readLoadedUnits();
    Unit *unitAtPath(const QString &path);
    Unit *unitNamed(const QString &name);
    void observe(Unit &unit, const UnitRun &before);
    Run &startRun(const Unit &unit, const UnitRun &run, qint64 startedMs);
    void readJournal(Run &run, EventBatch &out, bool toTheEnd);
    void finishRun(Run &run, EventBatch &out);
    // A run seen first after its end: finished at once, or after the grace
    // when it ended just now (journald may still be reading its last lines).
    void noteEndedBeforeSeen(Run &run, qint64 endedUs);
    bool graceIsOver(const Run &run, qint64 nowMs) const;
    // A journal entry's time as the run's next event time (never earlier).
    static qint64 eventMs(Run &run, const JournalEntry &entry);
    // One line the run's process wrote, through the tool's adapter.
    void feedLine(Run &run, const JournalEntry &entry, EventBatch &out) const;
    // journald ties a line to its unit through /proc when it reads it: a
    // process that ended before that (restic failing at once on a loaded
    // machine) leaves lines with no unit and no invocation ID, only its PID.
    // Those of the run's main process, written while the run could have
    // written them, are the run's (read at its end, so after its other lines).
    void readUnattributedLines(Run &run, EventBatch &out);
    static constexpr qint64 kUnattributedSlackUs = 5 * 1000 * 1000;
    void rebuildPastRuns(EventBatch &out);
    // The run a message is about, when the manager of this source wrote it.
    bool managerRun(const JournalEntry &entry, QString &id, QString &unit) const;
    // Keeps a message of the manager's about a run (which holds the cursor
    // until its run is delivered); false for anybody else's.
    bool noteManagerMessage(const JournalEntry &entry, QString &id, QString &unit);
    void followManagerMessages();
    bool isOtherUnit(const QString &name) const;
    QString defaultUser() const;

    SystemdSourceOptions m_options;
    BackupUnits m_backupUnits;
    std::optional<QDBusConnection> m_bus;
    QString m_connectionName;
    bool m_started = false;
    bool m_pendingData = false;
    QString m_journalProblem; // why unit lines cannot be read, said once per run
    QString m_host;
    QHash<QString, Unit> m_units;                   // by object path
    std::map<QString, std::unique_ptr<Run>> m_runs; // by invocation ID, until reported ended
    QSet<QString> m_ended;                          // runs already reported ended
    QList<Event> m_pending;                         // made by D-Bus signals between polls

    // Where the history stands (resumeFromHistory) and where it can go on
    // from: the cursor of the manager's last message about a run whose end
    // is delivered, or about no backup. A run's end not delivered yet holds
    // it, so a restart reads that message again; for a minute at most (a
    // unit this source never saw start cannot hold it for ever).
    static constexpr qint64 kUnsettledMs = 60 * 1000;
    struct ManagerMessage {
        QByteArray cursor;
        QString id;
        QString unit;
        qint64 ms = 0;
        bool ends = false;
    };
    std::unique_ptr<JournalReader> m_managerJournal; // followed after the past runs
    std::deque<ManagerMessage> m_unsettled;
    QString m_cursor;
    QString m_resumeCursor;
    struct Recorded {
        qint64 logLines = 0;
        qint64 startedMs = 0;
    };
    QHash<QString, Recorded> m_recorded; // unfinished runs the history has, by invocation ID
};

} // namespace kw
