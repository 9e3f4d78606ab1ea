// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "format/shellquote.h"
#include "launch/launchcommand.h"
#include "launch/launchprofile.h"
#include "testmain.h"
#include "testsupport.h"
#include "tools/toolregistry.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;

namespace {

using Env = QMap<QString, QString>;

const QString kCli = QStringLiteral("/opt/keepwatch/bin/keepwatch-cli");
const QString kIndirect = QString(LaunchCommand::kIndirectCommand);

QStringList words(const char *text) {
    return QString::fromUtf8(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

LaunchProfile profile(const QString &tool, SessionKind kind) {
    LaunchProfile p;
    p.name = QStringLiteral("nightly");
    p.tool = tool;
    p.kind = kind;
    p.password = PasswordSource::file(QStringLiteral("/etc/keepwatch/pw"));
    if (tool == QLatin1String("restic")) {
        p.repository = QStringLiteral("/srv/restic");
        p.paths = kind == SessionKind::Restore
                      ? QStringList{QStringLiteral("4f2a9c1e")}
                      : QStringList{QStringLiteral("/home/ann"), QStringLiteral("/etc")};
    } else if (tool == QLatin1String("borg")) {
        p.repository = QStringLiteral("/srv/borg");
        p.paths = kind == SessionKind::Restore ? QStringList{QStringLiteral("nas-2026-01-31")}
                                               : QStringList{QStringLiteral("/home/ann")};
    } else {
        p.password = PasswordSource::none();
        p.repository = QStringLiteral("/mnt/nas/home");
        p.paths = kind == SessionKind::Restore ? QStringList{}
                                               : QStringList{QStringLiteral("/home/ann/")};
    }
    if (kind == SessionKind::Restore)
        p.restoreTarget = QStringLiteral("/tmp/restore");
    return p;
}

LaunchCommand build(const LaunchProfile &p) {
    LaunchOptions options;
    options.cliPath = kCli;
    return LaunchCommand::build(p, options);
}

// Runs a command line through /bin/sh and returns its stdout.
QByteArray runShell(const QString &script, const QProcessEnvironment &env = {}) {
    QProcess sh;
    if (!env.isEmpty())
        sh.setProcessEnvironment(env);
    sh.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), script});
    if (!sh.waitForFinished(10000) || sh.exitCode() != 0)
        return "<failed: " + sh.readAllStandardError() + '>';
    return sh.readAllStandardOutput();
}

struct ToolRun {
    int exitCode = -1;
    QByteArray output;
};

ToolRun runTool(const QStringList &argv, const QProcessEnvironment &env,
                const QString &workingDirectory = {}) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.setStandardInputFile(QProcess::nullDevice());
    if (!workingDirectory.isEmpty())
        p.setWorkingDirectory(workingDirectory);
    p.start(argv.first(), argv.mid(1));
    ToolRun r;
    if (!p.waitForFinished(120000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.output = p.readAll();
    return r;
}

// Names that try to escape their quotes.
const char *const kHostile[] = {
    "it's",
    "two  words",
    "$(touch PWNED)",
    "`touch PWNED`",
    "line\nbreak",
    "back\\slash",
    "'",
    "''",
    "\"double\"",
    "-dash",
    "trailing\\",
    "a'b\"c$d`e",
    "ünïcødé ☃",
    "*?[x]",
    "~",
    "$HOME",
    "semi;colon",
    "",
};

} // namespace

