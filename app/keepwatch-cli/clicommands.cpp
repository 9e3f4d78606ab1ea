// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "clicommands.h"

#include "argumentlist.h"
#include "discovery/procsource.h"
#include "export/sessionjson.h"
#include "format/format.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "platform/processprobe.h"
#include "protocol/eventcodec.h"
#include "protocol/jsonwriter.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "report/csvreportwriter.h"
#include "report/htmlreportwriter.h"
#include "report/jsonreportwriter.h"
#include "report/reportdata.h"
#include "report/reportselection.h"
#include "spool/spoollocation.h"
#include "spool/spoolsnapshot.h"
#include "spool/spoolwriter.h"
#include "store/sessionstore.h"
#include "wrapper/wrappedcommand.h"

#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QThread>
#include <csignal>
#include <cstdio>

namespace kw::cli {

namespace {

void out(const QByteArray &text) {
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
}

int fail(int code, const QString &message) {
    std::fprintf(stderr, "keepwatch-cli: %s\n", message.toLocal8Bit().constData());
    return code;
}

// Problems reading the spool are warnings: the rest of the spool still counts.
void reportProblems(const QList<SourceError> &errors) {
    constexpr qsizetype kShown = 10;
    for (qsizetype i = 0; i < errors.size() && i < kShown; ++i)
        std::fprintf(stderr, "keepwatch-cli: warning: %s\n",
                     errors[i].toString().toLocal8Bit().constData());
    if (errors.size() > kShown)
        std::fprintf(stderr, "keepwatch-cli: warning: ... and %lld more problems\n",
                     static_cast<long long>(errors.size() - kShown));
}

QString unknownOption(const QString &command, const QString &option) {
    return QStringLiteral("%1: unknown option %2 (see keepwatch-cli --help)").arg(command, option);
}

// Loads the spool; an unreadable one is an error, a missing one just empty.
bool loadSpool(SessionStore &store, QString &error) {
    const QString dir = SpoolLocation::defaultDirectory();
    const QList<SourceError> problems = SpoolSnapshot::load(dir, store);
    for (const SourceError &e : problems) {
        if (e.location == dir && e.line == 0) {
            error = QStringLiteral("cannot read the spool %1: %2").arg(dir, e.message);
            return false;
        }
    }
    reportProblems(problems);
    return true;
}

// Adds the backup tools running now without `keepwatch-cli run` (one /proc
// scan), so that `list` and `show` tell the whole story.
void addDiscoveredSessions(SessionStore &store) {
    if (!ProcSource::enabledByEnvironment())
        return;
    ProcSource source;
    EventBatch batch;
    source.poll(batch);
    store.apply(batch);
}

// The row of session `id`, or -1 with `error` set.
int findSession(const SessionStore &store, const QString &id, QString &error) {
    const QList<int> rows = store.rowsWithId(id);
    if (rows.isEmpty()) {
        error = QStringLiteral("no session %1 in %2")
                    .arg(SessionId::quoted(id), SpoolLocation::defaultDirectory());
        return -1;
    }
    return rows.first();
}

QString localTime(std::optional<qint64> ms) {
    if (!ms)
        return QStringLiteral("-");
    return Format::dateTime(*ms);
}

QString progressText(const Session &s) {
    QStringList parts;
    if (s.progress.percent)
        parts << QString::number(*s.progress.percent, 'f', 1) + QLatin1Char('%');
    if (s.progress.bytesDone)
        parts << Format::bytes(*s.progress.bytesDone);
    if (s.progress.filesDone)
        parts << QStringLiteral("%1 files").arg(*s.progress.filesDone);
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(QLatin1Char(' '));
}

} // namespace

void printUsage() {
    out("Usage: keepwatch-cli COMMAND [OPTIONS]\n"
        "\n"
        "Keepwatch's command-line tool: runs commands as monitored sessions and\n"
        "lists them, without a display.\n"
        "\n"
        "Commands:\n"
        "  run [--tool NAME] [--kind KIND] [--title TEXT] [--session-id ID]\n"
        "      [--cancel-grace SECONDS] -- COMMAND [ARGS...]\n"
        "        Run COMMAND as a new session. Its output is passed through unchanged,\n"
        "        its exit status is returned (128+N when killed by signal N).\n"
        "        KIND: backup restore verify prune snapshot other.\n"
        "        On cancel the command gets its tool's stop signal, then SIGTERM and\n"
        "        SIGKILL, each after --cancel-grace seconds (default 10).\n"
        "  list [--json]            Every session in the spool.\n"
        "  show ID [--json]         One session with its log.\n"
        "  log --session ID [--level LEVEL] MESSAGE...\n"
        "        Append a log line to a session (LEVEL: debug info warning error).\n"
        "  cancel ID [--wait SECONDS]\n"
        "        Ask the session's wrapper to stop its command.\n"
        "  reindex [--database PATH]\n"
        "        Rebuild the history database from the spool (default\n"
        "        $XDG_STATE_HOME/keepwatch/history.db, or $KEEPWATCH_HISTORY).\n"
        "  retention [--max-age DURATION] [--max-sessions N] [--dry-run]\n"
        "        Forget finished sessions older than DURATION (90d, 12w) or beyond\n"
        "        the newest N, in the history and the spool. Running sessions and\n"
        "        ones not yet read into the history are never removed.\n"
        "  export --format html|csv|json|pdf [--since DURATION | --from T [--to T]]\n"
        "      [--state S]... [--tool T]... [--session ID]... [--levels L,L] [-o FILE]\n"
        "      [--database PATH | --no-history]\n"
        "        A report of the sessions selected (default: all) on stdout or in FILE,\n"
        "        from the history (brought up to date with the spool first), or from\n"
        "        the spool alone with --no-history or when the history is unusable.\n"
        "        DURATION: 90m, 24h, 7d, 2w (also 1h30m). T: ISO-8601, e.g.\n"
        "        2026-11-24T08:00 (local time when no zone is given), 2026-11-24T07:00Z,\n"
        "        2026-11-24 (local midnight), or today, yesterday, now. A session is\n"
        "        selected when it ran during [from, to). --levels: the log levels\n"
        "        included (default: all). pdf needs keepwatch-report-pdf (built with\n"
        "        the window) next to keepwatch-cli.\n"
        "        Exit status: 0, or 3 when a selected session failed or was interrupted\n"
        "        (a cron digest: export --since 24h --format html -o FILE).\n"
        "\n"
        "Environment:\n"
        "  KEEPWATCH_SPOOL          spool directory (default $XDG_STATE_HOME/keepwatch/spool)\n"
        "  KEEPWATCH_SESSION_ID     set by `run` for the command it starts\n"
        "  KEEPWATCH_DISCOVERY=0    leave out backup tools found running in /proc\n"
        "  KEEPWATCH_STALL_TIMEOUT  seconds without progress before a running session\n"
        "                           is shown as stalled (default 300, 0 turns it off)\n");
}

int runCommand(const QStringList &args) {
    ArgumentList a(args);
    WrapOptions options;
    options.spoolDirectory = SpoolLocation::defaultDirectory();
    QString error;
    while (!a.atEnd()) {
        if (a.takeSeparator())
            break;
        if (!a.nextIsOption())
            break; // the command starts here
        if (auto tool = a.takeOption(QStringLiteral("--tool"), error)) {
            options.tool = *tool;
        } else if (auto kind = a.takeOption(QStringLiteral("--kind"), error)) {
            options.kind = sessionKindFromString(*kind);
            if (!options.kind)
                return fail(UsageError, QStringLiteral("run: unknown kind %1 (one of: backup "
                                                       "restore verify prune snapshot other)")
                                            .arg(SessionId::quoted(*kind)));
        } else if (auto title = a.takeOption(QStringLiteral("--title"), error)) {
            options.title = *title;
        } else if (auto sid = a.takeOption(QStringLiteral("--session-id"), error)) {
            options.sessionId = *sid;
        } else if (auto grace = a.takeOption(QStringLiteral("--cancel-grace"), error)) {
            bool ok = false;
            const double seconds = grace->toDouble(&ok);
            if (!ok || seconds < 0 || seconds > 3600)
                return fail(UsageError,
                            QStringLiteral("run: --cancel-grace takes seconds (0 to 3600)"));
            options.cancelGraceMs = int(seconds * 1000);
        } else if (!error.isEmpty()) {
            break;
        } else {
            return fail(UsageError, unknownOption(QStringLiteral("run"), a.peek()));
        }
        if (!error.isEmpty())
            break;
    }
    if (!error.isEmpty())
        return fail(UsageError, QStringLiteral("run: ") + error);
    options.command = a.rest();
    WrappedCommand command(options);
    if (const QString why = command.validate(); !why.isEmpty())
        return fail(UsageError, QStringLiteral("run: ") + why);
    return command.run();
}

int listCommand(const QStringList &args) {
    ArgumentList a(args);
    bool json = false;
    while (!a.atEnd()) {
        if (a.takeFlag(QStringLiteral("--json")))
            json = true;
        else
            return fail(UsageError, unknownOption(QStringLiteral("list"), a.peek()));
    }
    SessionStore store;
    QString error;
    if (!loadSpool(store, error))
        return fail(Failure, error);
    addDiscoveredSessions(store);

    // Oldest first, like a log.
    QList<int> rows;
    for (int i = 0; i < store.count(); ++i)
        rows.append(i);
    std::stable_sort(rows.begin(), rows.end(), [&](int x, int y) {
        const Session &a1 = store.at(x), &b1 = store.at(y);
        return a1.effectiveStartMs() < b1.effectiveStartMs();
    });
    const qint64 now = Timestamp::nowMs();
    if (json) {
        QByteArray text;
        JsonWriter w(text);
        w.beginArray();
        for (int row : rows) {
            w.beginObject();
            SessionJson::write(w, store.at(row), now);
            w.endObject();
        }
        w.endArray();
        out(text + '\n');
        return Ok;
    }
    const QString format = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8\n");
    out(format
            .arg(QStringLiteral("ID").leftJustified(36), QStringLiteral("STATE").leftJustified(11),
                 QStringLiteral("KIND").leftJustified(8), QStringLiteral("TOOL").leftJustified(10),
                 QStringLiteral("STARTED").leftJustified(19),
                 QStringLiteral("DURATION").leftJustified(9),
                 QStringLiteral("PROGRESS").leftJustified(16), QStringLiteral("TITLE"))
            .toUtf8());
    for (int row : rows) {
        const Session &s = store.at(row);
        out(format
                .arg(s.key.id.leftJustified(36), QString(wireName(s.state)).leftJustified(11),
                     QString(wireName(s.kind)).leftJustified(8), s.tool.leftJustified(10),
                     localTime(s.effectiveStartMs()),
                     Format::duration(s.durationMs(now)).leftJustified(9),
                     progressText(s).leftJustified(16), s.title)
                .toUtf8());
    }
    return Ok;
}

int showCommand(const QStringList &args) {
    ArgumentList a(args);
    bool json = false;
    QString id;
    while (!a.atEnd()) {
        if (a.takeFlag(QStringLiteral("--json")))
            json = true;
        else if (a.nextIsOption())
            return fail(UsageError, unknownOption(QStringLiteral("show"), a.peek()));
        else if (id.isEmpty())
            id = a.take();
        else
            return fail(UsageError, QStringLiteral("show: one session ID at a time"));
    }
    if (id.isEmpty())
        return fail(UsageError, QStringLiteral("show: which session? (keepwatch-cli show ID)"));
    SessionStore store;
    store.setMaxLogLines(std::numeric_limits<qint64>::max()); // the whole log
    QString error;
    if (!loadSpool(store, error))
        return fail(Failure, error);
    addDiscoveredSessions(store);
    const int row = findSession(store, id, error);
    if (row < 0)
        return fail(Failure, error);
    const Session &s = store.at(row);
    const LogBuffer &log = store.log(row);
    const qint64 now = Timestamp::nowMs();
    if (json) {
        QByteArray text;
        JsonWriter w(text);
        w.beginObject();
        SessionJson::writeWithLog(w, s, log, now);
        w.endObject();
        out(text + '\n');
        return Ok;
    }
    auto line = [](const char *key, const QString &value) {
        if (!value.isEmpty())
            out(QByteArray(key).leftJustified(11) + value.toUtf8() + '\n');
    };
    line("id", s.key.id);
    line("title", s.title);
    line("state",
         QString(wireName(s.state))
             + (s.stateReason.isEmpty() ? QString()
                                        : QLatin1String(" (") + s.stateReason + QLatin1Char(')')));
    line("kind", QString(wireName(s.kind)));
    line("tool", s.tool);
    line("host", s.host);
    line("user", s.user);
    line("command", s.command.join(QLatin1Char(' ')));
    line("started", localTime(s.effectiveStartMs()));
    line("ended", s.endedMs ? localTime(s.endedMs) : QString());
    line("duration", Format::duration(s.durationMs(now)));
    line("exit code", s.exitCode ? QString::number(*s.exitCode) : QString());
    line("summary", s.summary);
    line("progress", progressText(s));
    out("\n");
    for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
        const LogBuffer::Line l = log.line(seq);
        out(Format::timeMs(l.timestampMs).toUtf8() + ' '
            + QByteArray(wireName(l.level).latin1()).toUpper().leftJustified(7) + ' '
            + l.text.toByteArray() + '\n');
    }
    return Ok;
}

