// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "protocol/event.h"

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <memory>
#include <optional>
#include <vector>

namespace kw {
class HistoryDatabase;
class HistoryIngest;
struct Session;
class SessionStore;
class SourceSet;
struct SourceSetConfig;
} // namespace kw

namespace kw::cli {

struct Command;

// Exit statuses of the CLI's own commands (`run` returns the command's).
// SessionFailed: `export` selected a failed or interrupted session (its report
// was still written), for cron digests.
enum ExitCode { Ok = 0, Failure = 1, UsageError = 2, SessionFailed = 3 };

void out(const QByteArray &text);
// "keepwatch-cli: MESSAGE" on stderr; returns `code`.
int fail(int code, const QString &message);
void warn(const QString &message);
// Problems reading a source are warnings: the rest still counts.
void reportProblems(const QList<SourceError> &errors);

// A command's options, parsed by QCommandLineParser, with one clear line for
// a mistake ("list: unknown option --yaml (see keepwatch-cli list --help)")
// and -h/--help generated from the options themselves.
class CommandLine final {
public:
    // `synopsis` follows the command's name in the help's first line.
    CommandLine(QString command, QString synopsis, QString description);
    // The command's name, synopsis and summary from the command table.
    explicit CommandLine(const Command &command);

    QCommandLineParser &parser() { return m_parser; }
    void add(const QCommandLineOption &option) { m_parser.addOption(option); }
    // The rest of the line is the command's own (`run`, `log`): options
    // after the first positional argument are not ours.
    void stopAtFirstPositional() {
        m_parser.setOptionsAfterPositionalArgumentsMode(
            QCommandLineParser::ParseAsPositionalArguments);
    }

    // Parses `args`. A value when the command is done (help printed: Ok; a
    // mistake reported: UsageError), nothing when it should go on.
    std::optional<int> parse(const QStringList &args);
    // "COMMAND: why" as a usage error.
    int usage(const QString &why) const;
    QString helpText() const;

    bool isSet(const QCommandLineOption &o) const { return m_parser.isSet(o); }
    QString value(const QCommandLineOption &o) const { return m_parser.value(o); }
    QStringList values(const QCommandLineOption &o) const { return m_parser.values(o); }
    QStringList positional() const { return m_parser.positionalArguments(); }
    // The one session ID the command takes as its argument: a value (the
    // usage error reported) when there is none or more than one.
    std::optional<int> takeSessionId(QString &id) const;

private:
    QString m_command;
    QString m_synopsis;
    QString m_description;
    QCommandLineParser m_parser;
};

// Options several commands share, worded once.
QCommandLineOption databaseOption(); // --database PATH, the history database
QCommandLineOption sourceOption();   // --source SOURCE, when an ID is in two sources
QCommandLineOption baculaOption();   // --bacula CONF, repeatable: a Bacula director's bconsole.conf
// The directors of --bacula added to `config` (each named as its
// bconsole.conf says); a usage error for a file that does not exist.
std::optional<QString> addBaculaDirectors(const CommandLine &cl, const QCommandLineOption &bacula,
                                          SourceSetConfig &config);
// --since DURATION, or --from T and/or --to T: the time range `export` and
// `search` take, worded once. `what` names what is in range ("Sessions").
class TimeRangeOptions final {
public:
    explicit TimeRangeOptions(const QString &what);
    void addTo(CommandLine &cl) const;
    // Sets [fromMs, toMs) from what was given; a usage message when it is wrong.
    std::optional<QString> read(const CommandLine &cl, qint64 nowMs, std::optional<qint64> &fromMs,
                                std::optional<qint64> &toMs) const;

private:
    QCommandLineOption m_since;
    QCommandLineOption m_from;
    QCommandLineOption m_to;
};
// What records into the history from files: the own spool, then the
// mirrors of every host under the state directory (RemoteSpools), each as
// the window records it. reindex and openUpToDateHistory read the same set.
std::vector<std::unique_ptr<HistoryIngest>> historyIngests(HistoryDatabase &db,
                                                           const QString &spool);
// Opens the history at `path` and, when no window records into it now (one
// that does is at most a poll behind), brings it up to date with the spool
// and the mirrors first. What went wrong, when it cannot be used.
std::optional<QString> openUpToDateHistory(HistoryDatabase &db, const QString &path,
                                           const QString &spool);
// --database's value, else the default history database.
QString databasePath(const CommandLine &cl, const QCommandLineOption &database);

// The sessions of every source of the source set (SourceSet::load() from
// the user's settings): the own spool, the spools added in the Settings
// dialog, the backup tools running in /proc. False with `error` set when the
// own spool cannot be read.
bool loadSessions(const SourceSet &sources, SessionStore &store, QString &error,
                  bool ownSpool = true);
// The row of session `id` (of source `source`, when given), or -1 with
// `error` set. The same ID in two sources is ambiguous without `source`.
int findSession(const SessionStore &store, const SourceSet &sources, const QString &id,
                const QString &source, QString &error);

QString localTime(std::optional<qint64> ms);
QString progressText(const Session &s);

} // namespace kw::cli