class TestLaunchCommand final : public QObject {
    Q_OBJECT

private slots:
    void toolCommand_data() {
        QTest::addColumn<LaunchProfile>("profile");
        QTest::addColumn<QStringList>("argv");
        QTest::addColumn<Env>("env");
        QTest::addColumn<QString>("workingDirectory");
        using K = SessionKind;
        const QString restic = QStringLiteral("restic");
        const QString borg = QStringLiteral("borg");
        const QString rsync = QStringLiteral("rsync");
        const Env resticFile{
            {QStringLiteral("RESTIC_PASSWORD_FILE"), QStringLiteral("/etc/keepwatch/pw")}};
        const Env borgFile{
            {QStringLiteral("BORG_PASSCOMMAND"), QStringLiteral("cat -- '/etc/keepwatch/pw'")}};

        QTest::newRow("restic backup")
            << profile(restic, K::Backup)
            << words("restic -r /srv/restic backup --json /home/ann /etc") << resticFile
            << QString();
        LaunchProfile p = profile(restic, K::Backup);
        p.extraArgs = QStringLiteral("--exclude \"*.tmp\" --tag \"night run\" --one-file-system");
        QTest::newRow("restic backup, extra args after the paths")
            << p
            << (words("restic -r /srv/restic backup --json /home/ann /etc --exclude *.tmp --tag")
                << QStringLiteral("night run") << QStringLiteral("--one-file-system"))
            << resticFile << QString();
        p = profile(restic, K::Restore);
        p.extraArgs = QStringLiteral("--verify");
        QTest::newRow("restic restore")
            << p << words("restic -r /srv/restic restore 4f2a9c1e --target /tmp/restore --verify")
            << resticFile << QString();

        QTest::newRow("borg create") << profile(borg, K::Backup)
                                     << words("borg create --log-json --progress --json --show-rc "
                                              "/srv/borg::{hostname}-{now} /home/ann")
                                     << borgFile << QString();
        p = profile(borg, K::Backup);
        p.paths << QStringLiteral("/etc");
        p.extraArgs = QStringLiteral("--compression lz4 --exclude-caches");
        QTest::newRow("borg create, extra options before the archive")
            << p
            << words("borg create --log-json --progress --json --show-rc --compression lz4 "
                     "--exclude-caches /srv/borg::{hostname}-{now} /home/ann /etc")
            << borgFile << QString();
        QTest::newRow("borg extract, into the target as working directory")
            << profile(borg, K::Restore)
            << words("borg extract --log-json --progress --show-rc /srv/borg::nas-2026-01-31")
            << borgFile << QStringLiteral("/tmp/restore");

        p = profile(rsync, K::Backup);
        p.paths << QStringLiteral("/data");
        p.extraArgs = QStringLiteral("--delete");
        QTest::newRow("rsync backup")
            << p << words("rsync -a --info=progress2 --delete /home/ann/ /data /mnt/nas/home")
            << Env() << QString();
        QTest::newRow("rsync restore of everything")
            << profile(rsync, K::Restore)
            << words("rsync -a --info=progress2 /mnt/nas/home/ /tmp/restore") << Env() << QString();
        p = profile(rsync, K::Restore);
        p.repository = QStringLiteral("nas:/backups/home/");
        p.paths = QStringList{QStringLiteral("ann/docs"), QStringLiteral("/bob")};
        p.restoreTarget = QStringLiteral("/home");
        QTest::newRow("rsync restore of items, relative to the backup")
            << p
            << words("rsync -a --info=progress2 nas:/backups/home/ann/docs nas:/backups/home/bob "
                     "/home")
            << Env() << QString();
    }
    void toolCommand() {
        QFETCH(LaunchProfile, profile);
        QFETCH(QStringList, argv);
        QFETCH(Env, env);
        QFETCH(QString, workingDirectory);
        const LaunchCommand c = build(profile);
        QVERIFY2(c.isValid(), qPrintable(c.error));
        QCOMPARE(c.program, kCli);
        QCOMPARE(c.toolCommand(), argv);
        QCOMPARE(c.environment, env);
        QCOMPARE(c.workingDirectory, workingDirectory);
    }

    void wrapperArguments() {
        LaunchProfile p = profile(QStringLiteral("restic"), SessionKind::Restore);
        p.title = QStringLiteral("Restore Ann's home");
        LaunchOptions options;
        options.cliPath = kCli;
        options.spoolDirectory = QStringLiteral("/run/user/1000/spool");
        options.sessionId = QStringLiteral("0b5e9d36-6c1c-4c4e-9a51-0d3c2c5e4b7a");
        const LaunchCommand c = LaunchCommand::build(p, options);
        QCOMPARE(
            c.arguments,
            (QStringList{QStringLiteral("run"), QStringLiteral("--tool"), QStringLiteral("restic"),
                         QStringLiteral("--kind"), QStringLiteral("restore"),
                         QStringLiteral("--title"), QStringLiteral("Restore Ann's home"),
                         QStringLiteral("--session-id"), options.sessionId, QStringLiteral("--")}
             + words("restic -r /srv/restic restore 4f2a9c1e --target /tmp/restore")));
        QCOMPARE(c.environment.value(QStringLiteral("KEEPWATCH_SPOOL")), options.spoolDirectory);
    }