int logCommand(const QStringList &args) {
    ArgumentList a(args);
    QString id = qEnvironmentVariable("KEEPWATCH_SESSION_ID");
    LogLevel level = LogLevel::Info;
    QString error;
    while (!a.atEnd() && a.nextIsOption()) {
        if (auto session = a.takeOption(QStringLiteral("--session"), error)) {
            id = *session;
        } else if (auto name = a.takeOption(QStringLiteral("--level"), error)) {
            const auto parsed = logLevelFromString(*name);
            if (!parsed)
                return fail(UsageError, QStringLiteral("log: unknown level %1 (one of: debug info "
                                                       "warning error)")
                                            .arg(SessionId::quoted(*name)));
            level = *parsed;
        } else if (error.isEmpty()) {
            return fail(UsageError, unknownOption(QStringLiteral("log"), a.peek()));
        }
        if (!error.isEmpty())
            return fail(UsageError, QStringLiteral("log: ") + error);
    }
    a.takeSeparator();
    const QStringList words = a.rest();
    if (id.isEmpty())
        return fail(UsageError, QStringLiteral("log: which session? (--session ID, or run it "
                                               "inside `keepwatch-cli run`)"));
    if (words.isEmpty())
        return fail(UsageError, QStringLiteral("log: no message given"));
    SpoolWriter writer;
    if (!writer.open(SpoolLocation::defaultDirectory(), id, SpoolWriter::Mode::AppendExisting)) {
        if (SessionId::isValid(id) && !QFile::exists(writer.fileName()))
            return fail(Failure,
                        QStringLiteral("log: no session %1 in %2")
                            .arg(SessionId::quoted(id), SpoolLocation::defaultDirectory()));
        return fail(Failure, QStringLiteral("log: ") + writer.errorString());
    }
    Event event;
    event.session = id;
    event.timestampMs = Timestamp::nowMs();
    event.payload = LogPayload{level, words.join(QLatin1Char(' ')).toUtf8(), QString()};
    if (!writer.append(EventEncoder::encode(event)))
        return fail(Failure, QStringLiteral("log: ") + writer.errorString());
    return Ok;
}

