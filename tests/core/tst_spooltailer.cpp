// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "qtestprinters.h"
#include "spool/spooltailer.h"
#include "testmain.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <fcntl.h>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace kw;

namespace {

// Collects what the tailer delivers.
class Recorder final : public LineSink {
public:
    QList<QByteArray> lines;
    QList<qint64> numbers;
    QStringList problems;

    void line(QByteArrayView line, qint64 lineNumber) override {
        lines.append(line.toByteArray());
        numbers.append(lineNumber);
    }
    void problem(qint64 lineNumber, const QString &message) override {
        problems.append(QStringLiteral("%1: %2").arg(lineNumber).arg(message));
    }
};

QByteArray encoded(const QString &path) {
    return QFile::encodeName(path);
}

// Runs `work` on a thread of its own and says whether it ended within
// `timeoutMs`; if not, `unblock` is called so the thread can be joined.
bool endsWithin(const std::function<void()> &work, int timeoutMs,
                const std::function<void()> &unblock) {
    const std::unique_ptr<QThread> thread(QThread::create(work));
    thread->start();
    if (thread->wait(timeoutMs))
        return true;
    unblock();
    thread->wait();
    return false;
}

void append(const QString &path, const QByteArray &bytes) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

} // namespace

class TestSpoolTailer final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path() const { return m_dir.filePath(QStringLiteral("s.jsonl")); }

