// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "platform/useraccounts.h"
#include "spool/systemspool.h"
#include "testmain.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

using namespace kw;
using namespace kw::test;

namespace {

struct FileFacts {
    bool exists = false;
    mode_t mode = 0; // permission bits with setgid
    QString owner;
    QString group;
};

FileFacts factsOf(const QString &path) {
    FileFacts f;
    struct stat st;
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return f;
    f.exists = true;
    f.mode = st.st_mode & 07777;
    f.owner = UserAccounts::nameOf(st.st_uid);
    const std::optional<uint> keepwatch = UserAccounts::gidOf(QLatin1String(SystemSpool::kGroup));
    f.group = keepwatch && *keepwatch == st.st_gid ? QStringLiteral("keepwatch")
                                                   : QString::number(st.st_gid);
    return f;
}

QString modeText(mode_t mode) {
    return QString::number(mode, 8);
}

struct Run {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

// The real keepwatch-cli through `sh -c SCRIPT` ($CLI names it), with an
// environment of our choosing: umask, setpriv and `env -u HOME` are the
// shell's and util-linux's, as an admin's cron line would use them.
Run shell(const QString &script, const QProcessEnvironment &env, int timeoutMs = 30000) {
    QProcess p;
    QProcessEnvironment e = env;
    e.insert(QStringLiteral("CLI"), cliPath());
    p.setProcessEnvironment(e);
    p.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    Run r;
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// QStringBuilder expressions become a QByteArray here (contains() takes no builder).
bool has(const QByteArray &text, const QByteArray &part) {
    return text.contains(part);
}

QStringList sessionFiles(const QString &directory) {
    return QDir(directory).entryList({QStringLiteral("*.jsonl")}, QDir::Files);
}

} // namespace

// The writing side of the system spool, with the real keepwatch-cli as root
// and as throwaway service users: `system-spool init` and `grant`, where
// `run` records (root, a granted user, --spool, no $HOME), the modes that
// let group keepwatch read and nobody else write, the unit and invocation
// ID, and the cap on one session's file.
class TestSystemSpoolWriter final : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_root; // the system spool of this test
    QString m_home;
    QStringList m_users; // throwaway users to remove

    QProcessEnvironment env() const {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert(QLatin1String(SystemSpool::kEnvironmentVariable), m_root);
        e.insert(QStringLiteral("HOME"), m_home);
        e.remove(QStringLiteral("KEEPWATCH_SPOOL"));
        e.remove(QStringLiteral("XDG_STATE_HOME"));
        e.remove(QStringLiteral("INVOCATION_ID"));
        return e;
    }

    Run cli(const QString &arguments, const QProcessEnvironment &environment) {
        return shell(QStringLiteral("exec \"$CLI\" ") + arguments, environment);
    }