int cancelCommand(const QStringList &args) {
    ArgumentList a(args);
    QString id, error;
    int waitSeconds = 0;
    while (!a.atEnd()) {
        if (auto v = a.takeOption(QStringLiteral("--wait"), error)) {
            bool ok = false;
            waitSeconds = v->toInt(&ok);
            if (!ok || waitSeconds < 0)
                return fail(UsageError, QStringLiteral("cancel: --wait takes seconds"));
        } else if (!error.isEmpty()) {
            return fail(UsageError, QStringLiteral("cancel: ") + error);
        } else if (a.nextIsOption()) {
            return fail(UsageError, unknownOption(QStringLiteral("cancel"), a.peek()));
        } else if (id.isEmpty()) {
            id = a.take();
        } else {
            return fail(UsageError, QStringLiteral("cancel: one session ID at a time"));
        }
    }
    if (id.isEmpty())
        return fail(UsageError, QStringLiteral("cancel: which session? (keepwatch-cli cancel ID)"));

    SessionStore store;
    if (!loadSpool(store, error))
        return fail(Failure, error);
    const int row = findSession(store, id, error);
    if (row < 0)
        return fail(Failure, error);
    const Session &s = store.at(row);
    if (isTerminal(s.state))
        return fail(Failure, QStringLiteral("cancel: session %1 has already ended (%2)")
                                 .arg(SessionId::quoted(id), wireName(s.state)));
    if (!s.producerPid || !s.producerStartTicks)
        return fail(Failure, QStringLiteral("cancel: session %1 was not started by keepwatch-cli "
                                            "run; stop its producer another way")
                                 .arg(SessionId::quoted(id)));
    // Signal only the session's own wrapper: same pid, same start time, same
    // boot, and a process that is keepwatch-cli. Anything else is refused.
    if (ProcessProbe::liveness(*s.producerPid, *s.producerStartTicks, s.bootId)
        != ProcessProbe::Liveness::Alive)
        return fail(Failure, QStringLiteral("cancel: the wrapper of session %1 (pid %2) is no "
                                            "longer running")
                                 .arg(SessionId::quoted(id))
                                 .arg(*s.producerPid));
    // A keepwatch-cli that is not `run` (a `list`, an `export`) would die of
    // SIGUSR1: argv[1] must be "run".
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(*s.producerPid));
    const QList<QByteArray> argv =
        cmdline.open(QIODevice::ReadOnly) ? cmdline.readAll().split('\0') : QList<QByteArray>();
    QFile comm(QStringLiteral("/proc/%1/comm").arg(*s.producerPid));
    if (!comm.open(QIODevice::ReadOnly) || comm.readAll().trimmed() != "keepwatch-cli"
        || argv.size() < 2 || argv.at(1) != "run")
        return fail(Failure, QStringLiteral("cancel: pid %1 is not a keepwatch-cli wrapper; "
                                            "refusing to signal it")
                                 .arg(*s.producerPid));
    // A wrapper writes one session. Another session naming the same process
    // means one of the two files was edited to point at a stranger's
    // wrapper: signalling it could stop the wrong backup.
    for (int other = 0; other < store.count(); ++other) {
        const Session &o = store.at(other);
        if (other != row && o.producerPid == s.producerPid
            && o.producerStartTicks == s.producerStartTicks)
            return fail(Failure, QStringLiteral("cancel: pid %1 is also named as the wrapper of "
                                                "session %2; refusing to signal it")
                                     .arg(*s.producerPid)
                                     .arg(SessionId::quoted(o.id())));
    }
    if (::kill(pid_t(*s.producerPid), SIGUSR1) != 0)
        return fail(Failure, QStringLiteral("cancel: cannot signal pid %1: %2")
                                 .arg(*s.producerPid)
                                 .arg(QString::fromLocal8Bit(std::strerror(errno))));
    std::fprintf(stderr, "keepwatch-cli: cancel requested for session %s\n",
                 id.toLocal8Bit().constData());
    // --wait: follow the spool until the session ends.
    const qint64 deadline = Timestamp::nowMs() + qint64(waitSeconds) * 1000;
    while (waitSeconds > 0 && Timestamp::nowMs() < deadline) {
        SessionStore now;
        QString ignored;
        SpoolSnapshot::load(SpoolLocation::defaultDirectory(), now);
        const QList<int> rows = now.rowsWithId(id);
        if (!rows.isEmpty() && isTerminal(now.at(rows.first()).state)) {
            out(QByteArray(wireName(now.at(rows.first()).state).latin1()) + '\n');
            return Ok;
        }
        QThread::msleep(100);
    }
    if (waitSeconds > 0)
        return fail(Failure, QStringLiteral("cancel: session %1 has not ended within %2 s")
                                 .arg(SessionId::quoted(id))
                                 .arg(waitSeconds));
    return Ok;
}

