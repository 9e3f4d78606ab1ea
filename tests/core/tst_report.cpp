// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "report/csvreportwriter.h"
#include "report/htmlreportwriter.h"
#include "report/jsonreportwriter.h"
#include "report/reportdata.h"
#include "report/reportselection.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>
#include <QXmlStreamReader>

Q_DECLARE_METATYPE(kw::ReportSelection)

using namespace kw;
using namespace kw::test;

namespace {

// 2026-11-24T08:00:00Z
constexpr qint64 kT0 = 1795507200000;
constexpr qint64 kMin = 60 * 1000;

const char *const kScript = "<script>alert(1)</script>";
const char *const kImg = "\"><img src=x onerror=alert(1)>";
const char *const kCmd = "=cmd|' /C calc'!A0";

Event progressBytes(const QString &id, qint64 ts, qint64 bytes) {
    ProgressPayload p;
    p.bytesDone = bytes;
    p.filesDone = 10;
    return Event{id, {}, ts, p};
}

Event startWith(const QString &id, qint64 ts, const QString &tool, const QString &title,
                const QString &target, const QStringList &command) {
    Event e = startEvent(id, ts, SessionKind::Backup, tool, title);
    auto &p = *e.as<StartPayload>();
    p.target = target;
    p.command = command;
    return e;
}

Event endWith(const QString &id, qint64 ts, SessionState state, int exitCode,
              const QString &summary) {
    EndPayload p;
    p.state = state;
    p.exitCode = exitCode;
    p.summary = summary;
    return Event{id, {}, ts, p};
}

// Sessions as the real tools' adapters make them: a restic backup that
// succeeded, a borg one that failed with errors, an rsync still running, a
// prune that was interrupted, and one whose every field is hostile.
void fill(SessionStore &store) {
    const QString hostile = QString::fromUtf8(kScript);
    store.apply(spoolBatch({
        startWith(QStringLiteral("restic-1"), kT0, QStringLiteral("restic"),
                  QStringLiteral("nightly home"), QStringLiteral("/srv/restic"),
                  {QStringLiteral("restic"), QStringLiteral("-r"), QStringLiteral("/srv/restic"),
                   QStringLiteral("backup"), QStringLiteral("/home")}),
        logEvent(QStringLiteral("restic-1"), kT0 + 1000, "open repository"),
        progressBytes(QStringLiteral("restic-1"), kT0 + 5 * kMin, 5 * 1024 * 1024),
        endWith(QStringLiteral("restic-1"), kT0 + 10 * kMin, SessionState::Succeeded, 0,
                QStringLiteral("snapshot 1a2b3c saved")),

        startWith(QStringLiteral("borg-1"), kT0 + 20 * kMin, QStringLiteral("borg"),
                  QStringLiteral("etc to NAS"), QStringLiteral("/mnt/nas/borg"),
                  {QStringLiteral("borg"), QStringLiteral("create"),
                   QStringLiteral("/mnt/nas/borg::{now}"), QStringLiteral("/etc")}),
        logEvent(QStringLiteral("borg-1"), kT0 + 21 * kMin, "debug noise", LogLevel::Debug),
        logEvent(QStringLiteral("borg-1"), kT0 + 21 * kMin, "/etc/shadow: permission denied",
                 LogLevel::Warning),
        logEvent(QStringLiteral("borg-1"), kT0 + 22 * kMin,
                 "Repository /mnt/nas/borg does not exist.", LogLevel::Error),
        endWith(QStringLiteral("borg-1"), kT0 + 22 * kMin, SessionState::Failed, 2,
                QStringLiteral("exit code 2: error")),

        startWith(QStringLiteral("rsync-1"), kT0 + 30 * kMin, QStringLiteral("rsync"),
                  QStringLiteral("home to USB"), QStringLiteral("/mnt/usb/home/"),
                  {QStringLiteral("rsync"), QStringLiteral("-a"), QStringLiteral("/home/"),
                   QStringLiteral("/mnt/usb/home/")}),
        progressBytes(QStringLiteral("rsync-1"), kT0 + 31 * kMin, 1000),

        startWith(QStringLiteral("hostile-1"), kT0 + 40 * kMin, QStringLiteral("sh"), hostile,
                  QString::fromUtf8(kImg), {QString::fromUtf8(kCmd), QStringLiteral("+SUM(1)")}),
        logEvent(QStringLiteral("hostile-1"), kT0 + 41 * kMin, kScript, LogLevel::Error),
        logEvent(QStringLiteral("hostile-1"), kT0 + 41 * kMin, kImg, LogLevel::Error),
        logEvent(QStringLiteral("hostile-1"), kT0 + 41 * kMin, kCmd, LogLevel::Warning),
        logEvent(QStringLiteral("hostile-1"), kT0 + 41 * kMin, "bad \xff\xfe bytes\x01 & more"),
        endWith(QStringLiteral("hostile-1"), kT0 + 42 * kMin, SessionState::Warning, 3,
                QStringLiteral("a \"quoted\", comma\r\nand a new line\tand a tab")),
    }));
}

ReportData reportOf(const ReportSelection &selection) {
    SessionStore store;
    fill(store);
    return ReportData::build(store, selection);
}

ReportSelection everything() {
    ReportSelection s;
    s.nowMs = kT0 + 60 * kMin;
    return s;
}

// A small RFC 4180 reader: CRLF records, quoted fields with doubled quotes.
QList<QStringList> parseCsv(const QString &text, bool *ok) {
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false, inQuotes = false;
    *ok = true;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (inQuotes) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text[i + 1] == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    inQuotes = false;
                }
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            if (!field.isEmpty() || quoted)
                *ok = false; // a quote inside an unquoted field
            inQuotes = quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            quoted = false;
        } else if (c == QLatin1Char('\r')) {
            if (i + 1 >= text.size() || text[i + 1] != QLatin1Char('\n'))
                *ok = false; // a bare CR outside quotes
            row << field;
            rows << row;
            row.clear();
            field.clear();
            quoted = false;
            ++i;
        } else if (c == QLatin1Char('\n')) {
            *ok = false; // LF without CR outside quotes
        } else {
            if (quoted)
                *ok = false; // text after a closing quote
            field += c;
        }
    }
    if (inQuotes || !field.isEmpty() || !row.isEmpty())
        *ok = false; // the last record must end with CRLF
    return rows;
}

} // namespace