private slots:
    void init() {
        QFile::remove(path());
        ::unlink(encoded(path()).constData()); // a FIFO, a device, a dangling link
    }

    void missingFileIsVanished() {
        SpoolTailer t(path(), 1024);
        Recorder r;
        QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Vanished);
        QVERIFY(r.problems.isEmpty()); // not an error: it may not exist yet
    }

    void appendsArriveInOrderWithLineNumbers() {
        append(path(), "one\ntwo\n");
        SpoolTailer t(path(), 1024);
        Recorder r;
        QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Ok);
        QCOMPARE(r.lines, (QList<QByteArray>{"one", "two"}));
        append(path(), "three\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"one", "two", "three"}));
        QCOMPARE(r.numbers, (QList<qint64>{1, 2, 3}));
        // Nothing new: nothing delivered.
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines.size(), 3);
    }

    void partialLineWaitsForItsNewline() {
        append(path(), "complete\npart");
        SpoolTailer t(path(), 1024);
        Recorder r;
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"complete"}));
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines.size(), 1); // still waiting, nothing lost
        append(path(), "ial\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"complete", "partial"}));
        QVERIFY(r.problems.isEmpty());
    }

    void utf8SplitAcrossReads() {
        // "é" is C3 A9; "€" is E2 82 AC: written one byte at a time.
        const QByteArray text = "caf\xc3\xa9 \xe2\x82\xac\n";
        SpoolTailer t(path(), 1024);
        Recorder r;
        append(path(), QByteArray());
        for (char c : text) {
            append(path(), QByteArray(1, c));
            t.poll(r, 1 << 20);
        }
        QCOMPARE(r.lines.size(), 1);
        QCOMPARE(QString::fromUtf8(r.lines[0]), QStringLiteral("café €"));
    }

    void readBudgetIsRespected() {
        QByteArray lots;
        for (int i = 0; i < 10000; ++i)
            lots += "line " + QByteArray::number(i) + '\n';
        append(path(), lots);
        SpoolTailer t(path(), 1024);
        Recorder r;
        t.poll(r, 1000);
        QVERIFY(t.hasMore());
        QVERIFY(r.lines.size() < 10000);
        while (t.hasMore())
            t.poll(r, 1000);
        QCOMPARE(r.lines.size(), 10000);
        QCOMPARE(r.lines.last(), QByteArray("line 9999"));
    }

    void truncationRestartsFromTheStart() {
        append(path(), "old one\nold two\n");
        SpoolTailer t(path(), 1024);
        Recorder r;
        t.poll(r, 1 << 20);
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("new\n");
        f.close();
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"old one", "old two", "new"}));
        QCOMPARE(r.problems.size(), 1);
        QVERIFY(r.problems[0].contains(QLatin1String("truncated")));
        QCOMPARE(r.numbers.last(), 1);
    }

    void rotationReadsTheOldFileToItsEnd() {
        append(path(), "a1\n");
        SpoolTailer t(path(), 1024);
        Recorder r;
        t.poll(r, 1 << 20);
        // logrotate-style: the writer still appends to the renamed file,
        // then a new file appears under the old name.
        append(path(), "a2\n");
        QVERIFY(QFile::rename(path(), path() + QLatin1String(".1")));
        append(path() + QLatin1String(".1"), "a3\n");
        append(path(), "b1\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"a1", "a2", "a3", "b1"}));
        append(path(), "b2\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines.last(), QByteArray("b2"));
        QCOMPARE(r.numbers.last(), 2);
        QFile::remove(path() + QLatin1String(".1"));
    }

    void deletedFileIsReadToItsEndThenVanishes() {
        append(path(), "first\n");
        SpoolTailer t(path(), 1024);
        Recorder r;
        t.poll(r, 1 << 20);
        append(path(), "last words\ncut sho");
        QVERIFY(QFile::remove(path()));
        QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Vanished);
        QCOMPARE(r.lines, (QList<QByteArray>{"first", "last words"}));
        // The half line can never complete now: said, with its line number.
        QCOMPARE(r.problems.size(), 1);
        QVERIFY2(r.problems[0].startsWith(QLatin1String("3: incomplete last line")),
                 qPrintable(r.problems[0]));
    }

    void overlongLinesAreSkippedAndReported_data() {
        QTest::addColumn<int>("chunk"); // how the long line is written
        QTest::newRow("at once") << 1;
        QTest::newRow("in pieces") << 100;
    }
    void overlongLinesAreSkippedAndReported() {
        QFETCH(int, chunk);
        SpoolTailer t(path(), 1000);
        Recorder r;
        append(path(), "before\n");
        const QByteArray longLine(5000, 'x');
        if (chunk <= 1) {
            append(path(), longLine + '\n');
            t.poll(r, 1 << 20);
        } else {
            for (int i = 0; i < longLine.size(); i += chunk) {
                append(path(), longLine.mid(i, chunk));
                t.poll(r, 1 << 20);
            }
            append(path(), "\n");
        }
        append(path(), "after\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"before", "after"}));
        QCOMPARE(r.numbers, (QList<qint64>{1, 3}));
        QCOMPARE(r.problems.size(), 1);
        QVERIFY2(r.problems[0].startsWith(QLatin1String("2: line is longer than 1000 bytes")),
                 qPrintable(r.problems[0]));
    }

    void releasedTailerResumesWhereItWas() {
        append(path(), "one\n");
        SpoolTailer t(path(), 1024);
        Recorder r;
        t.poll(r, 1 << 20);
        t.release();
        t.poll(r, 1 << 20); // unchanged: not even reopened
        append(path(), "two\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"one", "two"}));
        // Replaced while released: the new file is read from its start.
        t.release();
        QVERIFY(QFile::remove(path()));
        append(path(), "fresh\n");
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines.last(), QByteArray("fresh"));
        QCOMPARE(r.numbers.last(), 1);
    }

    void binaryGarbageDoesNotStopTheReader() {
        QByteArray garbage(4096, '\0');
        for (int i = 0; i < garbage.size(); ++i)
            garbage[i] = char((i * 7919) % 256);
        append(path(), garbage + "\nafter garbage\n");
        SpoolTailer t(path(), 1 << 20);
        Recorder r;
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines.last(), QByteArray("after garbage"));
    }

    // What a spool reader must not follow, and says once, not on every poll.
    void rejectedFilesAreReportedOnceAndNeverBlock_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("withOwner"); // the system spool's checks
        QTest::addColumn<QString>("problem");
        QTest::newRow("FIFO") << QStringLiteral("fifo") << false
                              << QStringLiteral("0: not followed: is a FIFO");
        QTest::newRow("FIFO, system spool")
            << QStringLiteral("fifo") << true << QStringLiteral("0: not followed: is a FIFO");
        QTest::newRow("symbolic link") << QStringLiteral("symlink") << false
                                       << QStringLiteral("0: not followed: is a symbolic link");
        QTest::newRow("hard link") << QStringLiteral("hardlink") << true
                                   << QStringLiteral("0: not followed: is a hard link (2 names)");
        QTest::newRow("group-writable")
            << QStringLiteral("groupwritable") << true
            << QStringLiteral("0: not followed: is writable by its group");
        QTest::newRow("another owner (root only)")
            << QStringLiteral("nobody") << true
            << QStringLiteral("0: not followed: belongs to nobody, not root");
        QTest::newRow("device (root only)")
            << QStringLiteral("device") << true
            << QStringLiteral("0: not followed: is a character device");
    }
    void rejectedFilesAreReportedOnceAndNeverBlock() {
        QFETCH(QString, kind);
        QFETCH(bool, withOwner);
        QFETCH(QString, problem);
        const QByteArray file = encoded(path());
        const QString other = m_dir.filePath(QStringLiteral("other"));
        QFile::remove(other);
        append(other, "{\"not\":\"mine\"}\n");
        if ((kind == QLatin1String("nobody") || kind == QLatin1String("device"))
            && ::geteuid() != 0)
            QSKIP("needs root: giving a file to nobody, making a device node");
        if (kind == QLatin1String("fifo")) {
            QCOMPARE(::mkfifo(file.constData(), 0600), 0);
        } else if (kind == QLatin1String("symlink")) {
            QCOMPARE(::symlink(encoded(other).constData(), file.constData()), 0);
        } else if (kind == QLatin1String("hardlink")) {
            QCOMPARE(::link(encoded(other).constData(), file.constData()), 0);
        } else if (kind == QLatin1String("groupwritable")) {
            append(path(), "line\n");
            QCOMPARE(::chmod(file.constData(), 0660), 0);
        } else if (kind == QLatin1String("nobody")) {
            append(path(), "line\n");
            const passwd *nobody = ::getpwnam("nobody");
            QVERIFY(nobody);
            QCOMPARE(::chown(file.constData(), nobody->pw_uid, nobody->pw_gid), 0);
        } else if (kind == QLatin1String("device")) {
            // /dev/null's numbers: harmless if it were ever opened.
            QCOMPARE(::mknod(file.constData(), S_IFCHR | 0600, makedev(1, 3)), 0);
        }

        SpoolTailer t(path(), 1024, withOwner ? std::optional<uint>(::geteuid()) : std::nullopt);
        Recorder r;
        // A FIFO with no writer would block an open without O_NONBLOCK forever.
        const bool ended = endsWithin(
            [&] {
                for (int i = 0; i < 3; ++i)
                    QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Vanished);
            },
            5000,
            [&] {
                const int fd = ::open(file.constData(), O_WRONLY | O_NONBLOCK);
                if (fd >= 0)
                    ::close(fd);
            });
        QVERIFY2(ended, "the reader blocked on the file");
        QCOMPARE(r.problems, QStringList{problem}); // three polls, said once
        QVERIFY(r.lines.isEmpty());

        // Put right: a proper file in its place is read.
        QVERIFY(QFile::remove(path()));
        append(path(), "proper\n");
        QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Ok);
        QCOMPARE(r.lines, QList<QByteArray>{"proper"});
        QCOMPARE(r.problems.size(), 1);
    }

    void aFileSwappedAfterOpeningItIsReadToItsEndOnly() {
        // The path replaced by a hard link to someone else's file after it
        // was followed: what the real file had still counts, the link not.
        const QString other = m_dir.filePath(QStringLiteral("other"));
        QFile::remove(other);
        append(other, "forged\n");
        append(path(), "genuine\n");
        SpoolTailer t(path(), 1024, ::geteuid());
        Recorder r;
        QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Ok);
        append(path(), "last\n");
        const QString swap = m_dir.filePath(QStringLiteral("swap"));
        QFile::remove(swap);
        QCOMPARE(::link(encoded(other).constData(), encoded(swap).constData()), 0);
        QCOMPARE(::rename(encoded(swap).constData(), encoded(path()).constData()), 0);
        QCOMPARE(t.poll(r, 1 << 20), SpoolTailer::Status::Vanished);
        t.poll(r, 1 << 20);
        QCOMPARE(r.lines, (QList<QByteArray>{"genuine", "last"}));
        QCOMPARE(r.problems,
                 QStringList{QStringLiteral("0: not followed: is a hard link (2 names)")});
    }
};

KW_TEST_GUILESS_MAIN(TestSpoolTailer)
#include "tst_spooltailer.moc"
