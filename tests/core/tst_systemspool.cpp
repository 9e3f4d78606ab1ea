// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/processprobe.h"
#include "spool/systemspool.h"
#include "spool/systemspoolsource.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <fcntl.h>
#include <grp.h>
#include <memory>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

// The reader of the system spool (system-integration.md §5) on real users,
// real ownership and a real group keepwatch: root's sessions for the group,
// a note for everyone else, and nothing another user writes can pass as
// root's. Needs root (to give directories to other users); CI runs as root.
class TestSystemSpool final : public QObject {
    Q_OBJECT

    static QByteArray encoded(const QString &path) { return QFile::encodeName(path); }

    static bool run(const QString &program, const QStringList &args) {
        QProcess p;
        p.start(program, args);
        return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit
               && p.exitCode() == 0;
    }

    // A system spool of its own: ROOT 0750 root:keepwatch in a temporary
    // directory others may traverse, exported as $KEEPWATCH_SYSTEM_SPOOL.
    struct Spool {
        QTemporaryDir tmp;
        QString root;
        gid_t group = 0;
        QByteArray previous = qgetenv(SystemSpool::kEnvironmentVariable);

        explicit Spool(gid_t keepwatch)
            : root(tmp.path() + QStringLiteral("/spool"))
            , group(keepwatch) {
            ::chmod(encoded(tmp.path()).constData(), 0755);
            QDir().mkpath(root);
            ::chown(encoded(root).constData(), 0, group);
            ::chmod(encoded(root).constData(), 0750);
            qputenv(SystemSpool::kEnvironmentVariable, encoded(root));
        }
        ~Spool() { qputenv(SystemSpool::kEnvironmentVariable, previous); }

        // ROOT/<user> 2750 <user>:keepwatch, as `system-spool grant` makes it.
        QString grant(const QString &user) const {
            const QString dir = root + QLatin1Char('/') + user;
            QDir().mkpath(dir);
            const passwd *pw = ::getpwnam(encoded(user).constData());
            if (!pw)
                qFatal("no user %s", qPrintable(user));
            ::chown(encoded(dir).constData(), pw->pw_uid, group);
            ::chmod(encoded(dir).constData(), 02750);
            return dir;
        }
        // A session file as root's `keepwatch-cli run` writes it: 0640, its
        // group from the setgid directory.
        QString writeAsRoot(const QString &user, const QString &name,
                            const QByteArray &bytes) const {
            const QString path = root + QLatin1Char('/') + user + QLatin1Char('/') + name;
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
                qFatal("cannot write %s", qPrintable(path));
            f.write(bytes);
            f.close();
            ::chmod(encoded(path).constData(), 0640);
            return path;
        }
    };

    QString m_member;   // a throwaway user in group keepwatch
    QString m_outsider; // a throwaway user outside it
    gid_t m_keepwatch = 0;
    ThrowawayUsers m_users{QStringLiteral("kwtest")};

    static Event startAs(const QString &session, qint64 ts, const QString &claimedUser) {
        Event e = startEvent(session, ts, SessionKind::Backup, QStringLiteral("restic"),
                             QStringLiteral("nightly of ") + claimedUser);
        e.as<StartPayload>()->user = claimedUser;
        return e;
    }

    // A start whose producer is this test process (alive, on this host).
    static Event producedHere(Event start) {
        StartPayload *p = start.as<StartPayload>();
        p->host.clear();
        p->producerPid = QCoreApplication::applicationPid();
        p->producerStartTicks = ProcessProbe::startTicks(QCoreApplication::applicationPid());
        p->bootId = ProcessProbe::bootId();
        return start;
    }

    // Every poll's batch folded into `store`; the problems met.
    static QList<SourceError> pollInto(SystemSpoolSource &source, SessionStore &store) {
        EventBatch batch;
        source.poll(batch);
        store.apply(batch);
        return batch.errors;
    }

    static QStringList messages(const QList<SourceError> &errors) {
        QStringList out;
        for (const SourceError &e : errors)
            out << e.source + QLatin1Char('|') + QFileInfo(e.location).fileName() + QLatin1Char('|')
                       + e.message;
        return out;
    }

    static QStringList logOf(const SessionStore &store, int row) {
        QStringList lines;
        const LogBuffer &log = store.log(row);
        for (qint64 seq = log.firstSeq(); seq < log.endSeq(); ++seq) {
            const LogBuffer::Line line = log.line(seq);
            lines << QString(wireName(line.level)) + QLatin1Char(' ')
                         + QString::fromUtf8(line.text.toByteArray());
        }
        return lines;
    }