    void initSystemSpool() {
        const Run r = cli(QStringLiteral("system-spool init"), env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    QString addUser(const QString &name) {
        QProcess::execute(QStringLiteral("userdel"), {name});
        const int rc =
            QProcess::execute(QStringLiteral("useradd"),
                              {QStringLiteral("--system"), QStringLiteral("--no-create-home"),
                               QStringLiteral("--home-dir"), QStringLiteral("/nonexistent"), name});
        if (rc != 0)
            return {};
        m_users << name;
        return name;
    }

    QString privateSpool() const {
        return m_home + QStringLiteral("/.local/state/keepwatch/spool");
    }

private slots:
    void initTestCase() {
        if (::geteuid() != 0)
            QSKIP("needs root: creates the group keepwatch, root-owned directories and "
                  "throwaway users (CI runs as root)");
        QVERIFY(m_dir.isValid());
        // Other users must reach the spool below the private temporary directory.
        QVERIFY(QFile::setPermissions(
            m_dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner
                              | QFileDevice::ExeGroup | QFileDevice::ExeOther));
        m_root = m_dir.path() + QStringLiteral("/var/lib/keepwatch/spool");
        m_home = m_dir.path() + QStringLiteral("/home/root");
        QVERIFY(QDir().mkpath(m_home));
    }

    void cleanupTestCase() {
        for (const QString &user : std::as_const(m_users))
            QProcess::execute(QStringLiteral("userdel"), {user});
    }

    void cleanup() {
        QDir(m_dir.path() + QStringLiteral("/var")).removeRecursively();
        QDir(m_home + QStringLiteral("/.local")).removeRecursively();
    }

    void initSetsUpTheSpoolAndSaysWhatItDid() {
        Run r = cli(QStringLiteral("system-spool init"), env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(has(r.out, "created " + QFile::encodeName(m_root) + " (0751 root:keepwatch)"),
                 r.out.constData());
        QVERIFY(has(r.out, "created " + QFile::encodeName(m_root) + "/root (2750 root:keepwatch)"));

        const FileFacts root = factsOf(m_root);
        QCOMPARE(modeText(root.mode), QStringLiteral("751"));
        QCOMPARE(root.owner, QStringLiteral("root"));
        QCOMPARE(root.group, QStringLiteral("keepwatch"));
        const FileFacts rootDir = factsOf(m_root + QStringLiteral("/root"));
        QCOMPARE(modeText(rootDir.mode), QStringLiteral("2750"));
        QCOMPARE(rootDir.group, QStringLiteral("keepwatch"));

        // Again: nothing to do, and it says so.
        r = cli(QStringLiteral("system-spool init"), env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("is already 0751 root:keepwatch"), r.out.constData());
        QVERIFY(!has(r.out, "created " + QFile::encodeName(m_root)));

        // A mode someone widened is put right, and said so.
        QVERIFY(::chmod(QFile::encodeName(m_root).constData(), 0777) == 0);
        r = cli(QStringLiteral("system-spool init"), env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(has(r.out, "corrected " + QFile::encodeName(m_root)
                                + " to 0751 root:keepwatch (was 0777"),
                 r.out.constData());
        QCOMPARE(modeText(factsOf(m_root).mode), QStringLiteral("751"));
    }

    // A package ships the same set-up as sysusers.d and tmpfiles.d files:
    // the real systemd-sysusers and systemd-tmpfiles, applied to a throwaway
    // root, make what `system-spool init` makes.
    void packagingMakesWhatInitMakes() {
        const QString sysusers = QStandardPaths::findExecutable(QStringLiteral("systemd-sysusers"));
        const QString tmpfiles = QStandardPaths::findExecutable(QStringLiteral("systemd-tmpfiles"));
        if (sysusers.isEmpty() || tmpfiles.isEmpty())
            QSKIP("needs systemd-sysusers and systemd-tmpfiles (Debian: systemd)");
        const QString packaging = QStringLiteral(KEEPWATCH_PACKAGING_DIR);
        const QString image = m_dir.path() + QStringLiteral("/image");
        QVERIFY(QDir().mkpath(image + QStringLiteral("/etc")));
        QCOMPARE(
            QProcess::execute(sysusers, {QStringLiteral("--root=") + image,
                                         packaging + QStringLiteral("/sysusers.d/keepwatch.conf")}),
            0);
        QCOMPARE(QProcess::execute(tmpfiles,
                                   {QStringLiteral("--root=") + image, QStringLiteral("--create"),
                                    packaging + QStringLiteral("/tmpfiles.d/keepwatch.conf")}),
                 0);
        // The image's own group database names its keepwatch group.
        QFile groups(image + QStringLiteral("/etc/group"));
        QVERIFY(groups.open(QIODevice::ReadOnly));
        uint imageGid = uint(-1);
        for (const QByteArray &line : groups.readAll().split('\n')) {
            if (line.startsWith("keepwatch:"))
                imageGid = line.split(':').value(2).toUInt();
        }
        QVERIFY(imageGid != uint(-1));

        initSystemSpool();
        const uint hostGid = *UserAccounts::gidOf(QStringLiteral("keepwatch"));
        for (const QString &relative : {QString(), QStringLiteral("/root")}) {
            struct stat byPackage, byInit;
            QVERIFY(::lstat(QFile::encodeName(image + QStringLiteral("/var/lib/keepwatch/spool")
                                              + relative)
                                .constData(),
                            &byPackage)
                    == 0);
            QVERIFY(::lstat(QFile::encodeName(m_root + relative).constData(), &byInit) == 0);
            QCOMPARE(modeText(byPackage.st_mode & 07777), modeText(byInit.st_mode & 07777));
            QCOMPARE(byPackage.st_uid, byInit.st_uid);
            QCOMPARE(uint(byPackage.st_gid), imageGid);
            QCOMPARE(uint(byInit.st_gid), hostGid);
        }
        QDir(image).removeRecursively();
    }

    void initRefusesALinkWhereADirectoryBelongs() {
        QVERIFY(QDir().mkpath(m_root));
        QVERIFY(QFile::link(m_dir.path(), m_root + QStringLiteral("/root")));
        const Run r = cli(QStringLiteral("system-spool init"), env());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("/root exists and is not a directory (a symbolic link)"),
                 r.err.constData());
    }

    void initAndGrantNeedRoot() {
        const Run r = shell(QStringLiteral("exec setpriv --reuid=nobody --regid=nogroup "
                                           "--clear-groups \"$CLI\" system-spool init"),
                            env());
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("run it as root (sudo keepwatch-cli system-spool init)"),
                 r.err.constData());
        QVERIFY(!QFileInfo::exists(m_root));
    }

    // A cron line of root's: umask 077 and only CAP_DAC_READ_SEARCH (as
    // Debian's borgmatic unit leaves it) still give a file the group reads.
    void rootRunIsGroupReadableUnderUmaskAndFewCapabilities() {
        initSystemSpool();
        const Run r = shell(QStringLiteral("umask 077; exec setpriv "
                                           "--bounding-set=-all,+dac_read_search --inh-caps=-all "
                                           "-- \"$CLI\" run -- echo hello"),
                            env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("hello\n"));
        const QString directory = m_root + QStringLiteral("/root");
        const QStringList files = sessionFiles(directory);
        QCOMPARE(files.size(), 1);
        const FileFacts file = factsOf(directory + QLatin1Char('/') + files.first());
        QCOMPARE(modeText(file.mode), QStringLiteral("640"));
        QCOMPARE(file.owner, QStringLiteral("root"));
        QCOMPARE(file.group, QStringLiteral("keepwatch"));
        QFile f(directory + QLatin1Char('/') + files.first());
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray content = f.readAll();
        QVERIFY(content.contains("\"type\":\"start\""));
        QVERIFY(content.contains("hello"));
        QVERIFY(content.contains("\"type\":\"end\""));
        // Nothing in root's private spool, and no note.
        QVERIFY(!QFileInfo::exists(privateSpool()));
        QVERIFY(!r.err.contains("note:"));
    }

    void rootWithoutSystemSpoolSaysHowToSetItUp() {
        const Run r = cli(QStringLiteral("run -- true"), env());
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(has(r.err, "note: this session goes to root's private spool "
                                + QFile::encodeName(privateSpool())),
                 r.err.constData());
        QVERIFY(r.err.contains("`keepwatch-cli system-spool init` lets group keepwatch watch"));
        QCOMPARE(r.err.count('\n'), 1); // one line
        QCOMPARE(sessionFiles(privateSpool()).size(), 1);
    }

    // A system unit without User= has no $HOME.
    void noHomeNeverWritesUnderSlash() {
        const bool slashLocalBefore = QFileInfo::exists(QStringLiteral("/.local"));
        QProcessEnvironment noHome = env();
        noHome.remove(QStringLiteral("HOME"));

        // With the system spool: there.
        initSystemSpool();
        Run r = cli(QStringLiteral("run -- true"), noHome);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(sessionFiles(m_root + QStringLiteral("/root")).size(), 1);

        // Without: root's home from the password database, never "/".
        const QString id = QStringLiteral("kw-nohome-") + QString::number(::getpid());
        r = cli(QStringLiteral("run --spool user --session-id %1 -- true").arg(id), noHome);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString expected = UserAccounts::homeOf(0)
                                 + QStringLiteral("/.local/state/keepwatch/spool/") + id
                                 + QStringLiteral(".jsonl");
        const bool written = QFileInfo::exists(expected);
        QFile::remove(expected); // root's real spool: leave nothing behind
        QVERIFY2(written, qPrintable(expected));
        if (!slashLocalBefore)
            QVERIFY(!QFileInfo::exists(QStringLiteral("/.local")));
    }

    void spoolOptionChooses_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<bool>("initFirst");
        QTest::addColumn<QString>("where"); // relative to the test's directory
        QTest::addColumn<QString>("mode");
        QTest::newRow("user, with a system spool")
            << "user" << true << "home/root/.local/state/keepwatch/spool"
            << "600";
        QTest::newRow("system") << "system" << true << "var/lib/keepwatch/spool/root"
                                << "640";
        QTest::newRow("a directory") << "DIR" << true << "elsewhere"
                                     << "600";
    }
    void spoolOptionChooses() {
        QFETCH(QString, option);
        QFETCH(bool, initFirst);
        QFETCH(QString, where);
        QFETCH(QString, mode);
        if (initFirst)
            initSystemSpool();
        const QString directory = m_dir.path() + QLatin1Char('/') + where;
        const QString value = option == QLatin1String("DIR") ? directory : option;
        const Run r = cli(
            QStringLiteral("run --spool '%1' --session-id kw-chosen -- true").arg(value), env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(sessionFiles(directory), QStringList{QStringLiteral("kw-chosen.jsonl")});
        QCOMPARE(modeText(factsOf(directory + QStringLiteral("/kw-chosen.jsonl")).mode), mode);
        QDir(m_dir.path() + QStringLiteral("/elsewhere")).removeRecursively();
    }

    void spoolSystemWithoutSetupIsAUsageError() {
        const Run r = cli(QStringLiteral("run --spool system -- true"), env());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("the system spool is not set up")
                     && r.err.contains("run `keepwatch-cli system-spool init` as root"),
                 r.err.constData());
    }

    // A service user root opted in records in its own directory there,
    // owned by it and read by the group; one root did not opt in is told how.
    void grantedServiceUserWritesToItsDirectory() {
        const QString user = addUser(QStringLiteral("kwtest-svc"));
        QVERIFY(!user.isEmpty());
        initSystemSpool();
        QProcessEnvironment serviceEnv = env();
        serviceEnv.remove(QStringLiteral("HOME")); // a system unit's

        // Not granted yet: --spool system says what root must run.
        Run r = shell(QStringLiteral("exec setpriv --reuid=%1 --regid=nogroup --clear-groups "
                                     "\"$CLI\" run --spool system -- true")
                          .arg(user),
                      serviceEnv);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(has(r.err, "root grants one with `keepwatch-cli system-spool grant "
                                + user.toUtf8() + "`"),
                 r.err.constData());

        r = cli(QStringLiteral("system-spool grant ") + user, env());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QString directory = m_root + QLatin1Char('/') + user;
        QVERIFY2(has(r.out, "created " + QFile::encodeName(directory) + " (2750 " + user.toUtf8()
                                + ":keepwatch)"),
                 r.out.constData());
        const FileFacts dir = factsOf(directory);
        QCOMPARE(dir.owner, user);
        QCOMPARE(modeText(dir.mode), QStringLiteral("2750"));

        r = shell(QStringLiteral("umask 077; exec setpriv --reuid=%1 --regid=nogroup "
                                 "--clear-groups \"$CLI\" run -- echo from-the-service")
                      .arg(user),
                  serviceEnv);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QStringList files = sessionFiles(directory);
        QCOMPARE(files.size(), 1);
        const FileFacts file = factsOf(directory + QLatin1Char('/') + files.first());
        QCOMPARE(file.owner, user);
        QCOMPARE(file.group, QStringLiteral("keepwatch"));
        QCOMPARE(modeText(file.mode), QStringLiteral("640"));

        r = cli(QStringLiteral("system-spool grant no-such-user-kw"), env());
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.err.contains("no user no-such-user-kw in the password database"));
    }

