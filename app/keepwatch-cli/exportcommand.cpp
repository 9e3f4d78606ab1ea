// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "cli.h"
#include "commands.h"
#include "history/historydatabase.h"
#include "history/historyingest.h"
#include "protocol/sessionid.h"
#include "protocol/timestamp.h"
#include "report/csvreportwriter.h"
#include "report/htmlreportwriter.h"
#include "report/jsonreportwriter.h"
#include "report/reportdata.h"
#include "report/reportselection.h"
#include "sources/sourceset.h"
#include "store/sessionstore.h"

#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QProcess>
#include <QSaveFile>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <limits>

namespace kw::cli {

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

// The report from the history, brought up to date with the spool first
// when no window records it now (one that does is at most a poll behind).
// Nothing, with a warning, when the history cannot be used: the caller
// reads the spool instead, as without a history.
std::optional<ReportData> reportFromHistory(const QString &path, const QString &spool,
                                            const ReportSelection &selection) {
    auto warnSpool = [](const QString &why) {
        warn(why + QStringLiteral("; the report is made from the spools"));
    };
    HistoryDatabase db;
    if (const auto why = openUpToDateHistory(db, path, spool)) {
        warnSpool(*why);
        return std::nullopt;
    }
    return ReportData::build(db, selection);
}

} // namespace

int exportCommand(const Command &self, const QStringList &args) {
    CommandLine cl(self);
    const QCommandLineOption formatOption(QStringLiteral("format"),
                                          QStringLiteral("html, csv, json or pdf (pdf needs "
                                                         "keepwatch-report-pdf, built with the "
                                                         "window, next to keepwatch-cli)."),
                                          QStringLiteral("FORMAT"));
    const QCommandLineOption outputOption({QStringLiteral("o"), QStringLiteral("output")},
                                          QStringLiteral("Write to FILE (default: stdout)."),
                                          QStringLiteral("FILE"));
    const TimeRangeOptions timeRange(QStringLiteral("Sessions"));
    const QCommandLineOption stateOption(QStringLiteral("state"),
                                         QStringLiteral("Only sessions in these states "
                                                        "(repeatable, or separated by commas)."),
                                         QStringLiteral("S"));
    const QCommandLineOption toolOption(QStringLiteral("tool"),
                                        QStringLiteral("Only sessions of these tools."),
                                        QStringLiteral("T"));
    const QCommandLineOption sessionOption(QStringLiteral("session"),
                                           QStringLiteral("Only this session (repeatable)."),
                                           QStringLiteral("ID"));
    const QCommandLineOption levelsOption(
        QStringLiteral("levels"),
        QStringLiteral("The log levels included, separated by commas (default: all)."),
        QStringLiteral("L,L"));
    const QCommandLineOption databaseOption = kw::cli::databaseOption();
    const QCommandLineOption noHistoryOption(QStringLiteral("no-history"),
                                             QStringLiteral("From the spools alone."));
    const QCommandLineOption bacula = baculaOption();
    cl.add(bacula);
    for (const auto &o : {formatOption, outputOption, stateOption, toolOption, sessionOption,
                          levelsOption, databaseOption, noHistoryOption})
        cl.add(o);
    timeRange.addTo(cl);
    if (const auto done = cl.parse(args))
        return *done;
    if (!cl.positional().isEmpty())
        return cl.usage(QStringLiteral("unexpected argument %1 (sessions go after --session)")
                            .arg(SessionId::quoted(cl.positional().first())));

    const QString cmd = QLatin1String(self.name);
    ReportSelection selection;
    selection.nowMs = Timestamp::nowMs();
    const QString format = cl.value(formatOption).toLower();
    const QString output = cl.value(outputOption);
    const QString databasePath = kw::cli::databasePath(cl, databaseOption);
    const bool noHistory = cl.isSet(noHistoryOption);
    for (const QString &list : cl.values(stateOption)) {
        for (const QString &name : list.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const auto state = sessionStateFromString(name.trimmed());
            if (!state)
                return cl.usage(QStringLiteral("unknown state %1").arg(SessionId::quoted(name)));
            selection.states.append(*state);
        }
    }
    for (const QString &list : cl.values(toolOption))
        selection.tools << list.split(QLatin1Char(','), Qt::SkipEmptyParts);
    selection.sessionIds = cl.values(sessionOption);
    if (cl.isSet(levelsOption)) {
        const auto levels = ReportSelection::parseLevels(cl.value(levelsOption));
        if (!levels)
            return cl.usage(QStringLiteral("--levels takes levels separated by commas "
                                           "(debug,info,warning,error)"));
        selection.levels = *levels;
    }
    auto usage = [&cl](const QString &why) {
        return cl.usage(why);
    };
    const QStringList formats{QStringLiteral("html"), QStringLiteral("csv"), QStringLiteral("json"),
                              QStringLiteral("pdf")};
    if (format.isEmpty())
        return usage(QStringLiteral("which format? (--format html|csv|json|pdf)"));
    if (!formats.contains(format))
        return usage(QStringLiteral("unknown format %1 (one of: html csv json pdf)")
                         .arg(SessionId::quoted(format)));
    if (const auto wrong = timeRange.read(cl, selection.nowMs, selection.fromMs, selection.toMs))
        return usage(*wrong);

    SourceSetConfig config = SourceSetConfig::load();
    if (const auto wrong = addBaculaDirectors(cl, bacula, config))
        return cl.usage(*wrong);
    const SourceSet sources(config);
    std::optional<ReportData> fromHistory;
    if (!noHistory)
        fromHistory = reportFromHistory(databasePath, sources.config().spoolDirectory, selection);
    // The history holds the own spool; the other sources come as they are.
    SessionStore store;
    store.setMaxLogLines(std::numeric_limits<qint64>::max()); // whole logs
    QString error;
    if (!loadSessions(sources, store, error, !fromHistory))
        return fail(Failure, error);
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
            return fail(Failure,
                        cmd + QLatin1String(": ")
                            + QStringLiteral("no session %1 in %2")
                                  .arg(SessionId::quoted(id),
                                       fromHistory ? databasePath : sources.describeSpools()));
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