class TestReport final : public QObject {
    Q_OBJECT

private slots:
    void parseDuration_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("24h") << "24h" << qint64(24) * 3600 * 1000;
        QTest::newRow("7d") << "7d" << qint64(7) * 24 * 3600 * 1000;
        QTest::newRow("90m") << "90m" << qint64(90) * 60 * 1000;
        QTest::newRow("2w") << "2w" << qint64(14) * 24 * 3600 * 1000;
        QTest::newRow("30s") << "30s" << qint64(30) * 1000;
        QTest::newRow("1h30m") << "1h30m" << qint64(90) * 60 * 1000;
        QTest::newRow("upper") << "24H" << qint64(24) * 3600 * 1000;
        QTest::newRow("no unit") << "24" << qint64(-1);
        QTest::newRow("empty") << "" << qint64(-1);
        QTest::newRow("unknown unit") << "3y" << qint64(-1);
        QTest::newRow("negative") << "-1h" << qint64(-1);
        QTest::newRow("unit only") << "h" << qint64(-1);
    }
    void parseDuration() {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QCOMPARE(ReportSelection::parseDuration(text).value_or(-1), ms);
    }

    void parseTime_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QDateTime>("expected");
        const QDate day(2026, 11, 24);
        QTest::newRow("utc") << "2026-11-24T08:00:00Z" << QDateTime(day, QTime(8, 0), Qt::UTC);
        QTest::newRow("utc ms") << "2026-11-24T08:00:00.250Z"
                                << QDateTime(day, QTime(8, 0, 0, 250), Qt::UTC);
        QTest::newRow("offset") << "2026-11-24T09:00+01:00" << QDateTime(day, QTime(8, 0), Qt::UTC);
        QTest::newRow("local") << "2026-11-24T08:00" << QDateTime(day, QTime(8, 0));
        QTest::newRow("local space") << "2026-11-24 08:00:00" << QDateTime(day, QTime(8, 0));
        QTest::newRow("date") << "2026-11-24" << QDateTime(day, QTime(0, 0));
        QTest::newRow("garbage") << "yesterday-ish" << QDateTime();
        QTest::newRow("bad date") << "2026-13-40" << QDateTime();
    }
    void parseTime() {
        QFETCH(QString, text);
        QFETCH(QDateTime, expected);
        const auto ms = ReportSelection::parseTime(text, kT0);
        QCOMPARE(ms.has_value(), expected.isValid());
        if (ms)
            QCOMPARE(*ms, expected.toMSecsSinceEpoch());
    }

    void parseTimeWords() {
        const qint64 now = QDateTime(QDate(2026, 11, 25), QTime(10, 30)).toMSecsSinceEpoch();
        QCOMPARE(*ReportSelection::parseTime(u"now", now), now);
        QCOMPARE(*ReportSelection::parseTime(u"today", now),
                 QDateTime(QDate(2026, 11, 25), QTime(0, 0)).toMSecsSinceEpoch());
        QCOMPARE(*ReportSelection::parseTime(u"Yesterday", now),
                 QDateTime(QDate(2026, 11, 24), QTime(0, 0)).toMSecsSinceEpoch());
    }

    void parseLevels() {
        QCOMPARE(*ReportSelection::parseLevels(u"warning,error"),
                 (QList<LogLevel>{LogLevel::Warning, LogLevel::Error}));
        QCOMPARE(*ReportSelection::parseLevels(u"warn, err"),
                 (QList<LogLevel>{LogLevel::Warning, LogLevel::Error}));
        QVERIFY(!ReportSelection::parseLevels(u"loud"));
        QVERIFY(!ReportSelection::parseLevels(u""));
    }

    void selection_data() {
        QTest::addColumn<ReportSelection>("selection");
        QTest::addColumn<QStringList>("ids");
        const QStringList all{QStringLiteral("restic-1"), QStringLiteral("borg-1"),
                              QStringLiteral("rsync-1"), QStringLiteral("hostile-1")};
        ReportSelection s = everything();
        QTest::newRow("everything") << s << all;
        s = everything();
        s.states = {SessionState::Failed};
        QTest::newRow("failed") << s << QStringList{QStringLiteral("borg-1")};
        s = everything();
        s.tools = {QStringLiteral("RSYNC"), QStringLiteral("restic")};
        QTest::newRow("tools") << s
                               << QStringList{QStringLiteral("restic-1"),
                                              QStringLiteral("rsync-1")};
        s = everything();
        s.sessionIds = {QStringLiteral("hostile-1")};
        QTest::newRow("ids") << s << QStringList{QStringLiteral("hostile-1")};
        // [08:05, 08:25): restic ran until 08:10, borg 08:20-08:22.
        s = everything();
        s.fromMs = kT0 + 5 * kMin;
        s.toMs = kT0 + 25 * kMin;
        QTest::newRow("overlap") << s
                                 << QStringList{QStringLiteral("restic-1"),
                                                QStringLiteral("borg-1")};
        // From after the end of borg: the running rsync still counts.
        s = everything();
        s.fromMs = kT0 + 50 * kMin;
        QTest::newRow("running until now") << s << QStringList{QStringLiteral("rsync-1")};
        // To is exclusive.
        s = everything();
        s.toMs = kT0 + 20 * kMin;
        QTest::newRow("to exclusive") << s << QStringList{QStringLiteral("restic-1")};
        s = everything();
        s.fromMs = kT0 + 5 * kMin;
        s.states = {SessionState::Failed, SessionState::Warning};
        QTest::newRow("range and states")
            << s << QStringList{QStringLiteral("borg-1"), QStringLiteral("hostile-1")};
    }
    void selection() {
        QFETCH(ReportSelection, selection);
        QFETCH(QStringList, ids);
        const ReportData data = reportOf(selection);
        QStringList got;
        for (const ReportData::Entry &e : data.sessions)
            got << e.session.key.id;
        QCOMPARE(got, ids);
    }

    void summary() {
        const ReportData data = reportOf(everything());
        QVERIFY(data.anyFailed());
        // Failures first, then warnings, then the rest in time order.
        QStringList order;
        for (int i : data.summaryOrder())
            order << data.sessions[size_t(i)].session.key.id;
        QCOMPARE(order, (QStringList{QStringLiteral("borg-1"), QStringLiteral("hostile-1"),
                                     QStringLiteral("restic-1"), QStringLiteral("rsync-1")}));
        const auto counts = data.countsByState();
        QCOMPARE(counts.value(SessionState::Failed), 1);
        QCOMPARE(counts.value(SessionState::Succeeded), 1);
        QCOMPARE(counts.value(SessionState::Running), 1);
        QCOMPARE(counts.value(SessionState::Warning), 1);
        QCOMPARE(data.totalBytes(), 5 * 1024 * 1024 + 1000);
        // 10 + 2 + 30 (running until now) + 2 minutes; rsync is the longest.
        QCOMPARE(data.totalDurationMs(), 44 * kMin);
        QCOMPARE(data.sessions[size_t(data.longestSession())].session.key.id,
                 QStringLiteral("rsync-1"));
        ReportSelection ok = everything();
        ok.states = {SessionState::Succeeded, SessionState::Warning};
        QVERIFY(!reportOf(ok).anyFailed());
    }

    // An export from the history adds what the other sources show now: a
    // systemd run both know is there once, as the journal shows it now, and
    // a run a wrapper's session stands for is that session's row.
    void mergeKeepsOneRowPerRun() {
        auto entry = [](const QString &source, const QString &id, SessionState state,
                        const QString &invocation = {}) {
            ReportData::Entry e;
            e.session.key = SessionKey{source, id};
            e.session.state = state;
            e.session.invocationId = invocation;
            e.session.firstEventMs = kT0;
            return e;
        };
        const QString runA = QStringLiteral("0123456789abcdef0123456789abcdef");
        const QString runB = QStringLiteral("fedcba9876543210fedcba9876543210");
        ReportData history;
        history.sessions.push_back(entry(QStringLiteral("systemd"), runA, SessionState::Running));
        history.sessions.push_back(entry(QStringLiteral("spool"), QStringLiteral("wrapped-1"),
                                         SessionState::Succeeded, runB));
        history.sessions.push_back(entry(QStringLiteral("systemd"), runB, SessionState::Succeeded));
        ReportData now;
        now.sessions.push_back(entry(QStringLiteral("systemd"), runA, SessionState::Failed));
        now.sessions.push_back(
            entry(QStringLiteral("proc"), QStringLiteral("1234"), SessionState::Running));
        history.merge(std::move(now));
        QStringList rows;
        for (const ReportData::Entry &e : history.sessions)
            rows << e.session.key.source + QLatin1Char('/') + e.session.key.id + QLatin1Char(' ')
                        + QString(wireName(e.session.state));
        rows.sort();
        QCOMPARE(rows,
                 (QStringList{QStringLiteral("proc/1234 running"),
                              QStringLiteral("spool/wrapped-1 succeeded"),
                              QStringLiteral("systemd/") + runA + QStringLiteral(" failed")}));
    }

    void levels() {
        ReportSelection s = everything();
        s.levels = {LogLevel::Warning, LogLevel::Error};
        s.sessionIds = {QStringLiteral("borg-1")};
        const ReportData data = reportOf(s);
        QCOMPARE(data.sessions.size(), size_t(1));
        QCOMPARE(data.sessions[0].log.size(), 2);
        QCOMPARE(data.sessions[0].logLinesKept, 3);
        QCOMPARE(data.sessions[0].log[1].text,
                 QStringLiteral("Repository /mnt/nas/borg does not exist."));
    }

    void json() {
        const ReportData data = reportOf(everything());
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(JsonReportWriter::write(data), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        const QJsonObject root = doc.object();
        // The documented schema (docs/report-format.md): every key, always.
        for (const char *key :
             {"format", "version", "generated", "selection", "summary", "sessions"})
            QVERIFY2(root.contains(QLatin1String(key)), key);
        QCOMPARE(root.value(QLatin1String("format")).toString(),
                 QStringLiteral("keepwatch-report"));
        QCOMPARE(root.value(QLatin1String("version")).toInt(), 1);
        QCOMPARE(root.value(QLatin1String("generated")).toString(),
                 QStringLiteral("2026-11-24T09:00:00.000Z"));
        const QJsonObject selection = root.value(QLatin1String("selection")).toObject();
        for (const char *key : {"from", "to", "states", "tools", "sessions", "levels"})
            QVERIFY2(selection.contains(QLatin1String(key)), key);
        QVERIFY(selection.value(QLatin1String("from")).isNull());
        const QJsonObject summary = root.value(QLatin1String("summary")).toObject();
        for (const char *key : {"sessions", "by_state", "failed", "any_failed", "total_bytes",
                                "total_duration_ms", "longest_session", "longest_duration_ms"})
            QVERIFY2(summary.contains(QLatin1String(key)), key);
        QCOMPARE(summary.value(QLatin1String("sessions")).toInt(), 4);
        QCOMPARE(summary.value(QLatin1String("by_state"))
                     .toObject()
                     .value(QLatin1String("failed"))
                     .toInt(),
                 1);
        QCOMPARE(summary.value(QLatin1String("failed")).toArray(),
                 QJsonArray{QStringLiteral("borg-1")});
        QCOMPARE(summary.value(QLatin1String("any_failed")).toBool(), true);
        QCOMPARE(summary.value(QLatin1String("total_bytes")).toInteger(), 5 * 1024 * 1024 + 1000);

        const QJsonArray sessions = root.value(QLatin1String("sessions")).toArray();
        QCOMPARE(sessions.size(), 4);
        for (const QJsonValue &v : sessions) {
            const QJsonObject s = v.toObject();
            for (const char *key : {"id", "source", "tool", "kind", "state", "title", "target",
                                    "command", "started", "ended", "duration_ms", "exit_code",
                                    "summary", "bytes_done", "log_lines_kept", "log"})
                QVERIFY2(s.contains(QLatin1String(key)), key);
        }
        const QJsonObject hostile = sessions.at(3).toObject();
        QCOMPARE(hostile.value(QLatin1String("title")).toString(), QString::fromUtf8(kScript));
        QCOMPARE(hostile.value(QLatin1String("target")).toString(), QString::fromUtf8(kImg));
        const QJsonArray log = hostile.value(QLatin1String("log")).toArray();
        QCOMPARE(log.size(), 4);
        QCOMPARE(log.at(2).toObject().value(QLatin1String("msg")).toString(),
                 QString::fromUtf8(kCmd));
        QCOMPARE(log.at(3).toObject().value(QLatin1String("msg")).toString(),
                 QStringLiteral("bad \uFFFD\uFFFD bytes\u0001 & more"));
        QCOMPARE(log.at(0).toObject().value(QLatin1String("level")).toString(),
                 QStringLiteral("error"));
    }

    void csvField_data() {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("cell"); // what a spreadsheet gets after unquoting
        QTest::newRow("plain") << "nightly home"
                               << "nightly home";
        QTest::newRow("formula") << kCmd << (QLatin1Char('\'') + QString::fromUtf8(kCmd));
        QTest::newRow("plus") << "+SUM(1)"
                              << "'+SUM(1)";
        QTest::newRow("at") << "@x"
                            << "'@x";
        QTest::newRow("minus") << "-2+3"
                               << "'-2+3";
        QTest::newRow("tab") << "\t=1"
                             << "'\t=1";
        QTest::newRow("cr") << "\r=1"
                            << "'\r=1";
        QTest::newRow("quotes and commas") << "a \"quoted\", comma"
                                           << "a \"quoted\", comma";
        QTest::newRow("newline") << "one\r\ntwo\nthree"
                                 << "one\r\ntwo\nthree";
        QTest::newRow("inner equals") << "a=b"
                                      << "a=b";
        QTest::newRow("script") << kScript << kScript;
    }
    void csvField() {
        QFETCH(QString, value);
        QFETCH(QString, cell);
        // Every column that comes from a session: the title here, through a real report.
        SessionStore store;
        Event start = startWith(QStringLiteral("x"), kT0, value, value, value, {value});
        store.apply(spoolBatch(
            {start, endWith(QStringLiteral("x"), kT0 + 1000, SessionState::Failed, 1, value)}));
        ReportSelection sel = everything();
        const QByteArray csv = CsvReportWriter::write(ReportData::build(store, sel));
        bool ok = false;
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv), &ok);
        QVERIFY2(ok, csv.constData());
        QCOMPARE(rows.size(), 2);
        QCOMPARE(rows[0], CsvReportWriter::header());
        QCOMPARE(rows[1].size(), rows[0].size());
        for (const char *column : {"title", "tool", "target", "summary", "command"})
            QCOMPARE(rows[1][rows[0].indexOf(QLatin1String(column))], cell);
    }

    void csv() {
        const ReportData data = reportOf(everything());
        const QByteArray csv = CsvReportWriter::write(data);
        QVERIFY(csv.endsWith("\r\n"));
        bool ok = false;
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv), &ok);
        QVERIFY(ok);
        QCOMPARE(rows.size(), 5);
        const QStringList header = rows[0];
        auto cell = [&](int row, const char *column) {
            return rows[row][header.indexOf(QLatin1String(column))];
        };
        QCOMPARE(cell(1, "id"), QStringLiteral("restic-1"));
        QCOMPARE(cell(1, "state"), QStringLiteral("succeeded"));
        QCOMPARE(cell(1, "bytes_done"), QString::number(5 * 1024 * 1024));
        QCOMPARE(cell(1, "started"), QStringLiteral("2026-11-24T08:00:00.000Z"));
        QCOMPARE(cell(1, "duration_ms"), QString::number(10 * kMin));
        QCOMPARE(cell(2, "state"), QStringLiteral("failed"));
        QCOMPARE(cell(2, "exit_code"), QStringLiteral("2"));
        QCOMPARE(cell(2, "errors"), QStringLiteral("1"));
        QCOMPARE(cell(3, "ended"), QString());
        QCOMPARE(cell(4, "title"), QString::fromUtf8(kScript));
        QCOMPARE(cell(4, "command"),
                 QLatin1Char('\'') + QString::fromUtf8(kCmd) + QStringLiteral(" +SUM(1)"));
        QCOMPARE(cell(4, "summary"),
                 QStringLiteral("a \"quoted\", comma\r\nand a new line\tand a tab"));
        // No cell a spreadsheet would run.
        for (const QStringList &row : rows)
            for (const QString &field : row)
                QVERIFY2(field.isEmpty() || !QStringLiteral("=+-@\t\r").contains(field.front()),
                         qPrintable(field));
    }

    void html() {
        ReportSelection sel = everything();
        sel.levels = {LogLevel::Info, LogLevel::Warning, LogLevel::Error};
        const QByteArray html = HtmlReportWriter::write(reportOf(sel));
        // Self-contained: nothing fetched, nothing run.
        for (const char *bad : {"<script", "<img", "http:", "https:", "src=\"", "<link", "url("})
            QVERIFY2(!html.contains(bad), bad);
        QVERIFY(html.contains("@media print"));

        // Well-formed; collect the elements, attributes and text.
        QXmlStreamReader xml(html);
        QStringList elements;
        QString text;
        QStringList titles; // title attributes
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement()) {
                elements << xml.name().toString();
                for (const QXmlStreamAttribute &a : xml.attributes()) {
                    QVERIFY2(!a.name().startsWith(u"on"), qPrintable(a.name().toString()));
                    if (a.name() == u"title")
                        titles << a.value().toString();
                }
            } else if (xml.isCharacters()) {
                text += xml.text();
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString() + QStringLiteral(" at line ")
                                             + QString::number(xml.lineNumber())));
        QVERIFY(!elements.contains(QStringLiteral("script")));
        QVERIFY(!elements.contains(QStringLiteral("img")));
        for (const char *e : {"html", "head", "style", "body", "table", "pre"})
            QVERIFY2(elements.contains(QLatin1String(e)), e);

        // The hostile strings are there, as text.
        QVERIFY(text.contains(QString::fromUtf8(kScript)));
        QVERIFY(text.contains(QString::fromUtf8(kImg)));
        QVERIFY(text.contains(QString::fromUtf8(kCmd)));
        QVERIFY(text.contains(QStringLiteral("bad \uFFFD\uFFFD bytes\uFFFD & more")));
        QVERIFY(titles.contains(QString::fromUtf8(kScript) + QStringLiteral(": warning, 2m 00s")));

        // Summary, table, timeline, details and log.
        for (const char *s :
             {"Summary", "Needs attention", "Sessions", "Timeline", "Details", "nightly home",
              "etc to NAS", "home to USB", "snapshot 1a2b3c saved",
              "Repository /mnt/nas/borg does not exist.", "open repository", "/mnt/nas/borg",
              "restic -r /srv/restic backup /home", "exit code 2", "Total bytes"})
            QVERIFY2(text.contains(QLatin1String(s)), s);
        QVERIFY(!text.contains(QLatin1String("debug noise"))); // level not chosen
        // Failures first: the failed borg before the warning, before anything else.
        const qsizetype attention = text.indexOf(QLatin1String("Needs attention"));
        const qsizetype borg = text.indexOf(QLatin1String("etc to NAS"), attention);
        const qsizetype warn = text.indexOf(QString::fromUtf8(kScript), attention);
        QVERIFY(attention >= 0 && borg > attention && warn > borg);
        QVERIFY(text.indexOf(QLatin1String("nightly home"), attention) > warn);
    }

    void htmlEmpty() {
        ReportSelection sel = everything();
        sel.states = {SessionState::Cancelled};
        const QByteArray html = HtmlReportWriter::write(reportOf(sel));
        QXmlStreamReader xml(html);
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY(!xml.hasError());
        QVERIFY(html.contains("No session matches."));
    }

    void escape() {
        QCOMPARE(HtmlReportWriter::escape(QStringLiteral("<a href=\"x\">&amp;</a>")),
                 QStringLiteral("&lt;a href=&quot;x&quot;&gt;&amp;amp;&lt;/a&gt;"));
        QCOMPARE(HtmlReportWriter::escape(QStringLiteral("a\u0001b\u001bc\td")),
                 QStringLiteral("a\uFFFDb\uFFFDc\td"));
    }
};

KW_TEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