    void systemdRunRecordsItsInvocationId() {
        QProcessEnvironment unitEnv = env();
        const QString invocation = QStringLiteral("0123456789abcdef0123456789abcdef");
        unitEnv.insert(QStringLiteral("INVOCATION_ID"), invocation);
        const QString id = QStringLiteral("kw-unit-run");
        Run r = cli(QStringLiteral("run --spool user --session-id %1 -- true").arg(id), unitEnv);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(privateSpool() + QLatin1Char('/') + id + QStringLiteral(".jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray start = f.readLine();
        QVERIFY2(has(start, "\"invocation_id\":\"" + invocation.toLatin1() + '"'),
                 start.constData());

        // Not an invocation ID: not recorded as one.
        unitEnv.insert(QStringLiteral("INVOCATION_ID"), QStringLiteral("../../etc"));
        r = cli(QStringLiteral("run --spool user --session-id kw-not-a-unit -- true"), unitEnv);
        QCOMPARE(r.exitCode, 0);
        QFile g(privateSpool() + QStringLiteral("/kw-not-a-unit.jsonl"));
        QVERIFY(g.open(QIODevice::ReadOnly));
        QVERIFY(!g.readAll().contains("invocation_id"));
    }

    // A command that prints without end cannot fill the disk through the
    // spool: past the cap the session says "log truncated" and still ends.
    void logIsTruncatedAtTheCap() {
        QProcessEnvironment capped = env();
        capped.insert(QStringLiteral("KEEPWATCH_SPOOL_MAX_BYTES"), QStringLiteral("20000"));
        const QString id = QStringLiteral("kw-capped");
        const Run r =
            cli(QStringLiteral("run --spool user --session-id %1 -- seq 1 200000").arg(id), capped);
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.endsWith("\n200000\n")); // the command's own output is whole
        QFile f(privateSpool() + QLatin1Char('/') + id + QStringLiteral(".jsonl"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray content = f.readAll();
        QVERIFY2(content.size() < 20000 + 4096, QByteArray::number(content.size()).constData());
        QCOMPARE(content.count("log truncated: this session's spool file reached its cap of "
                               "20000 bytes"),
                 1);
        QVERIFY(!content.contains("\"msg\":\"200000\""));
        const QByteArray last = content.trimmed().split('\n').last();
        QVERIFY2(last.contains("\"type\":\"end\"") && last.contains("\"state\":\"succeeded\""),
                 last.constData());

        const Run bad = cli(QStringLiteral("run --spool user -- true"), [&] {
            QProcessEnvironment e = env();
            e.insert(QStringLiteral("KEEPWATCH_SPOOL_MAX_BYTES"), QStringLiteral("lots"));
            return e;
        }());
        QCOMPARE(bad.exitCode, 2);
        QVERIFY(bad.err.contains("KEEPWATCH_SPOOL_MAX_BYTES takes a number of bytes"));
    }
};

KW_TEST_GUILESS_MAIN(TestSystemSpoolWriter)
#include "tst_systemspoolwriter.moc"
