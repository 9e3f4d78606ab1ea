// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"

#include "commands.h"
#include "fleet/remotespools.h"
#include "format/format.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "protocol/sessionid.h"
#include "report/reportselection.h"
#include "sources/sourceset.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"

#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QRegularExpression>
#include <cstdio>

namespace kw::cli {

void out(const QByteArray &text) {
    std::fwrite(text.constData(), 1, size_t(text.size()), stdout);
}

int fail(int code, const QString &message) {
    std::fprintf(stderr, "keepwatch-cli: %s\n", message.toLocal8Bit().constData());
    return code;
}

void warn(const QString &message) {
    std::fprintf(stderr, "keepwatch-cli: warning: %s\n", message.toLocal8Bit().constData());
}

void reportProblems(const QList<SourceError> &errors) {
    constexpr qsizetype kShown = 10;
    for (qsizetype i = 0; i < errors.size() && i < kShown; ++i) {
        if (errors[i].notice)
            std::fprintf(stderr, "keepwatch-cli: note: %s\n",
                         errors[i].message.toLocal8Bit().constData());
        else
            warn(errors[i].toString());
    }
    if (errors.size() > kShown)
        warn(QStringLiteral("... and %1 more problems").arg(errors.size() - kShown));
}

CommandLine::CommandLine(QString command, QString synopsis, QString description)
    : m_command(std::move(command))
    , m_synopsis(std::move(synopsis))
    , m_description(std::move(description)) {
    // -o is an option of its own, never -o -u -t.
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.addHelpOption();
}

namespace {

// QCommandLineParser wraps its options, not the description.
QString wrapped(const QString &text, qsizetype width = 79) {
    QString result, line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && line.size() + 1 + word.size() > width) {
            result += line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    return result + line;
}

} // namespace

CommandLine::CommandLine(const Command &command)
    : CommandLine(QLatin1String(command.name), QLatin1String(command.synopsis),
                  QLatin1String(command.summary)) {}

std::optional<int> CommandLine::takeSessionId(QString &id) const {
    const QStringList ids = positional();
    if (ids.isEmpty())
        return usage(QStringLiteral("which session? (keepwatch-cli %1 ID)").arg(m_command));
    if (ids.size() > 1)
        return usage(QStringLiteral("one session ID at a time"));
    id = ids.first();
    return std::nullopt;
}

QCommandLineOption databaseOption() {
    return QCommandLineOption(
        QStringLiteral("database"),
        QStringLiteral("The history database (default $XDG_STATE_HOME/keepwatch/history.db, or "
                       "$KEEPWATCH_HISTORY)."),
        QStringLiteral("PATH"));
}

QCommandLineOption baculaOption() {
    return QCommandLineOption(
        QStringLiteral("bacula"),
        QStringLiteral("Also the jobs of the Bacula director this bconsole.conf names "
                       "(repeatable); its password stays in the file (docs/bacula.md)."),
        QStringLiteral("CONF"));
}

std::optional<QString> addBaculaDirectors(const CommandLine &cl, const QCommandLineOption &bacula,
                                          SourceSetConfig &config) {
    for (const QString &path : cl.values(bacula)) {
        const QFileInfo file(path);
        if (!file.isFile())
            return QStringLiteral("--bacula %1: no such file").arg(path);
        BaculaSourceOptions director;
        director.configPath = file.absoluteFilePath();
        director.name = baculaDirectorName(director.configPath);
        config.baculaDirectors.append(director);
    }
    return std::nullopt;
}

TimeRangeOptions::TimeRangeOptions(const QString &what)
    : m_since(QStringLiteral("since"),
              QStringLiteral("%1 of the last DURATION: 90m, 24h, 7d, 2w (also 1h30m).").arg(what),
              QStringLiteral("DURATION"))
    , m_from(QStringLiteral("from"),
             QStringLiteral("%1 from T: ISO-8601 (2026-11-24T08:00 in local time, "
                            "2026-11-24T07:00Z, 2026-11-24), or today, yesterday, now.")
                 .arg(what),
             QStringLiteral("T"))
    , m_to(QStringLiteral("to"), QStringLiteral("%1 before T.").arg(what), QStringLiteral("T")) {}

void TimeRangeOptions::addTo(CommandLine &cl) const {
    cl.add(m_since);
    cl.add(m_from);
    cl.add(m_to);
}

std::optional<QString> TimeRangeOptions::read(const CommandLine &cl, qint64 nowMs,
                                              std::optional<qint64> &fromMs,
                                              std::optional<qint64> &toMs) const {
    if (cl.isSet(m_since) && (cl.isSet(m_from) || cl.isSet(m_to)))
        return QStringLiteral("--since or --from/--to, not both");
    if (cl.isSet(m_since)) {
        const auto ms = ReportSelection::parseDuration(cl.value(m_since));
        if (!ms)
            return QStringLiteral("--since takes a duration such as 90m, 24h, 7d or 2w");
        fromMs = nowMs - *ms;
    }
    for (auto [option, target] : {std::pair{&m_from, &fromMs}, std::pair{&m_to, &toMs}}) {
        if (!cl.isSet(*option))
            continue;
        const QString text = cl.value(*option);
        const auto ms = ReportSelection::parseTime(text, nowMs);
        if (!ms)
            return QStringLiteral("%1 is not a time (ISO-8601 such as 2026-11-24T08:00, "
                                  "or today, yesterday, now)")
                .arg(SessionId::quoted(text));
        *target = *ms;
    }
    return std::nullopt;
}

std::vector<std::unique_ptr<HistoryIngest>> historyIngests(HistoryDatabase &db,
                                                           const QString &spool) {
    std::vector<std::unique_ptr<HistoryIngest>> ingests;
    ingests.push_back(std::make_unique<HistoryIngest>(db, spool));
    const QString remoteRoot = RemoteSpools::root(SpoolLocation::stateDirectory());
    for (const QString &host : RemoteSpools::hosts(remoteRoot)) {
        SpoolSource::Options options;
        options.identity = RemoteSpools::identityFor(host);
        options.remoteHost = host;
        ingests.push_back(
            std::make_unique<HistoryIngest>(db, QDir(remoteRoot).filePath(host), options));
    }
    return ingests;
}

std::optional<QString> openUpToDateHistory(HistoryDatabase &db, const QString &path,
                                           const QString &spool) {
    if (!db.open(path))
        return db.errorString();
    QLockFile recorder(HistoryDatabase::recorderLockPath(path));
    recorder.setStaleLockTime(0);
    if (recorder.tryLock(2000)) {
        for (const auto &ingest : historyIngests(db, spool)) {
            const HistoryIngest::Result synced = ingest->sync();
            reportProblems(synced.problems);
            if (!synced.ok)
                return QStringLiteral("cannot bring the history %1 up to date: %2")
                    .arg(path, db.errorString());
        }
    }
    return std::nullopt;
}

QCommandLineOption sourceOption() {
    return QCommandLineOption(
        QStringLiteral("source"),
        QStringLiteral("Where the session is, when its ID is in two sources (\"spool\", "
                       "\"spool:/var/spool/x\": the `source` of `list --json`)."),
        QStringLiteral("SOURCE"));
}

QString databasePath(const CommandLine &cl, const QCommandLineOption &database) {
    return cl.isSet(database) ? cl.value(database) : HistoryDatabase::defaultPath();
}

QString CommandLine::helpText() const {
    // QCommandLineParser's own first line names the executable; ours names
    // the command too.
    QString help = m_parser.helpText();
    const qsizetype firstLineEnd = help.indexOf(QLatin1Char('\n'));
    help.replace(0, firstLineEnd,
                 QStringLiteral("Usage: keepwatch-cli %1 %2").arg(m_command, m_synopsis));
    const qsizetype optionsAt = help.indexOf(QLatin1String("\nOptions:"));
    if (optionsAt >= 0)
        help.insert(optionsAt, QLatin1Char('\n') + wrapped(m_description) + QLatin1Char('\n'));
    return help;
}

std::optional<int> CommandLine::parse(const QStringList &args) {
    // QCommandLineParser takes argv[0] first.
    if (!m_parser.parse(QStringList{QStringLiteral("keepwatch-cli")} + args)) {
        const QStringList unknown = m_parser.unknownOptionNames();
        if (!unknown.isEmpty()) {
            const QString &name = unknown.first();
            return usage(QStringLiteral("unknown option %1%2 (see keepwatch-cli %3 --help)")
                             .arg(name.size() == 1 ? QStringLiteral("-") : QStringLiteral("--"),
                                  name, m_command));
        }
        // "Missing value after '--title'."
        static const QRegularExpression missing(QStringLiteral("Missing value after '([^']+)'"));
        if (const auto match = missing.match(m_parser.errorText()); match.hasMatch())
            return usage(QStringLiteral("option %1 needs a value").arg(match.captured(1)));
        return usage(m_parser.errorText());
    }
    if (m_parser.isSet(QStringLiteral("help"))) {
        out(helpText().toLocal8Bit());
        return Ok;
    }
    return std::nullopt;
}

int CommandLine::usage(const QString &why) const {
    return fail(UsageError, m_command + QLatin1String(": ") + why);
}

bool loadSessions(const SourceSet &sources, SessionStore &store, QString &error, bool ownSpool) {
    const SourceSet::Loaded loaded = sources.loadInto(store, ownSpool);
    if (!loaded.fatal.isEmpty()) {
        error = loaded.fatal;
        return false;
    }
    reportProblems(loaded.problems);
    return true;
}

int findSession(const SessionStore &store, const SourceSet &sources, const QString &id,
                const QString &source, QString &error) {
    QList<int> rows = store.rowsWithId(id);
    if (!source.isEmpty())
        rows.removeIf([&](int row) { return store.at(row).key.source != source; });
    if (rows.isEmpty()) {
        error = QStringLiteral("no session %1 in %2")
                    .arg(SessionId::quoted(id),
                         source.isEmpty() ? sources.describeSpools() : SessionId::quoted(source));
        return -1;
    }
    if (rows.size() > 1) {
        QStringList names;
        for (int row : std::as_const(rows))
            names << store.at(row).key.source;
        error = QStringLiteral("session ID %1 is in %2 sources (%3); say which with --source")
                    .arg(SessionId::quoted(id))
                    .arg(rows.size())
                    .arg(names.join(QLatin1String(", ")));
        return -1;
    }
    return rows.first();
}

QString localTime(std::optional<qint64> ms) {
    return ms ? Format::dateTime(*ms) : QStringLiteral("-");
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

} // namespace kw::cli
