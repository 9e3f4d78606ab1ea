// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/systemdsource.h"

#include "adapters/outputadapter.h"
#include "logging/logging.h"
#include "platform/environmentswitch.h"
#include "platform/processprobe.h"
#include "platform/useraccounts.h"
#include "store/session.h"
#include "systemd/journalreader.h"
#include "systemd/systemdbus.h"
#include "systemd/unitlist.h"
#include "tools/commandredactor.h"
#include "tools/toolprofile.h"
#include "tools/toolregistry.h"

#include <QDBusArgument>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusReply>
#include <QDateTime>
#include <QFileInfo>
#include <QSocketNotifier>
#include <QTimer>
#include <algorithm>
#include <atomic>
#include <unistd.h>

namespace kw {

using namespace SystemdBus;

namespace {

qint64 nowMs() {
    return QDateTime::currentMSecsSinceEpoch();
}

// The object path's last part is the unit's name with every byte other than
// [A-Za-z0-9] written as _xx (sd_bus_path_encode).
QString unitNameOfPath(const QString &path) {
    static const QString prefix = QStringLiteral("/org/freedesktop/systemd1/unit/");
    if (!path.startsWith(prefix))
        return {};
    const QByteArray encoded = path.mid(prefix.size()).toLatin1();
    QByteArray name;
    for (qsizetype i = 0; i < encoded.size(); ++i) {
        if (encoded[i] == '_' && i + 2 < encoded.size()) {
            bool ok = false;
            const int byte = encoded.mid(i + 1, 2).toInt(&ok, 16);
            if (ok) {
                name += char(byte);
                i += 2;
                continue;
            }
        }
        name += encoded[i];
    }
    return QString::fromUtf8(name);
}

LogLevel levelOfPriority(int priority) {
    if (priority <= 3)
        return LogLevel::Error;
    if (priority == 4)
        return LogLevel::Warning;
    if (priority == 7)
        return LogLevel::Debug;
    return LogLevel::Info;
}

// The journal does not keep which stream a line came from. borg writes its
// --log-json lines (one JSON object each) to stderr and its --json result
// (pretty-printed over many lines) to stdout; the other tools' adapters read
// their machine output from stdout.
OutputStream streamOf(const QString &tool, const QByteArray &line) {
    if (tool != QLatin1String("borg"))
        return OutputStream::Stdout;
    const QByteArray trimmed = line.trimmed();
    return trimmed.size() > 1 && trimmed.startsWith('{') && trimmed.endsWith('}')
               ? OutputStream::Stderr
               : OutputStream::Stdout;
}

} // namespace

// One run being watched: its adapter, its journal, until its end is reported.
struct SystemdSource::Run {
    QString id;
    QString unit;
    BackupUnit backup;
    const ToolProfile *profile = nullptr;
    std::unique_ptr<OutputAdapter> adapter;
    std::unique_ptr<JournalReader> journal;
    std::unique_ptr<QSocketNotifier> notifier;
    UnitRun last;                   // the manager's latest word
    qint64 endSeenMs = 0;           // when the manager said it ended (0: running)
    std::optional<Outcome> outcome; // a past run's end, rebuilt from the journal
    qint64 startedMs = 0;
    // Its main process, the last the manager named (0 never overwrites it:
    // a unit unloaded after its run may name none by then).
    qint64 mainPid = 0;
    qint64 lastEventMs = 0;  // event times never go backwards within a run
    bool stopLogged = false; // the manager logged "Stopping" for this run
    qint64 skipLogLines = 0; // the history has them: read again, not delivered again