    void titleFallsBackToProfileName() {
        LaunchProfile p = profile(QStringLiteral("rsync"), SessionKind::Backup);
        QCOMPARE(build(p).arguments.mid(0, 7),
                 words("run --tool rsync --kind backup --title nightly"));
        p.name.clear();
        QCOMPARE(build(p).arguments.mid(0, 6), words("run --tool rsync --kind backup --"));
    }

    void passwordNeverInArgv_data() {
        QTest::addColumn<QString>("tool");
        QTest::addColumn<PasswordSource>("password");
        QTest::addColumn<Env>("env");
        const QString file = QStringLiteral("/home/ann/.config/restic-pw");
        const QString command = QStringLiteral("pass show backup/nas | head -n1");
        QTest::newRow("restic file") << QStringLiteral("restic") << PasswordSource::file(file)
                                     << Env{{QStringLiteral("RESTIC_PASSWORD_FILE"), file}};
        QTest::newRow("restic command")
            << QStringLiteral("restic") << PasswordSource::command(command)
            << Env{{QStringLiteral("KEEPWATCH_PASSWORD_COMMAND"), command},
                   {QStringLiteral("RESTIC_PASSWORD_COMMAND"), kIndirect}};
        QTest::newRow("restic keyring")
            << QStringLiteral("restic") << PasswordSource::keyring()
            << Env{{QStringLiteral("KEEPWATCH_PASSWORD_COMMAND"),
                    QStringLiteral("secret-tool lookup keepwatch-profile 'nightly'")},
                   {QStringLiteral("RESTIC_PASSWORD_COMMAND"), kIndirect}};
        QTest::newRow("borg file") << QStringLiteral("borg") << PasswordSource::file(file)
                                   << Env{{QStringLiteral("BORG_PASSCOMMAND"),
                                           QStringLiteral("cat -- '/home/ann/.config/restic-pw'")}};
        QTest::newRow("borg command")
            << QStringLiteral("borg") << PasswordSource::command(command)
            << Env{{QStringLiteral("BORG_PASSCOMMAND"),
                    QStringLiteral("sh -c 'pass show backup/nas | head -n1'")}};
        QTest::newRow("borg keyring")
            << QStringLiteral("borg") << PasswordSource::keyring()
            << Env{{QStringLiteral("BORG_PASSCOMMAND"),
                    QStringLiteral("secret-tool lookup keepwatch-profile 'nightly'")}};
        QTest::newRow("borg without password (unencrypted repository)")
            << QStringLiteral("borg") << PasswordSource::none() << Env();
    }
    void passwordNeverInArgv() {
        QFETCH(QString, tool);
        QFETCH(PasswordSource, password);
        QFETCH(Env, env);
        for (const SessionKind kind : {SessionKind::Backup, SessionKind::Restore}) {
            LaunchProfile p = profile(tool, kind);
            p.password = password;
            const LaunchCommand c = build(p);
            QVERIFY2(c.isValid(), qPrintable(c.error));
            QCOMPARE(c.environment, env);
            for (const QString &arg : c.arguments) {
                if (!password.reference.isEmpty())
                    QVERIFY2(!arg.contains(password.reference), qPrintable(arg));
                QVERIFY2(!arg.contains(QLatin1String("secret-tool")), qPrintable(arg));
                QVERIFY2(!arg.contains(QLatin1String("PASS"), Qt::CaseInsensitive),
                         qPrintable(arg));
            }
            // What the tool would otherwise pick up from the caller is taken
            // out: its password variables are either set here or removed.
            if (password.type == PasswordSource::Type::None) {
                QVERIFY(c.removedEnvironment.isEmpty());
                continue;
            }
            const QStringList all =
                tool == QLatin1String("restic")
                    ? words("RESTIC_PASSWORD RESTIC_PASSWORD_COMMAND RESTIC_PASSWORD_FILE")
                    : words("BORG_PASSCOMMAND BORG_PASSPHRASE BORG_PASSPHRASE_FD");
            QStringList covered = c.removedEnvironment + c.environment.keys();
            covered.removeAll(QStringLiteral("KEEPWATCH_PASSWORD_COMMAND"));
            covered.sort();
            QCOMPARE(covered, all);
        }
    }