namespace {

// keepwatch-report-pdf, installed next to keepwatch-cli. No QCoreApplication
// here, so applicationDirPath() is not available: /proc/self/exe is.
QString reportPdfHelper() {
    const QString self = QFile::symLinkTarget(QStringLiteral("/proc/self/exe"));
    return QFileInfo(self).absolutePath() + QStringLiteral("/keepwatch-report-pdf");
}

// Turns the HTML report into a PDF with the helper (the CLI links no QtGui).
bool htmlToPdf(const QByteArray &html, QByteArray &pdf, QString &error) {
    const QString helper = reportPdfHelper();
    if (!QFileInfo(helper).isExecutable()) {
        error = QStringLiteral("PDF reports need keepwatch-report-pdf, built with the window "
                               "(not found at %1); use --format html")
                    .arg(helper);
        return false;
    }
    QTemporaryDir dir;
    if (!dir.isValid()) {
        error = QStringLiteral("cannot make a temporary directory: ") + dir.errorString();
        return false;
    }
    const QString in = dir.filePath(QStringLiteral("report.html"));
    const QString outPath = dir.filePath(QStringLiteral("report.pdf"));
    QFile file(in);
    if (!file.open(QIODevice::WriteOnly) || file.write(html) != html.size() || !file.flush()) {
        error = QStringLiteral("cannot write %1: %2").arg(in, file.errorString());
        return false;
    }
    file.close();
    QProcess p;
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(helper, {in, outPath});
    if (!p.waitForStarted() || !p.waitForFinished(5 * 60 * 1000)
        || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        error = QStringLiteral("keepwatch-report-pdf failed (%1)")
                    .arg(p.error() == QProcess::UnknownError
                             ? QStringLiteral("exit status %1").arg(p.exitCode())
                             : p.errorString());
        return false;
    }
    QFile result(outPath);
    if (!result.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("keepwatch-report-pdf wrote no PDF: ") + result.errorString();
        return false;
    }
    pdf = result.readAll();
    return true;
}

} // namespace