    void noteMainPid(qint64 pid) {
        if (pid > 0)
            mainPid = pid;
    }
};

// Turns what an adapter understood into the run's events.
class RunSink final : public AdapterSink {
public:
    RunSink(QList<Event> &out, QString source, QString id, qint64 ms, qint64 &skipLogLines)
        : m_out(out)
        , m_source(std::move(source))
        , m_id(std::move(id))
        , m_ms(ms)
        , m_skipLogLines(skipLogLines) {}
    void log(LogLevel level, QByteArrayView message, OutputStream stream) override {
        // A run read again from its start (a restart) makes the same lines
        // in the same order: those the history has are left out.
        if (m_skipLogLines > 0) {
            --m_skipLogLines;
            return;
        }
        LogPayload &p = add().emplace<LogPayload>();
        p.level = level;
        p.message = message.toByteArray();
        p.stream =
            stream == OutputStream::Stdout ? QStringLiteral("stdout") : QStringLiteral("stderr");
    }
    void progress(const ProgressPayload &progress) override {
        add().emplace<ProgressPayload>() = progress;
    }
    void state(SessionState state, const QString &reason) override {
        StatePayload &p = add().emplace<StatePayload>();
        p.state = state;
        p.reason = reason;
    }

private:
    Event &add() {
        Event &e = m_out.emplace_back();
        e.session = m_id;
        e.source = m_source;
        e.timestampMs = m_ms;
        return e;
    }
    QList<Event> &m_out;
    QString m_source;
    QString m_id;
    qint64 m_ms;
    qint64 &m_skipLogLines;
};

SystemdSource::SystemdSource(SystemdSourceOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_backupUnits(m_options.units)
    , m_host(ProcessProbe::hostName()) {}

SystemdSource::~SystemdSource() {
    if (m_bus) {
        m_bus->disconnect(
            kService, QString(), kProperties, QStringLiteral("PropertiesChanged"), this,
            SLOT(onPropertiesChanged(QString, QVariantMap, QStringList, QDBusMessage)));
        m_bus.reset();
        QDBusConnection::disconnectFromBus(m_connectionName);
    }
}

QString SystemdSource::identity(SystemdSourceOptions::Bus bus) {
    return bus == SystemdSourceOptions::Bus::System ? QStringLiteral("systemd")
                                                    : QStringLiteral("systemd:user");
}

bool SystemdSource::isSystemdIdentity(const QString &identity) {
    return Session::isUnitRunSource(identity);
}

bool SystemdSource::enabledByEnvironment() {
    return kw::enabledByEnvironment("KEEPWATCH_SYSTEMD");
}

QString SystemdSource::name() const {
    return identity(m_options.bus);
}

QString SystemdSource::defaultUser() const {
    if (m_options.bus == SystemdSourceOptions::Bus::System)
        return QStringLiteral("root");
    return UserAccounts::nameOf(uint(getuid()));
}

QString SystemdSource::busAddress(SystemdSourceOptions::Bus which) {
    // Never libdbus's default for a missing session bus: "autolaunch:"
    // would start a dbus-daemon of its own.
    const bool system = which == SystemdSourceOptions::Bus::System;
    QString variable =
        qEnvironmentVariable(system ? "DBUS_SYSTEM_BUS_ADDRESS" : "DBUS_SESSION_BUS_ADDRESS");
    if (!variable.isEmpty())
        return variable;
    const QString socket = system
                               ? QStringLiteral("/run/dbus/system_bus_socket")
                               : qEnvironmentVariable("XDG_RUNTIME_DIR") + QStringLiteral("/bus");
    if (socket.startsWith(QLatin1Char('/')) && QFileInfo(socket).exists())
        return QStringLiteral("unix:path=") + socket;
    return {};
}

bool SystemdSource::connectBus(EventBatch &out) {
    const bool system = m_options.bus == SystemdSourceOptions::Bus::System;
    // A connection of our own: Subscribe is per connection, and the
    // window's notification code shares the default session connection.
    const QString address = busAddress(m_options.bus);
    if (address.isEmpty())
        return false; // no such bus here (a container, a machine without systemd)
    // A connection of our own: Subscribe is per connection, and the
    // window's notification code shares the default session connection.
    // Unique per source, never reused: a name of a closed connection would
    // give back that one.
    static std::atomic<quint64> connections{0};
    const QString connectionName = QStringLiteral("keepwatch-%1-%2").arg(name()).arg(++connections);
    QDBusConnection bus = QDBusConnection::connectToBus(address, connectionName);
    if (!bus.isConnected()) {
        // No bus is no fault: a container, a machine without systemd.
        qCDebug(log::sources) << name() << "no bus:" << bus.lastError().message();
        return false;
    }
    const QDBusMessage subscribe = bus.call(QDBusMessage::createMethodCall(
        kService, kManagerPath, kManagerInterface, QStringLiteral("Subscribe")));
    if (subscribe.type() == QDBusMessage::ErrorMessage) {
        // Nobody answers as org.freedesktop.systemd1: no manager on this bus.
        qCDebug(log::sources) << name() << "no systemd manager:" << subscribe.errorMessage();
        QDBusConnection::disconnectFromBus(connectionName);
        return false;
    }
    m_bus = bus;
    m_connectionName = connectionName;
    // One connection for every unit's changes, before the first read: a
    // run that starts meanwhile is seen, not missed.
    m_bus->connect(kService, QString(), kProperties, QStringLiteral("PropertiesChanged"), this,
                   SLOT(onPropertiesChanged(QString, QVariantMap, QStringList, QDBusMessage)));
    if (system) {
        m_journalProblem = JournalReader::systemJournalAccess();
        if (!m_journalProblem.isEmpty())
            out.errors << SourceError{name(), QStringLiteral("journal"), 0, m_journalProblem, true};
    }
    return true;
}

void SystemdSource::readLoadedUnits() {
    QStringList paths;
    for (const ListedUnit &unit : ListedUnit::list(*m_bus, QStringLiteral(".service")))
        paths << unit.path;
    for (const QString &path : paths) {
        if (Unit *unit = unitAtPath(path); unit && unit->backup)
            observe(*unit, UnitRun{});
    }
    // Units chosen in Settings, even when not loaded now.
    for (const QString &name : m_options.units)
        unitNamed(BackupUnits::serviceName(name));
}

SystemdSource::Unit *SystemdSource::unitNamed(const QString &name) {
    QDBusMessage load = QDBusMessage::createMethodCall(kService, kManagerPath, kManagerInterface,
                                                       QStringLiteral("LoadUnit"));
    load << name;
    const QDBusReply<QDBusObjectPath> path = m_bus->call(load);
    if (!path.isValid())
        return nullptr;
    return unitAtPath(path.value().path());
}

SystemdSource::Unit *SystemdSource::unitAtPath(const QString &path) {
    if (auto it = m_units.find(path); it != m_units.end())
        return &*it;
    const QString name = unitNameOfPath(path);
    if (!name.endsWith(QLatin1String(".service")))
        return nullptr;
    Unit unit;
    unit.name = name;
    // One read of the whole unit: ExecStart says whether it is a backup,
    // the rest is where its current run stands.
    unit.run = UnitRun::read(*m_bus, name);
    unit.backup = m_backupUnits.match(name, unit.run.execStart);
    if (unit.backup)
        qCDebug(log::sources) << name << "is a backup unit:" << unit.backup->why;
    return &*m_units.insert(path, unit);
}

void SystemdSource::onPropertiesChanged(const QString &interface, const QVariantMap &changed,
                                        const QStringList &, const QDBusMessage &message) {
    if (interface != kUnitInterface && interface != kServiceInterface)
        return;
    Unit *unit = unitAtPath(message.path());
    if (!unit || !unit->backup)
        return;
    const UnitRun before = unit->run;
    // Also when the unit was read just now: the read may be ahead of this
    // signal (a short run already ended, its unit unloaded, its invocation
    // ID forgotten). The signals queued behind this one bring it forward
    // again, in order.
    unit->run.apply(interface, changed);
    observe(*unit, before);
}

void SystemdSource::observe(Unit &unit, const UnitRun &before) {
    const UnitRun &now = unit.run;
    // The manager moved on to a new run before the last one's end was seen.
    if (!before.invocationId.isEmpty() && before.invocationId != now.invocationId) {
        if (auto it = m_runs.find(before.invocationId);
            it != m_runs.end() && it->second->endSeenMs == 0) {
            it->second->last = before;
            it->second->noteMainPid(before.execMainPid);
            it->second->endSeenMs = nowMs();
        }
    }
    if (now.invocationId.isEmpty() || m_ended.contains(now.invocationId))
        return;
    auto it = m_runs.find(now.invocationId);
    if (it == m_runs.end()) {
        if (now.execMainCode == 0 && !now.isRunning() && now.activeState != QLatin1String("failed"))
            return; // loaded, never ran
        const qint64 started = now.startedUs > 0 ? now.startedUs / 1000 : nowMs();
        startRun(unit, now, started);
        it = m_runs.find(now.invocationId);
        // Ended before it was seen (a failed unit stays loaded): its lines
        // are all in the journal already.
        if (!now.isRunning() && now.outcome(*it->second->profile)) {
            it->second->last = now;
            it->second->noteMainPid(now.execMainPid);
            noteEndedBeforeSeen(*it->second, now.endedUs);
            requestPoll();
            return;
        }
    }
    Run &run = *it->second;
    if (run.endSeenMs != 0)
        return; // ended: what the manager says after (it resets an unloaded unit) is not this run
    run.last = now;
    run.noteMainPid(now.execMainPid);
    if (!now.isRunning() && now.outcome(*run.profile)) {
        run.endSeenMs = nowMs();
        // The journal may still be writing its last lines: look again after the grace.
        QTimer::singleShot(m_options.endGraceMs, this, [this] { requestPoll(); });
    }
    requestPoll();
}

void SystemdSource::noteEndedBeforeSeen(Run &run, qint64 endedUs) {
    // The grace runs from the end itself: a run that ended long ago has
    // had it.
    run.endSeenMs = std::max<qint64>(endedUs / 1000, 1);
    if (!graceIsOver(run, nowMs()))
        QTimer::singleShot(m_options.endGraceMs, this, [this] { requestPoll(); });
}

bool SystemdSource::graceIsOver(const Run &run, qint64 nowMs) const {
    return run.endSeenMs > 0 && nowMs - run.endSeenMs >= m_options.endGraceMs;
}

SystemdSource::Run &SystemdSource::startRun(const Unit &unit, const UnitRun &state,
                                            qint64 startedMs) {
    auto run = std::make_unique<Run>();
    run->id = state.invocationId;
    run->unit = unit.name;
    run->backup = *unit.backup;
    run->last = state;
    run->profile = &ToolRegistry::forCommand(run->backup.tool, run->backup.command);
    run->adapter = run->profile->createAdapter(run->backup.command);
    if (const auto recorded = m_recorded.constFind(run->id); recorded != m_recorded.cend()) {
        // Unfinished in the history (the window closed during the run).
        run->skipLogLines = recorded->logLines;
        if (recorded->startedMs > 0)
            startedMs = recorded->startedMs;
    }
    run->startedMs = startedMs;
    run->noteMainPid(state.execMainPid);
    run->lastEventMs = startedMs;

    Event start;
    start.session = run->id;
    start.source = name();
    start.timestampMs = startedMs;
    StartPayload &p = start.emplace<StartPayload>();
    p.kind = run->backup.kind;
    p.tool = run->backup.tool;
    p.target = run->backup.target;
    p.command = CommandRedactor::redact(run->backup.command);
    p.title = unit.name;
    p.host = m_host;
    p.user = state.user.isEmpty() ? defaultUser() : state.user;
    p.unit = unit.name;
    p.invocationId = run->id;
    if (state.execMainPid > 0)
        p.pid = state.execMainPid;
    m_pending << start;
    RunSink sink(m_pending, start.source, run->id, startedMs, run->skipLogLines);
    run->adapter->start(sink);

    const bool systemUnit = m_options.bus == SystemdSourceOptions::Bus::System;
    if (systemUnit && !m_journalProblem.isEmpty()) {
        // Said once per run, in its own log: why the pane stays empty.
        sink.log(LogLevel::Warning, QStringLiteral("keepwatch: %1").arg(m_journalProblem).toUtf8(),
                 OutputStream::Stderr);
    } else {
        QString error;
        run->journal = JournalReader::openRun(run->id, &error);
        if (!run->journal) {
            sink.log(LogLevel::Warning,
                     QStringLiteral("keepwatch: no lines from the journal: %1").arg(error).toUtf8(),
                     OutputStream::Stderr);
        } else if (const int fd = run->journal->fd(); fd >= 0) {
            run->notifier = std::make_unique<QSocketNotifier>(fd, QSocketNotifier::Read);
            JournalReader *journal = run->journal.get();
            connect(run->notifier.get(), &QSocketNotifier::activated, this, [this, journal] {
                journal->wakeUp();
                requestPoll();
            });
        }
    }
    qCDebug(log::sources) << "run" << run->id << "of" << unit.name << "started";
    Run &ref = *run;
    m_runs.emplace(ref.id, std::move(run));
    return ref;
}

void SystemdSource::readJournal(Run &run, EventBatch &out, bool toTheEnd) {
    if (!run.journal)
        return;
    std::vector<JournalEntry> entries;
    const QByteArray ownId = run.id.toLatin1();
    for (;;) {
        entries.clear();
        const bool more = run.journal->read(entries, m_options.entriesPerPoll);
        for (const JournalEntry &entry : entries) {
            if (entry.field("_SYSTEMD_INVOCATION_ID") == ownId) {
                feedLine(run, entry, out);
            } else {
                // The manager about the run: "Main process exited, code=...".
                // "Stopping ...": a stop job, the user's (or an admin's)
                // cancel; the bus may never show the short deactivating state.
                if (entry.field("MESSAGE_ID") == JournalReader::kUnitStopping)
                    run.stopLogged = true;
                RunSink sink(out.events, name(), run.id, eventMs(run, entry), run.skipLogLines);
                sink.log(levelOfPriority(entry.priority), QByteArray("systemd: " + entry.message),
                         OutputStream::Stderr);
            }
        }
        if (!more)
            break;
        if (!toTheEnd) {
            m_pendingData = true;
            break;
        }
    }
}

qint64 SystemdSource::eventMs(Run &run, const JournalEntry &entry) {
    run.lastEventMs = std::max(entry.realtimeUs / 1000, run.lastEventMs);
    return run.lastEventMs;
}

void SystemdSource::feedLine(Run &run, const JournalEntry &entry, EventBatch &out) const {
    RunSink sink(out.events, name(), run.id, eventMs(run, entry), run.skipLogLines);
    QByteArray line = entry.message;
    const OutputStream stream = streamOf(run.backup.tool, line);
    line.append('\n');
    run.adapter->feed(stream, line, sink);
}

void SystemdSource::readUnattributedLines(Run &run, EventBatch &out) {
    const qint64 pid = run.mainPid;
    if (!run.journal || pid <= 0)
        return;
    // While the run could have written them: from its start to a little
    // after its end (journald stamps a line when it reads it).
    const qint64 sinceUs = run.startedMs * 1000 - kUnattributedSlackUs;
    const qint64 untilUs =
        (run.last.endedUs > 0 ? run.last.endedUs : nowMs() * 1000) + kUnattributedSlackUs;
    QString error;
    std::unique_ptr<JournalReader> journal = JournalReader::openProcess(pid, sinceUs, &error);
    if (!journal)
        return;
    std::vector<JournalEntry> entries;
    bool more = true;
    while (more) {
        entries.clear();
        more = journal->read(entries, m_options.entriesPerPoll);
        for (const JournalEntry &entry : entries) {
            if (entry.realtimeUs > untilUs) {
                more = false;
                break;
            }
            if (entry.fields.contains("_SYSTEMD_INVOCATION_ID")
                || entry.fields.contains("_SYSTEMD_CGROUP"))
                continue; // tied to a unit: this run's were read with its ID
            feedLine(run, entry, out);
        }
    }
}

void SystemdSource::finishRun(Run &run, EventBatch &out) {
    readJournal(run, out, true);
    readUnattributedLines(run, out);
    qCDebug(log::sources) << "run" << run.id << "of" << run.unit << "ended" << run.last.activeState
                          << run.last.execMainCode << run.last.execMainStatus;
    const qint64 endMs =
        std::max(run.last.endedUs > 0 ? run.last.endedUs / 1000 : nowMs(), run.lastEventMs);
    {
        RunSink sink(out.events, name(), run.id, endMs, run.skipLogLines);
        run.adapter->finish(sink);
    }
    Outcome outcome;
    if (run.stopLogged && run.last.execMainCode != 0)
        run.last.stopRequested = true;
    if (run.outcome) {
        outcome = *run.outcome;
    } else if (auto o = run.last.outcome(*run.profile)) {
        outcome = *o;
    } else {
        outcome = {SessionState::Exited, QStringLiteral("ended; the manager gave no exit status")};
    }
    Event end;
    end.session = run.id;
    end.source = name();
    end.timestampMs = endMs;
    EndPayload &p = end.emplace<EndPayload>();
    p.state = outcome.state;
    p.summary = outcome.summary;
    if (run.last.execMainCode == 1)
        p.exitCode = run.last.execMainStatus;
    else if (run.last.execMainCode == 2 || run.last.execMainCode == 3)
        p.signal = run.last.execMainStatus;
    out.events << end;
    m_ended.insert(run.id);
}

void SystemdSource::poll(EventBatch &out) {
    m_pendingData = false;
    if (!m_started) {
        m_started = true;
        if (!connectBus(out))
            return;
        readLoadedUnits();
        rebuildPastRuns(out);
    }
    if (!m_bus)
        return;
    out.events.append(m_pending);
    m_pending.clear();
    const qint64 now = nowMs();
    for (auto it = m_runs.begin(); it != m_runs.end();) {
        Run &run = *it->second;
        if (graceIsOver(run, now)) {
            finishRun(run, out);
            it = m_runs.erase(it);
            continue;
        }
        readJournal(run, out, false);
        ++it;
    }
    followManagerMessages();
}

void SystemdSource::rebuildPastRuns(EventBatch &out) {
    if (m_options.pastRunsDays <= 0)
        return;
    // From where the history stands, else the last days.
    const qint64 sinceUs = (nowMs() - m_options.pastRunsDays * 24 * 3600 * 1000) * 1000;
    QString error;
    std::unique_ptr<JournalReader> journal =
        JournalReader::openManagerMessages(sinceUs, &error, m_resumeCursor.toUtf8());
    if (!journal) {
        qCDebug(log::sources) << name() << "no past runs:" << error;
        return;
    }
    struct Past {
        QString unit;
        qint64 firstUs = 0;
        qint64 lastUs = 0;
        UnitRun run;
        bool succeeded = false;
        bool stopping = false;
    };
    std::map<QString, Past> past; // by invocation ID
    QStringList order;
    std::vector<JournalEntry> entries;
    while (true) {
        entries.clear();
        const bool more = journal->read(entries, 10000);
        for (const JournalEntry &e : entries) {
            QString id;
            QString unit;
            if (!noteManagerMessage(e, id, unit))
                continue;
            const QByteArray messageId = e.field("MESSAGE_ID");
            auto [it, isNew] = past.try_emplace(id);
            Past &p = it->second;
            if (isNew) {
                p.unit = unit;
                p.firstUs = e.realtimeUs;
                p.run.unit = unit;
                p.run.invocationId = id;
                order << id;
            }
            p.lastUs = e.realtimeUs;
            if (messageId == JournalReader::kProcessExited) {
                const QByteArray code = e.field("EXIT_CODE");
                p.run.execMainCode = code == "exited"   ? 1
                                     : code == "killed" ? 2
                                     : code == "dumped" ? 3
                                                        : 0;
                p.run.execMainStatus = e.field("EXIT_STATUS").toInt();
                p.run.endedUs = e.realtimeUs;
            } else if (messageId == JournalReader::kUnitFailed) {
                p.run.activeState = QStringLiteral("failed");
                p.run.result = QString::fromLatin1(e.field("UNIT_RESULT"));
            } else if (messageId == JournalReader::kUnitSucceeded) {
                p.succeeded = true;
                p.run.activeState = QStringLiteral("inactive");
                p.run.result = QStringLiteral("success");
            } else if (messageId == JournalReader::kUnitStopping) {
                if (p.run.execMainCode == 0)
                    p.run.stopRequested = true;
                p.stopping = true;
            }
        }
        if (!more)
            break;
    }
    // The newest runs first, when there are too many.
    int taken = 0;
    for (qsizetype i = order.size() - 1; i >= 0 && taken < m_options.maxPastRuns; --i) {
        Past &p = past[order[i]];
        const QString &id = order[i];
        if (m_runs.count(id) || m_ended.contains(id))
            continue;
        Unit *unit = unitNamed(p.unit);
        if (!unit || !unit->backup)
            continue;
        // Still running (the manager knows it): the live path has it.
        if (unit->run.invocationId == id && unit->run.isRunning())
            continue;
        const bool ended = p.run.execMainCode != 0 || p.succeeded
                           || p.run.activeState == QLatin1String("failed") || p.stopping;
        if (!ended)
            continue;
        ++taken;
        p.run.user = unit->run.user;
        if (p.run.endedUs == 0)
            p.run.endedUs = p.lastUs;
        // The manager's PID of its main process, while the unit still has
        // this run (a failed unit stays loaded): for its unattributed lines.
        if (unit->run.invocationId == id)
            p.run.execMainPid = unit->run.execMainPid;
        Run &run = startRun(*unit, p.run, p.firstUs / 1000);
        run.last = p.run;
        noteEndedBeforeSeen(run, p.run.endedUs);
        // The manager logged a stop but not the main process's end (it
        // logs an expected end at debug level): the user's cancel.
        if (p.run.execMainCode == 0 && p.stopping && p.run.activeState != QLatin1String("failed"))
            run.outcome =
                Outcome{SessionState::Cancelled, QStringLiteral("stopped (the unit was stopped)")};
        else if (p.run.execMainCode == 0 && p.succeeded) {
            ExitStatus status;
            status.exitCode = 0;
            run.outcome = run.profile->outcome(status);
        }
    }
    out.events.append(m_pending);
    m_pending.clear();
    const qint64 now = nowMs();
    for (auto it = m_runs.begin(); it != m_runs.end();) {
        if (graceIsOver(*it->second, now)) {
            finishRun(*it->second, out);
            it = m_runs.erase(it);
        } else {
            ++it;
        }
    }
    m_managerJournal = std::move(journal);
}

bool SystemdSource::managerRun(const JournalEntry &entry, QString &id, QString &unit) const {
    const bool system = m_options.bus == SystemdSourceOptions::Bus::System;
    // Only the manager's own word counts: a process may log any field it
    // likes, but not journald's trusted _PID and _UID (the system's manager
    // is PID 1, a user's runs as that user).
    if (system ? entry.field("_PID") != "1" : entry.field("_UID") != QByteArray::number(getuid()))
        return false;
    id = QString::fromLatin1(entry.field(system ? "INVOCATION_ID" : "USER_INVOCATION_ID"));
    unit = QString::fromUtf8(entry.field(system ? "UNIT" : "USER_UNIT"));
    return id.size() == 32 && !unit.isEmpty();
}

bool SystemdSource::isOtherUnit(const QString &name) const {
    return std::any_of(m_units.cbegin(), m_units.cend(),
                       [&](const Unit &unit) { return unit.name == name && !unit.backup; });
}

bool SystemdSource::noteManagerMessage(const JournalEntry &entry, QString &id, QString &unit) {
    if (!managerRun(entry, id, unit))
        return false;
    const QByteArray messageId = entry.field("MESSAGE_ID");
    const bool ends = messageId == JournalReader::kProcessExited
                      || messageId == JournalReader::kUnitFailed
                      || messageId == JournalReader::kUnitSucceeded;
    m_unsettled.push_back(ManagerMessage{entry.cursor, id, unit, entry.realtimeUs / 1000, ends});
    return true;
}

void SystemdSource::followManagerMessages() {
    if (!m_managerJournal)
        return;
    std::vector<JournalEntry> entries;
    m_managerJournal->read(entries, m_options.entriesPerPoll);
    for (const JournalEntry &e : entries) {
        QString id;
        QString unit;
        noteManagerMessage(e, id, unit);
    }
    const qint64 now = nowMs();
    while (!m_unsettled.empty()) {
        const ManagerMessage &m = m_unsettled.front();
        const bool held =
            m.ends && !m_ended.contains(m.id) && !isOtherUnit(m.unit) && now - m.ms < kUnsettledMs;
        if (held)
            break;
        m_cursor = QString::fromLatin1(m.cursor);
        m_unsettled.pop_front();
    }
}

void SystemdSource::resumeFromHistory(const QString &cursor, const QList<Session> &recorded) {
    m_resumeCursor = cursor;
    m_cursor = cursor;
    for (const Session &session : recorded) {
        if (isTerminal(session.state))
            m_ended.insert(session.key.id); // neither read again nor delivered again
        else
            m_recorded.insert(session.key.id,
                              Recorded{session.logLines, session.effectiveStartMs()});
    }
}

} // namespace kw