    void inheritedPasswordsAreReplaced() {
        QProcessEnvironment base;
        base.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        base.insert(QStringLiteral("RESTIC_PASSWORD"), QStringLiteral("from-the-desktop"));
        base.insert(QStringLiteral("RESTIC_PASSWORD_COMMAND"), QStringLiteral("old"));
        const LaunchCommand c = build(profile(QStringLiteral("restic"), SessionKind::Backup));
        const QProcessEnvironment env = c.processEnvironment(base);
        QCOMPARE(env.value(QStringLiteral("RESTIC_PASSWORD_FILE")),
                 QStringLiteral("/etc/keepwatch/pw"));
        QVERIFY(!env.contains(QStringLiteral("RESTIC_PASSWORD")));
        QVERIFY(!env.contains(QStringLiteral("RESTIC_PASSWORD_COMMAND")));
        QCOMPARE(env.value(QStringLiteral("PATH")), QStringLiteral("/usr/bin:/bin"));
    }

    void shellQuoteRoundTrips_data() {
        QTest::addColumn<QString>("text");
        int i = 0;
        for (const char *hostile : kHostile)
            QTest::addRow("%d: %s", i++, hostile) << QString::fromUtf8(hostile);
    }
    void shellQuoteRoundTrips() {
#ifdef Q_OS_WIN
        QSKIP("POSIX sh quoting: the password commands of borg and restic and the keyring "
              "lookup run through sh, which Windows does not have");
#endif
        QFETCH(QString, text);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        // Through a real /bin/sh, for both quoting styles; nothing is run
        // (no PWNED file), everything comes back byte for byte.
        const QString cd =
            QLatin1String("cd ") + ShellQuote::quote(dir.path()) + QLatin1String(" && ");
        QCOMPARE(runShell(cd + QLatin1String("printf %s ") + ShellQuote::quote(text)),
                 text.toUtf8());
        QCOMPARE(runShell(cd + QLatin1String("printf %s ") + ShellQuote::quoteIfNeeded(text)),
                 text.toUtf8());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("PWNED"))));
    }

    void borgPasscommandQuotesHostilePaths_data() {
        QTest::addColumn<QString>("fileName");
        int i = 0;
        for (const char *hostile : kHostile) {
            if (*hostile) // a file needs a name
                QTest::addRow("%d: %s", i, hostile) << QString::fromUtf8(hostile);
            ++i;
        }
    }
    void borgPasscommandQuotesHostilePaths() {
#ifdef Q_OS_WIN
        QSKIP("POSIX sh quoting: the password commands of borg and restic and the keyring "
              "lookup run through sh, which Windows does not have");
#endif
        QFETCH(QString, fileName);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.path() + QLatin1Char('/') + fileName;
        {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
            f.write("s3cret pass\n");
        }
        LaunchProfile p = profile(QStringLiteral("borg"), SessionKind::Backup);
        p.password = PasswordSource::file(path);
        const LaunchCommand c = build(p);
        const QString passcommand = c.environment.value(QStringLiteral("BORG_PASSCOMMAND"));
        QCOMPARE(passcommand, QLatin1String("cat -- ") + ShellQuote::quote(path));
        // A shell reads exactly the file back, and runs nothing else.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        QCOMPARE(runShell(QLatin1String("cd ") + ShellQuote::quote(dir.path())
                              + QLatin1String(" && ") + passcommand,
                          env),
                 QByteArray("s3cret pass\n"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("PWNED"))));
        for (const QString &arg : c.arguments)
            QVERIFY(!arg.contains(path));
    }

    void keyringLookupQuotesTheName() {
#ifdef Q_OS_WIN
        QSKIP("POSIX sh quoting: the password commands of borg and restic and the keyring "
              "lookup run through sh, which Windows does not have");
#endif
        const QString name = QStringLiteral("Ann's $(reboot) `id`\nprofile");
        QCOMPARE(LaunchCommand::keyringLookupCommand(name),
                 QStringLiteral("secret-tool lookup keepwatch-profile 'Ann'\\''s $(reboot) `id`\n"
                                "profile'"));
        // As the shell sees it: the name is one argument, whole.
        const QString echo = LaunchCommand::keyringLookupCommand(name).replace(
            QLatin1String("secret-tool lookup"), QLatin1String("printf '%s|%s'"));
        QCOMPARE(runShell(echo), QByteArray("keepwatch-profile|") + name.toUtf8());
    }

    // The real tools read the password the way build() hands it over, from
    // paths and commands a shell would misread if they were not quoted.
    void realBorgReadsPasscommand() {
        if (QStandardPaths::findExecutable(QStringLiteral("borg")).isEmpty())
            QSKIP("borg is not installed (scripts/install-deps.sh installs it)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString secrets = dir.filePath(QStringLiteral("it's a $(touch PWNED) dir\n"));
        QVERIFY(QDir().mkpath(secrets));
        const QString pwFile = secrets + QStringLiteral("/pass word 'file'");
        {
            QFile f(pwFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("correct horse battery staple");
        }
        LaunchProfile p = profile(QStringLiteral("borg"), SessionKind::Backup);
        p.repository = dir.filePath(QStringLiteral("repo"));
        p.paths = QStringList{dir.filePath(QStringLiteral("data"))};
        QVERIFY(QDir().mkpath(p.paths.first()));
        QFile data(p.paths.first() + QStringLiteral("/hello.txt"));
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write("hello\n");
        data.close();
        p.password = PasswordSource::file(pwFile);
        const LaunchCommand c = build(p);
        QVERIFY2(c.isValid(), qPrintable(c.error));

        QProcessEnvironment env = c.processEnvironment(QProcessEnvironment::systemEnvironment());
        env.insert(QStringLiteral("BORG_BASE_DIR"), dir.filePath(QStringLiteral("borg-home")));
        env.insert(QStringLiteral("BORG_DISPLAY_PASSPHRASE"), QStringLiteral("no"));
        ToolRun init = runTool({QStringLiteral("borg"), QStringLiteral("init"),
                                QStringLiteral("--encryption=repokey"), p.repository},
                               env, dir.path());
        QVERIFY2(init.exitCode == 0, init.output.constData());
        // The very command the session would run, minus the wrapper.
        ToolRun create = runTool(c.toolCommand(), env, dir.path());
        QVERIFY2(create.exitCode == 0, create.output.constData());
        // And with the command source, through sh -c.
        p.password = PasswordSource::command(QLatin1String("cat ") + ShellQuote::quote(pwFile));
        env = build(p).processEnvironment(env);
        ToolRun list = runTool({QStringLiteral("borg"), QStringLiteral("list"), p.repository}, env,
                               dir.path());
        QVERIFY2(list.exitCode == 0, list.output.constData());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("PWNED"))));
    }

    void realResticReadsPasswordFileAndCommand() {
        if (QStandardPaths::findExecutable(QStringLiteral("restic")).isEmpty())
            QSKIP("restic is not installed (scripts/install-deps.sh installs it)");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString secrets = dir.filePath(QStringLiteral("it's \"a\" $(touch PWNED) dir\\"));
        QVERIFY(QDir().mkpath(secrets));
        const QString pwFile = secrets + QStringLiteral("/pass word 'file'");
        {
            QFile f(pwFile);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("correct horse battery staple\n");
        }
        QProcessEnvironment base = QProcessEnvironment::systemEnvironment();
        base.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
        base.remove(QStringLiteral("RESTIC_REPOSITORY"));

        LaunchProfile p = profile(QStringLiteral("restic"), SessionKind::Backup);
        p.repository = dir.filePath(QStringLiteral("repo"));
        p.paths = QStringList{secrets};
        p.password = PasswordSource::file(pwFile);
        QProcessEnvironment env = build(p).processEnvironment(base);
        ToolRun init = runTool(
            {QStringLiteral("restic"), QStringLiteral("init"), QStringLiteral("-r"), p.repository},
            env, dir.path());
        QVERIFY2(init.exitCode == 0, init.output.constData());
        ToolRun backup = runTool(build(p).toolCommand(), env, dir.path());
        QVERIFY2(backup.exitCode == 0, backup.output.constData());

        // A shell command (a pipe, a hostile path) through KEEPWATCH_PASSWORD_COMMAND.
        p.password = PasswordSource::command(QLatin1String("cat -- ") + ShellQuote::quote(pwFile)
                                             + QLatin1String(" | head -n 1"));
        env = build(p).processEnvironment(base);
        QVERIFY(!env.contains(QStringLiteral("RESTIC_PASSWORD_FILE")));
        ToolRun snapshots = runTool({QStringLiteral("restic"), QStringLiteral("-r"), p.repository,
                                     QStringLiteral("snapshots")},
                                    env, dir.path());
        QVERIFY2(snapshots.exitCode == 0, snapshots.output.constData());
        QVERIFY2(snapshots.output.contains("1 snapshots"), snapshots.output.constData());
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("PWNED"))));
    }

    void validation_data() {
        QTest::addColumn<LaunchProfile>("profile");
        QTest::addColumn<QString>("error");
        using K = SessionKind;
        const QString restic = QStringLiteral("restic");
        const QString borg = QStringLiteral("borg");
        const QString rsync = QStringLiteral("rsync");
        LaunchProfile p;

        p = profile(restic, K::Backup);
        p.tool = QStringLiteral("duplicity");
        QTest::newRow("unknown tool")
            << p << QStringLiteral("Unknown tool \"duplicity\": choose restic, borg or rsync.");
        p.tool.clear();
        QTest::newRow("no tool") << p << QStringLiteral("Choose a tool: restic, borg or rsync.");
        p = profile(restic, K::Verify);
        QTest::newRow("kind")
            << p << QStringLiteral("Only backup and restore sessions can be launched, not verify.");
        p = profile(restic, K::Backup);
        p.repository = QStringLiteral("  ");
        QTest::newRow("restic repository") << p << QStringLiteral("Enter the restic repository.");
        p.tool = borg;
        QTest::newRow("borg repository") << p << QStringLiteral("Enter the borg repository.");
        p = profile(rsync, K::Backup);
        p.repository.clear();
        QTest::newRow("rsync destination") << p << QStringLiteral("Enter the rsync destination.");
        p.kind = K::Restore;
        QTest::newRow("rsync source")
            << p << QStringLiteral("Enter the rsync backup location to restore from.");
        p = profile(borg, K::Backup);
        p.repository = QStringLiteral("/srv/borg::archive");
        QTest::newRow("borg repository with archive")
            << p
            << QStringLiteral("Enter the borg repository without an archive name (no \"::\").");
        p = profile(restic, K::Backup);
        p.paths.clear();
        QTest::newRow("no paths") << p << QStringLiteral("Add at least one path to back up.");
        p.paths = QStringList{QStringLiteral("/a"), QString()};
        QTest::newRow("empty path") << p << QStringLiteral("Path 2 is empty.");
        p.paths = QStringList{QStringLiteral("--delete")};
        QTest::newRow("option-like path")
            << p
            << QStringLiteral("\"--delete\" starts with \"-\" and would be read as an option; "
                              "write ./--delete instead.");
        p = profile(restic, K::Backup);
        p.extraArgs = QStringLiteral("--exclude '*.tmp'");
        QTest::newRow("single quotes in extra args")
            << p
            << QStringLiteral(
                   "Extra arguments are grouped with double quotes, not single ones: '*.tmp'.");
        p.extraArgs = QStringLiteral("--tag \"Ann's files\"");
        QTest::newRow("a single quote inside double quotes") << p << QString();
        p = profile(restic, K::Restore);
        p.paths.clear();
        QTest::newRow("restore without snapshot")
            << p << QStringLiteral("Enter the ID of the snapshot to restore (or \"latest\").");
        p.paths = QStringList{QStringLiteral("a"), QStringLiteral("b")};
        QTest::newRow("two snapshots")
            << p << QStringLiteral("Enter one snapshot ID: a restore reads one snapshot.");
        p = profile(borg, K::Restore);
        p.paths.clear();
        QTest::newRow("restore without archive")
            << p << QStringLiteral("Enter the name of the archive to restore.");
        p = profile(borg, K::Restore);
        p.restoreTarget.clear();
        QTest::newRow("restore without target")
            << p << QStringLiteral("Choose the directory to restore into.");
        p.restoreTarget = QStringLiteral("restore/here");
        QTest::newRow("relative target")
            << p << QStringLiteral("The restore target must be an absolute path.");
        p = profile(rsync, K::Restore);
        p.restoreTarget = QStringLiteral("nas:/restore");
        QTest::newRow("rsync restores to another host") << p << QString();
        p = profile(restic, K::Backup);
        p.password = PasswordSource::none();
        QTest::newRow("restic without password")
            << p
            << QStringLiteral("restic needs the repository password: choose a password file, a "
                              "password command or the keyring.");
        p.password = PasswordSource::file(QString());
        QTest::newRow("no password file") << p << QStringLiteral("Choose the password file.");
        p.password = PasswordSource::command(QStringLiteral(" "));
        QTest::newRow("no password command")
            << p << QStringLiteral("Enter the command that prints the password.");
        p.password = PasswordSource::keyring();
        p.name.clear();
        QTest::newRow("keyring without a name")
            << p
            << QStringLiteral(
                   "Name the profile: the keyring keeps the password under the profile name.");
        p = profile(rsync, K::Backup);
        p.password = PasswordSource::keyring();
        QTest::newRow("rsync with password")
            << p
            << QStringLiteral(
                   "rsync uses no repository password: set the password source to None.");
    }
    void validation() {
        QFETCH(LaunchProfile, profile);
        QFETCH(QString, error);
        QCOMPARE(LaunchCommand::validate(profile), error);
        const LaunchCommand c = build(profile);
        QCOMPARE(c.error, error);
        QCOMPARE(c.isValid(), error.isEmpty());
        if (!error.isEmpty()) {
            QVERIFY(c.arguments.isEmpty());
            QVERIFY(c.displayText().isEmpty());
        }
    }

    // Adding a launchable tool is its folder and its registration: the
    // launch reads the tool's words, rules and password hand-over from its
    // profile, never from a list of its own.
    void launchableToolsComeFromTheirProfiles() {
        QStringList withForm;
        for (const ToolProfile *tool : ToolRegistry::profiles()) {
            const LaunchForm *form = tool->launchForm();
            if (!form)
                continue;
            withForm << tool->name();
            for (const char *text :
                 {form->repositoryLabel, form->restoreRepositoryLabel, form->repositoryPlaceholder,
                  form->repositoryMissing, form->restoreRepositoryMissing, form->restoreItemsLabel,
                  form->restoreItemsPlaceholder})
                QVERIFY2(text && *text, qPrintable(tool->name()));
            QCOMPARE(bool(form->repositoryForbidden), bool(form->repositoryForbiddenMessage));
            QVERIFY2(!tool->launchArguments({}).isEmpty(), qPrintable(tool->name()));

            // Whatever a password source becomes, it only replaces the
            // tool's own password variables (plus Keepwatch's indirection).
            const QStringList allowed = tool->passwordVariables()
                                        << QStringLiteral("KEEPWATCH_PASSWORD_COMMAND");
            for (auto kind : {PasswordDelivery::Kind::File, PasswordDelivery::Kind::ShellCommand,
                              PasswordDelivery::Kind::LookupCommand}) {
                const Env env = tool->passwordEnvironment({kind, QStringLiteral("/etc/pw")});
                QCOMPARE(env.isEmpty(), tool->passwordVariables().isEmpty());
                for (auto it = env.cbegin(); it != env.cend(); ++it)
                    QVERIFY2(allowed.contains(it.key()), qPrintable(it.key()));
            }
        }
        QCOMPARE(LaunchProfile::supportedTools(), withForm);
        QCOMPARE(withForm, (QStringList{QStringLiteral("restic"), QStringLiteral("borg"),
                                        QStringLiteral("rsync")}));
        // A known tool without a launch form is refused like an unknown one.
        LaunchProfile p = profile(QStringLiteral("restic"), SessionKind::Backup);
        p.tool = QStringLiteral("kopia");
        QCOMPARE(LaunchCommand::validate(p),
                 QStringLiteral("Unknown tool \"kopia\": choose restic, borg or rsync."));
    }

    void displayText() {
        LaunchProfile p = profile(QStringLiteral("borg"), SessionKind::Restore);
        p.repository = QStringLiteral("/srv/my borg");
        p.title = QStringLiteral("Restore photos");
        p.password = PasswordSource::file(QStringLiteral("/etc/kw/pw"));
        LaunchOptions options;
        options.cliPath = kCli;
        options.sessionId = QStringLiteral("abc-1");
        QCOMPARE(LaunchCommand::build(p, options).displayText(),
                 QStringLiteral("cd /tmp/restore && BORG_PASSCOMMAND='cat -- '\\''/etc/kw/pw'\\''' "
                                "/opt/keepwatch/bin/keepwatch-cli run --tool borg --kind restore "
                                "--title 'Restore photos' --session-id abc-1 -- borg extract "
                                "--log-json --progress --show-rc '/srv/my borg::nas-2026-01-31'"));
        // For reading: the same words, broken where the parts meet.
        QCOMPARE(
            LaunchCommand::build(p, options).displayText(LaunchCommand::Layout::MultiLine),
            QStringLiteral("cd /tmp/restore && BORG_PASSCOMMAND='cat -- '\\''/etc/kw/pw'\\''' \\\n"
                           "    /opt/keepwatch/bin/keepwatch-cli run --tool borg --kind restore "
                           "--title 'Restore photos' --session-id abc-1 -- \\\n"
                           "    borg extract --log-json --progress --show-rc "
                           "'/srv/my borg::nas-2026-01-31'"));
        // Without environment or working directory, the program comes first.
        p = profile(QStringLiteral("rsync"), SessionKind::Backup);
        p.name.clear();
        QCOMPARE(LaunchCommand::build(p, options).displayText(LaunchCommand::Layout::MultiLine),
                 QStringLiteral("/opt/keepwatch/bin/keepwatch-cli run --tool rsync --kind backup "
                                "--session-id abc-1 -- \\\n"
                                "    rsync -a --info=progress2 /home/ann/ /mnt/nas/home"));
    }

    // The window and the first start launch through startDetached: in the
    // command's directory, with its environment (and without what it
    // removes), reading nothing, and outliving the caller.
    void startsDetachedWithItsDirectoryAndEnvironment() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        LaunchCommand c;
        c.program = QStringLiteral("/bin/sh");
        // `cat` would wait forever on a terminal; on the null device it ends at once.
        c.arguments = {QStringLiteral("-c"),
                       QStringLiteral("cat; echo \"$KW_SET:${KW_REMOVED-gone}\" > \"$PWD/out.tmp\" "
                                      "&& mv out.tmp out")};
        c.workingDirectory = dir.path();
        c.environment.insert(QStringLiteral("KW_SET"), QStringLiteral("set"));
        c.removedEnvironment = {QStringLiteral("KW_REMOVED")};
        QProcessEnvironment base;
        base.insert(QStringLiteral("PATH"), QStringLiteral("/usr/bin:/bin"));
        base.insert(QStringLiteral("KW_REMOVED"), QStringLiteral("inherited"));
        QString error;
        const qint64 pid = c.startDetached(base, &error);
        QVERIFY2(pid > 0, qPrintable(error));
        QFile out(dir.filePath(QStringLiteral("out")));
        QTRY_VERIFY_WITH_TIMEOUT(out.exists(), 10000);
        QVERIFY(out.open(QIODevice::ReadOnly));
        QCOMPARE(out.readAll(), QByteArray("set:gone\n"));

        LaunchCommand missing;
        missing.program = dir.filePath(QStringLiteral("no-such-program"));
        QCOMPARE(missing.startDetached(base, &error), 0);
        QVERIFY2(!error.isEmpty(), "says why it could not start");
    }

    void locatesCliBesideThenOnPath() {
        QTemporaryDir beside, onPath, empty;
        QVERIFY(beside.isValid() && onPath.isValid() && empty.isValid());
#ifdef Q_OS_WIN
        const QString cli = QStringLiteral("/keepwatch-cli.exe");
#else
        const QString cli = QStringLiteral("/keepwatch-cli");
#endif
        auto makeCli = [&cli](const QString &dir, bool executable) {
            QFile f(dir + cli);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\n");
            f.close();
            QFileDevice::Permissions perms = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
            if (executable)
                perms |= QFileDevice::ExeOwner;
            QVERIFY(f.setPermissions(perms));
        };
        makeCli(beside.path(), true);
        makeCli(onPath.path(), true);
        QCOMPARE(LaunchCommand::locateCli(beside.path(), {onPath.path()}), beside.path() + cli);
        QCOMPARE(LaunchCommand::locateCli(empty.path(), {onPath.path()}), onPath.path() + cli);
        QCOMPARE(LaunchCommand::locateCli(QString(), {onPath.path()}), onPath.path() + cli);
        QCOMPARE(LaunchCommand::locateCli(empty.path(), {empty.path()}), QString());
#ifndef Q_OS_WIN // Windows: a .exe is executable by its name, there are no mode bits
        // Not executable: not a candidate.
        makeCli(empty.path(), false);
        QCOMPARE(LaunchCommand::locateCli(empty.path(), {empty.path()}), QString());
#endif
    }
};

KW_TEST_GUILESS_MAIN(TestLaunchCommand)
#include "tst_launchcommand.moc"