// The report from the history, brought up to date with the spool first
// when no window records it now (one that does is at most a poll behind).
// Nothing, with a warning, when the history cannot be used: the caller
// reads the spool instead, as without a history.
std::optional<ReportData> reportFromHistory(const QString &path, const ReportSelection &selection) {
    auto warn = [](const QString &why) {
        std::fprintf(stderr, "keepwatch-cli: warning: %s; the report is made from the spool\n",
                     why.toLocal8Bit().constData());
    };
    HistoryDatabase db;
    if (!db.open(path)) {
        warn(db.errorString());
        return std::nullopt;
    }
    QLockFile recorder(HistoryDatabase::recorderLockPath(path));
    recorder.setStaleLockTime(0);
    if (recorder.tryLock(2000)) {
        HistoryIngest ingest(db, SpoolLocation::defaultDirectory());
        const HistoryIngest::Result synced = ingest.sync();
        reportProblems(synced.problems);
        if (!synced.ok) {
            warn(QStringLiteral("cannot bring the history %1 up to date: %2")
                     .arg(path, db.errorString()));
            return std::nullopt;
        }
    }
    return ReportData::build(db, selection);
}

int exportCommand(const QStringList &args) {
    const QString cmd = QStringLiteral("export");
    ArgumentList a(args);
    QString error, format, output;
    std::optional<QString> since, from, to;
    QString databasePath = HistoryDatabase::defaultPath();
    bool noHistory = false;
    ReportSelection selection;
    selection.nowMs = Timestamp::nowMs();
    auto usage = [&cmd](const QString &why) {
        return fail(UsageError, cmd + QLatin1String(": ") + why);
    };
    while (!a.atEnd()) {
        if (auto v = a.takeOption(QStringLiteral("--format"), error)) {
            format = v->toLower();
        } else if (auto o = a.takeOption(QStringLiteral("-o"), error)) {
            output = *o;
        } else if (auto o2 = a.takeOption(QStringLiteral("--output"), error)) {
            output = *o2;
        } else if (auto d = a.takeOption(QStringLiteral("--since"), error)) {
            since = *d;
        } else if (auto f = a.takeOption(QStringLiteral("--from"), error)) {
            from = *f;
        } else if (auto t = a.takeOption(QStringLiteral("--to"), error)) {
            to = *t;
        } else if (auto st = a.takeOption(QStringLiteral("--state"), error)) {
            for (const QString &name : st->split(QLatin1Char(','), Qt::SkipEmptyParts)) {
                const auto state = sessionStateFromString(name.trimmed());
                if (!state)
                    return usage(QStringLiteral("unknown state %1").arg(SessionId::quoted(name)));
                selection.states.append(*state);
            }
        } else if (auto tool = a.takeOption(QStringLiteral("--tool"), error)) {
            selection.tools << tool->split(QLatin1Char(','), Qt::SkipEmptyParts);
        } else if (auto id = a.takeOption(QStringLiteral("--session"), error)) {
            selection.sessionIds << *id;
        } else if (auto db = a.takeOption(QStringLiteral("--database"), error)) {
            databasePath = *db;
        } else if (a.takeFlag(QStringLiteral("--no-history"))) {
            noHistory = true;
        } else if (auto lv = a.takeOption(QStringLiteral("--levels"), error)) {
            const auto levels = ReportSelection::parseLevels(*lv);
            if (!levels)
                return usage(QStringLiteral("--levels takes levels separated by commas "
                                            "(debug,info,warning,error)"));
            selection.levels = *levels;
        } else if (!error.isEmpty()) {
            break;
        } else if (a.nextIsOption()) {
            return fail(UsageError, unknownOption(cmd, a.peek()));
        } else {
            return usage(QStringLiteral("unexpected argument %1 (sessions go after --session)")
                             .arg(SessionId::quoted(a.peek())));
        }
        if (!error.isEmpty())
            break;
    }
    if (!error.isEmpty())
        return usage(error);
    const QStringList formats{QStringLiteral("html"), QStringLiteral("csv"), QStringLiteral("json"),
                              QStringLiteral("pdf")};
    if (format.isEmpty())
        return usage(QStringLiteral("which format? (--format html|csv|json|pdf)"));
    if (!formats.contains(format))
        return usage(QStringLiteral("unknown format %1 (one of: html csv json pdf)")
                         .arg(SessionId::quoted(format)));
    if (since && (from || to))
        return usage(QStringLiteral("--since or --from/--to, not both"));
    if (since) {
        const auto ms = ReportSelection::parseDuration(*since);
        if (!ms)
            return usage(QStringLiteral("--since takes a duration such as 90m, 24h, 7d or 2w"));
        selection.fromMs = selection.nowMs - *ms;
    }
    for (auto [text, target] :
         {std::pair{&from, &selection.fromMs}, std::pair{&to, &selection.toMs}}) {
        if (!*text)
            continue;
        const auto ms = ReportSelection::parseTime(**text, selection.nowMs);
        if (!ms)
            return usage(QStringLiteral("%1 is not a time (ISO-8601 such as 2026-11-24T08:00, "
                                        "or today, yesterday, now)")
                             .arg(SessionId::quoted(**text)));
        *target = *ms;
    }

    std::optional<ReportData> fromHistory;
    if (!noHistory)
        fromHistory = reportFromHistory(databasePath, selection);
    SessionStore store;
    store.setMaxLogLines(std::numeric_limits<qint64>::max()); // whole logs
    if (!fromHistory && !loadSpool(store, error))
        return fail(Failure, error);
    addDiscoveredSessions(store);
    ReportData data = ReportData::build(store, selection);
    if (fromHistory) {
        fromHistory->merge(std::move(data));
        data = std::move(*fromHistory);
    }
    for (const QString &id : std::as_const(selection.sessionIds)) {
        const bool found =
            std::any_of(data.sessions.begin(), data.sessions.end(),
                        [&id](const ReportData::Entry &e) { return e.session.id() == id; });
        if (!found)
            return fail(Failure, cmd + QLatin1String(": ")
                                     + QStringLiteral("no session %1 in %2")
                                           .arg(SessionId::quoted(id),
                                                fromHistory ? databasePath
                                                            : SpoolLocation::defaultDirectory()));
    }

    QByteArray bytes;
    if (format == QLatin1String("json"))
        bytes = JsonReportWriter::write(data);
    else if (format == QLatin1String("csv"))
        bytes = CsvReportWriter::write(data);
    else if (format == QLatin1String("html"))
        bytes = HtmlReportWriter::write(data);
    else if (!htmlToPdf(HtmlReportWriter::write(data), bytes, error))
        return fail(Failure, cmd + QLatin1String(": ") + error);

    if (output.isEmpty() || output == QLatin1String("-")) {
        out(bytes);
        std::fflush(stdout);
    } else {
        QSaveFile file(output);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
            return fail(
                Failure,
                QStringLiteral("export: cannot write %1: %2").arg(output, file.errorString()));
    }
    return data.anyFailed() ? SessionFailed : Ok;
}

} // namespace kw::cli