    // keepwatch-cli as `user` (its groups from the group database, as at
    // login), reading `spool` and no spool of its own.
    // `wrapper` runs it (e.g. in a mount namespace), before setpriv.
    CliResult cliAs(const QString &user, const Spool &spool, const QStringList &args,
                    const QStringList &wrapper = {}) {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(SystemSpool::kEnvironmentVariable), spool.root);
        env.insert(QStringLiteral("KEEPWATCH_SPOOL"), spool.tmp.path() + QStringLiteral("/none"));
        p.setProcessEnvironment(env);
        const passwd *pw = ::getpwnam(encoded(user).constData());
        if (!pw)
            return {};
        const QStringList command =
            wrapper
            + QStringList{QStringLiteral("setpriv"), QStringLiteral("--reuid=%1").arg(pw->pw_uid),
                          QStringLiteral("--regid=%1").arg(pw->pw_gid),
                          QStringLiteral("--init-groups"), cliPath()}
            + args;
        p.start(command.first(), command.mid(1));
        CliResult r;
        if (!p.waitForFinished(30000))
            p.kill();
        p.waitForFinished();
        r.exitCode = p.exitCode();
        r.exitStatus = p.exitStatus();
        r.out = p.readAllStandardOutput();
        r.err = p.readAllStandardError();
        return r;
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("needs root: gives spool directories to other users and runs commands as "
                  "them (CI runs the tests as root)");
        // The group the packaging creates (sysusers.d: g keepwatch -).
        QVERIFY(ThrowawayUsers::ensureGroup(QString::fromLatin1(SystemSpool::kGroup)));
        m_keepwatch = ::getgrnam(SystemSpool::kGroup)->gr_gid;
        m_member = m_users.add(QStringLiteral("in"), {QString::fromLatin1(SystemSpool::kGroup)});
        m_outsider = m_users.add(QStringLiteral("out"));
        QVERIFY(!m_member.isEmpty() && !m_outsider.isEmpty());
    }

    void rootsSessionAppearsAsRootsWhilePolling() {
        Spool spool(m_keepwatch);
        spool.grant(QStringLiteral("root"));
        spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("nightly.jsonl"),
                          encode({startAs(QStringLiteral("nightly"), 1000, QString())}));
        SystemSpoolSource source;
        SessionStore store;
        QVERIFY(pollInto(source, store).isEmpty());
        QCOMPARE(source.identities(), QStringList{QStringLiteral("system:root")});
        const int row = store.indexOf({QStringLiteral("system:root"), QStringLiteral("nightly")});
        QVERIFY(row >= 0);
        QCOMPARE(store.at(row).user, QStringLiteral("root")); // the owner, though none was claimed
        QCOMPARE(store.at(row).state, SessionState::Running);
        QVERIFY(source.watchPaths().contains(spool.root));

        // Live: the end arrives on a later poll.
        spool.writeAsRoot(
            QStringLiteral("root"), QStringLiteral("nightly.jsonl"),
            encode({endEvent(QStringLiteral("nightly"), 2000, SessionState::Succeeded, 0)}));
        QVERIFY(pollInto(source, store).isEmpty());
        QCOMPARE(store.at(row).state, SessionState::Succeeded);

        // A service user granted after the start is read from the next poll.
        spool.grant(m_member);
        spool.writeAsRoot(m_member, QStringLiteral("db.jsonl"),
                          encode({startAs(QStringLiteral("db"), 3000, m_member)}));
        const QString dbFile =
            spool.root + QLatin1Char('/') + m_member + QStringLiteral("/db.jsonl");
        const passwd *pw = ::getpwnam(encoded(m_member).constData());
        QCOMPARE(::chown(encoded(dbFile).constData(), pw->pw_uid, m_keepwatch), 0);
        QVERIFY(pollInto(source, store).isEmpty());
        const int db = store.indexOf({SystemSpool::identityFor(m_member), QStringLiteral("db")});
        QVERIFY(db >= 0);
        QCOMPARE(store.at(db).user, m_member);
        QVERIFY(logOf(store, db).isEmpty()); // its claim was true: no warning
    }

    void cliShowsRootsSessionsToTheGroupAndANoteToOthers() {
        Spool spool(m_keepwatch);
        spool.grant(QStringLiteral("root"));
        spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("nightly.jsonl"),
                          encode({producedHere(
                              startAs(QStringLiteral("nightly"), 1000, QStringLiteral("root")))}));

        const CliResult member =
            cliAs(m_member, spool, {QStringLiteral("list"), QStringLiteral("--json")});
        QVERIFY2(member.exitCode == 0, member.err.constData());
        QVERIFY2(member.err.isEmpty(), member.err.constData());
        const QJsonArray sessions = QJsonDocument::fromJson(member.out).array();
        QCOMPARE(sessions.size(), 1);
        const QJsonObject s = sessions.first().toObject();
        QCOMPARE(s.value(QStringLiteral("id")).toString(), QStringLiteral("nightly"));
        QCOMPARE(s.value(QStringLiteral("source")).toString(), QStringLiteral("system:root"));
        QCOMPARE(s.value(QStringLiteral("user")).toString(), QStringLiteral("root"));
        QCOMPARE(s.value(QStringLiteral("state")).toString(), QStringLiteral("running"));

        // `show` finds it by its source, as `cancel` does.
        const CliResult show = cliAs(m_member, spool,
                                     {QStringLiteral("show"), QStringLiteral("nightly"),
                                      QStringLiteral("--source"), QStringLiteral("system:root")});
        QVERIFY2(show.exitCode == 0, show.err.constData());
        QVERIFY(show.out.contains("user       root"));

        // A member may watch root's session, not cancel it: told how to.
        const CliResult cancel = cliAs(m_member, spool,
                                       {QStringLiteral("cancel"), QStringLiteral("nightly"),
                                        QStringLiteral("--source"), QStringLiteral("system:root")});
        QVERIFY(cancel.exitCode != 0);
        QVERIFY2(cancel.err.contains("session 'nightly' is root's: only root can cancel it (sudo "
                                     "keepwatch-cli cancel nightly --source system:root)"),
                 cancel.err.constData());

        const CliResult outsider =
            cliAs(m_outsider, spool, {QStringLiteral("list"), QStringLiteral("--json")});
        QCOMPARE(outsider.exitCode, 0); // a note, not a failure
        QCOMPARE(outsider.out.trimmed(), QByteArray("[]"));
        const QString note = QString::fromLocal8Bit(outsider.err);
        QVERIFY2(note.contains(QStringLiteral("keepwatch-cli: note: not in group keepwatch: root's "
                                              "and service users' "
                                              "backups are hidden (sudo adduser %1 keepwatch, "
                                              "then log in again)")
                                   .arg(m_outsider)),
                 qPrintable(note));
        QCOMPARE(note.count(QStringLiteral("not in group keepwatch")), 1); // said once
    }

    void rootsRunningSessionStaysRunningWhenProcHidesRootsProcesses() {
        // /proc mounted with hidepid=invisible (in a mount namespace of the
        // CLI's own): the member cannot see root's wrapper, which still runs
        // (this test process plays it). Hidden is not gone: not interrupted.
        Spool spool(m_keepwatch);
        spool.grant(QStringLiteral("root"));
        Event start = startAs(QStringLiteral("hidden"), 1000, QStringLiteral("root"));
        StartPayload *p = start.as<StartPayload>();
        p->host.clear(); // this host: its producer is checked
        p->producerPid = QCoreApplication::applicationPid();
        p->producerStartTicks = ProcessProbe::startTicks(QCoreApplication::applicationPid());
        p->bootId = ProcessProbe::bootId();
        QVERIFY(p->producerStartTicks);
        spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("hidden.jsonl"), encode({start}));
        const QString hidepid =
            QStringLiteral("mount -t proc -o hidepid=invisible proc /proc && exec \"$@\"");
        const QStringList inNamespace{QStringLiteral("unshare"),
                                      QStringLiteral("--mount"),
                                      QStringLiteral("--propagation"),
                                      QStringLiteral("private"),
                                      QStringLiteral("sh"),
                                      QStringLiteral("-c"),
                                      hidepid,
                                      QStringLiteral("sh")};
        if (!run(inNamespace.first(), inNamespace.mid(1) + QStringList{QStringLiteral("true")}))
            QSKIP("cannot mount a /proc of its own with hidepid here (unshare or mount refused)");
        const CliResult member =
            cliAs(m_member, spool, {QStringLiteral("list"), QStringLiteral("--json")}, inNamespace);
        QVERIFY2(member.exitCode == 0, member.err.constData());
        const QJsonArray sessions = QJsonDocument::fromJson(member.out).array();
        QCOMPARE(sessions.size(), 1);
        QCOMPARE(sessions.first().toObject().value(QStringLiteral("state")).toString(),
                 QStringLiteral("running"));
    }

    void anotherUsersFileCannotPassAsRoots() {
        Spool spool(m_keepwatch);
        spool.grant(QStringLiteral("root"));
        const QString nobodyDir = spool.grant(QStringLiteral("nobody"));
        spool.writeAsRoot(
            QStringLiteral("root"), QStringLiteral("nightly.jsonl"),
            encode({startAs(QStringLiteral("nightly"), 1000, QStringLiteral("root"))}));
        // nobody writes, as nobody, a file claiming root's session: root's
        // user, root's ID, and an end. (In group keepwatch, as a writer
        // needs to be to pass ROOT 0750 root:keepwatch.)
        QProcess writer;
        writer.start(QStringLiteral("setpriv"),
                     {QStringLiteral("--reuid=nobody"), QStringLiteral("--regid=nogroup"),
                      QStringLiteral("--groups=%1").arg(m_keepwatch), QStringLiteral("sh"),
                      QStringLiteral("-c"), QStringLiteral("umask 027; cat > \"$0\""),
                      nobodyDir + QStringLiteral("/nightly.jsonl")});
        QVERIFY(writer.waitForStarted());
        writer.write(encode({startAs(QStringLiteral("nightly"), 1500, QStringLiteral("root")),
                             endEvent(QStringLiteral("nightly"), 1600, SessionState::Failed, 1)}));
        writer.closeWriteChannel();
        QVERIFY(writer.waitForFinished(10000));
        QCOMPARE(writer.exitCode(), 0);
        QFileInfo written(nobodyDir + QStringLiteral("/nightly.jsonl"));
        QCOMPARE(written.ownerId(), uint(::getpwnam("nobody")->pw_uid));

        SystemSpoolSource source;
        SessionStore store;
        QVERIFY(messages(pollInto(source, store)).isEmpty());
        QCOMPARE(store.count(), 2);
        const int root = store.indexOf({QStringLiteral("system:root"), QStringLiteral("nightly")});
        QVERIFY(root >= 0);
        QCOMPARE(store.at(root).state, SessionState::Running); // unchanged
        QCOMPARE(store.at(root).user, QStringLiteral("root"));
        QVERIFY(logOf(store, root).isEmpty());

        const int forged =
            store.indexOf({QStringLiteral("system:nobody"), QStringLiteral("nightly")});
        QVERIFY(forged >= 0);
        QCOMPARE(store.at(forged).user, QStringLiteral("nobody"));
        QCOMPARE(store.at(forged).state, SessionState::Failed);
        QCOMPARE(logOf(store, forged),
                 QStringList{QStringLiteral("warning the file %1 belongs to nobody but claims "
                                            "user root; the session is nobody's")
                                 .arg(written.filePath())});
    }

    // What must never be read as a user's session, planted beside a real one.
    void plantedEntriesAreSkippedAndReportedOnce_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("problem");
        QTest::newRow("symbolic link")
            << QStringLiteral("symlink") << QStringLiteral("skipped: is a symbolic link");
        QTest::newRow("FIFO") << QStringLiteral("fifo") << QStringLiteral("skipped: is a FIFO");
        QTest::newRow("hard link")
            << QStringLiteral("hardlink") << QStringLiteral("skipped: is a hard link (2 names)");
        QTest::newRow("device") << QStringLiteral("device")
                                << QStringLiteral("skipped: is a character device");
        QTest::newRow("another owner's file")
            << QStringLiteral("nobody") << QStringLiteral("skipped: belongs to nobody, not root");
        QTest::newRow("group-writable file") << QStringLiteral("groupwritable")
                                             << QStringLiteral("skipped: is writable by its group");
    }
    void plantedEntriesAreSkippedAndReportedOnce() {
        QFETCH(QString, kind);
        QFETCH(QString, problem);
        Spool spool(m_keepwatch);
        const QString dir = spool.grant(QStringLiteral("root"));
        spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("real.jsonl"),
                          encode({startAs(QStringLiteral("real"), 1000, QStringLiteral("root"))}));
        // What the planted entry would show if it were read: root's
        // session "planted", ended.
        const QByteArray forged =
            encode({startAs(QStringLiteral("planted"), 1000, QStringLiteral("root")),
                    endEvent(QStringLiteral("planted"), 1100, SessionState::Succeeded, 0)});
        const QString outside = spool.tmp.path() + QStringLiteral("/outside.jsonl");
        {
            QFile f(outside);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(forged);
        }
        const QByteArray planted = encoded(dir + QStringLiteral("/planted.jsonl"));
        if (kind == QLatin1String("symlink")) {
            QCOMPARE(::symlink(encoded(outside).constData(), planted.constData()), 0);
        } else if (kind == QLatin1String("fifo")) {
            QCOMPARE(::mkfifo(planted.constData(), 0640), 0);
        } else if (kind == QLatin1String("hardlink")) {
            QCOMPARE(::link(encoded(outside).constData(), planted.constData()), 0);
        } else if (kind == QLatin1String("device")) {
            QCOMPARE(::mknod(planted.constData(), S_IFCHR | 0640, makedev(1, 3)), 0);
        } else if (kind == QLatin1String("nobody")) {
            spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("planted.jsonl"), forged);
            QCOMPARE(::chown(planted.constData(), 65534, m_keepwatch), 0);
        } else if (kind == QLatin1String("groupwritable")) {
            spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("planted.jsonl"), forged);
            QCOMPARE(::chmod(planted.constData(), 0660), 0);
        }

        SystemSpoolSource source;
        SessionStore store;
        QList<SourceError> errors;
        // Three polls on a thread of their own: a FIFO must not block them.
        const std::unique_ptr<QThread> poller(QThread::create([&] {
            for (int i = 0; i < 3; ++i) {
                EventBatch batch;
                source.poll(batch);
                errors.append(batch.errors);
                QMetaObject::invokeMethod(
                    &store, [&store, batch] { store.apply(batch); }, Qt::BlockingQueuedConnection);
            }
        }));
        poller->start();
        const bool ended = waitFor([&] { return poller->isFinished(); }, 10000);
        if (!ended) {
            // Unblock the reader so that the test can end, then fail.
            const int fd = ::open(planted.constData(), O_WRONLY | O_NONBLOCK);
            if (fd >= 0)
                ::close(fd);
            waitFor([&] { return poller->isFinished(); }, 10000);
        }
        QVERIFY2(ended, "the reader blocked on the planted entry");
        QCOMPARE(messages(errors),
                 QStringList{QStringLiteral("system:root|planted.jsonl|") + problem});
        QCOMPARE(store.count(), 1); // the real one, nothing of the planted one
        QCOMPARE(store.at(0).key.id, QStringLiteral("real"));
    }

    void untrustedDirectoriesAreReportedOnceAndNotRead_data() {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("problem");
        QTest::newRow("group-writable") << QStringLiteral("groupwritable")
                                        << QStringLiteral("skipped: is writable by its group");
        QTest::newRow("another user's")
            << QStringLiteral("owner") << QStringLiteral("skipped: belongs to nobody, not root");
        QTest::newRow("a link to root's")
            << QStringLiteral("symlink") << QStringLiteral("skipped: is a symbolic link");
        QTest::newRow("no such user")
            << QStringLiteral("nouser")
            << QStringLiteral("skipped: no user kwtest-nosuchuser in the password database");
    }
    void untrustedDirectoriesAreReportedOnceAndNotRead() {
        QFETCH(QString, kind);
        QFETCH(QString, problem);
        Spool spool(m_keepwatch);
        const QByteArray session =
            encode({startAs(QStringLiteral("x"), 1000, QStringLiteral("root"))});
        QString entry = QStringLiteral("root");
        if (kind == QLatin1String("groupwritable")) {
            const QString dir = spool.grant(QStringLiteral("root"));
            QCOMPARE(::chmod(encoded(dir).constData(), 02770), 0);
            spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("x.jsonl"), session);
        } else if (kind == QLatin1String("owner")) {
            const QString dir = spool.grant(QStringLiteral("root"));
            QCOMPARE(::chown(encoded(dir).constData(), 65534, m_keepwatch), 0);
        } else if (kind == QLatin1String("symlink")) {
            const QString real = spool.tmp.path() + QStringLiteral("/elsewhere");
            QDir().mkpath(real);
            QCOMPARE(::symlink(encoded(real).constData(),
                               encoded(spool.root + QStringLiteral("/root")).constData()),
                     0);
        } else {
            entry = QStringLiteral("kwtest-nosuchuser");
            QDir().mkpath(spool.root + QLatin1Char('/') + entry);
        }
        SystemSpoolSource source;
        SessionStore store;
        QList<SourceError> errors;
        for (int i = 0; i < 3; ++i)
            errors.append(pollInto(source, store));
        QCOMPARE(messages(errors),
                 QStringList{QStringLiteral("system|") + entry + QLatin1Char('|') + problem});
        QCOMPARE(store.count(), 0);
        QVERIFY(source.identities().isEmpty());
    }

    void theBudgetIsSharedSoNoUserStarves() {
        Spool spool(m_keepwatch);
        spool.grant(QStringLiteral("root"));
        spool.grant(QStringLiteral("nobody"));
        // Each user's file holds more than one poll's budget.
        QList<Event> events;
        for (int i = 0; i < 400; ++i)
            events << logEvent(QStringLiteral("big"), 1000 + i, QByteArray(200, 'x'));
        const QByteArray bytes =
            encode({startAs(QStringLiteral("big"), 1000, QString())}) + encode(events);
        spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("big.jsonl"), bytes);
        const QString nobodys =
            spool.writeAsRoot(QStringLiteral("nobody"), QStringLiteral("big.jsonl"), bytes);
        QCOMPARE(::chown(encoded(nobodys).constData(), 65534, m_keepwatch), 0);
        SystemSpoolSource::Options options;
        options.maxBytesPerPoll = bytes.size() / 4;
        SystemSpoolSource source(options);
        SessionStore store;
        pollInto(source, store);
        QVERIFY(source.hasPendingData());
        pollInto(source, store);
        // Two polls: both users' sessions have begun.
        QVERIFY(store.indexOf({QStringLiteral("system:root"), QStringLiteral("big")}) >= 0);
        QVERIFY(store.indexOf({QStringLiteral("system:nobody"), QStringLiteral("big")}) >= 0);
        for (int i = 0; i < 20 && source.hasPendingData(); ++i)
            pollInto(source, store);
        QVERIFY(!source.hasPendingData());
        QCOMPARE(store.log(store.indexOf({QStringLiteral("system:root"), QStringLiteral("big")}))
                     .endSeq(),
                 400);
        QCOMPARE(store.log(store.indexOf({QStringLiteral("system:nobody"), QStringLiteral("big")}))
                     .endSeq(),
                 400);
    }

    void aRootGoneForAWhileIsNotReadTwice() {
        Spool spool(m_keepwatch);
        spool.grant(QStringLiteral("root"));
        spool.writeAsRoot(QStringLiteral("root"), QStringLiteral("n.jsonl"),
                          encode({startAs(QStringLiteral("n"), 1000, QString()),
                                  logEvent(QStringLiteral("n"), 1001, "once")}));
        SystemSpoolSource source;
        SessionStore store;
        pollInto(source, store);
        const QString away = spool.root + QStringLiteral(".away");
        QVERIFY(QFile::rename(spool.root, away));
        QVERIFY(pollInto(source, store).isEmpty()); // missing: silent
        QVERIFY(QFile::rename(away, spool.root));
        pollInto(source, store);
        QCOMPARE(store.count(), 1);
        QCOMPARE(logOf(store, 0), QStringList{QStringLiteral("info once")});
    }

    void aMissingRootIsNoError() {
        Spool spool(m_keepwatch);
        QVERIFY(QDir(spool.root).removeRecursively());
        SystemSpoolSource source;
        SessionStore store;
        QVERIFY(pollInto(source, store).isEmpty());
        QVERIFY(source.watchPaths().isEmpty());
    }

    // A root that is no directory is a fault (shown among the source
    // errors); lacking the group is a notice (the CLI test above).
    void aRootThatIsAFileIsAnErrorNotANotice() {
        Spool spool(m_keepwatch);
        QVERIFY(QDir(spool.root).removeRecursively());
        QFile file(spool.root);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        SystemSpoolSource source;
        SessionStore store;
        const QList<SourceError> errors = pollInto(source, store);
        QCOMPARE(errors.size(), 1);
        QVERIFY(!errors.first().notice);
        QCOMPARE(errors.first().location, spool.root);
        QVERIFY(pollInto(source, store).isEmpty()); // said once
        QFile::remove(spool.root);
    }
};

KW_TEST_GUILESS_MAIN(TestSystemSpool)
#include "tst_systemspool.moc"
