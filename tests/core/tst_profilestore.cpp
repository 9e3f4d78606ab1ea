// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/launchprofile.h"
#include "launch/profilestore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace kw;

namespace {

LaunchProfile fullProfile() {
    LaunchProfile p;
    p.name = QStringLiteral("Photos to NAS");
    p.tool = QStringLiteral("borg");
    p.kind = SessionKind::Backup;
    p.repository = QStringLiteral("ssh://backup@nas/./photos");
    p.paths = {QStringLiteral("/home/ann/Pictures"), QStringLiteral("/srv/photos, raw")};
    p.extraArgs = QStringLiteral("--compression lz4 --exclude '*.tmp'");
    p.title = QStringLiteral("Nightly photos");
    p.password = PasswordSource::file(QStringLiteral("/home/ann/.config/borg-pass"));
    return p;
}

} // namespace

class TestProfileStore final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QSettings> m_settings;

    QString settingsFile() const { return m_dir->filePath(QStringLiteral("keepwatch.conf")); }
    void reopen() {
        m_settings.reset();
        m_settings = std::make_unique<QSettings>(settingsFile(), QSettings::IniFormat);
    }

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        reopen();
    }
    void cleanup() {
        m_settings.reset();
        m_dir.reset();
    }

    void roundTrip_data() {
        QTest::addColumn<LaunchProfile>("profile");
        LaunchProfile p = fullProfile();
        QTest::newRow("borg backup, password file") << p;
        p = fullProfile();
        p.name = QStringLiteral("home/ann: 100% \"weird\" [name] ü\\x");
        p.tool = QStringLiteral("restic");
        p.kind = SessionKind::Restore;
        p.paths = {QStringLiteral("latest")};
        p.restoreTarget = QStringLiteral("/tmp/restore here");
        p.password = PasswordSource::command(QStringLiteral("pass show 'restic/nas' | head -n1"));
        QTest::newRow("restic restore, command, odd name") << p;
        p = fullProfile();
        p.password = PasswordSource::keyring();
        p.paths = {QStringLiteral("one, with a comma")};
        QTest::newRow("keyring, one path with a comma") << p;
        p = fullProfile();
        p.tool = QStringLiteral("rsync");
        p.kind = SessionKind::Restore;
        p.paths.clear();
        p.extraArgs.clear();
        p.title.clear();
        p.password = PasswordSource::none();
        p.restoreTarget = QStringLiteral("nas:/restore");
        QTest::newRow("rsync restore, nothing optional") << p;
        p = fullProfile();
        p.paths = {QStringLiteral("line\nbreak"), QStringLiteral("tab\there"), QString()};
        QTest::newRow("paths with control characters") << p;
    }
    void roundTrip() {
        QFETCH(LaunchProfile, profile);
        ProfileStore store(*m_settings);
        QCOMPARE(store.save(profile), QString());
        reopen(); // from the file, not QSettings' cache
        ProfileStore again(*m_settings);
        QCOMPARE(again.names(), QStringList{profile.name});
        const std::optional<LaunchProfile> loaded = again.load(profile.name);
        QVERIFY(loaded);
        QCOMPARE(loaded->name, profile.name);
        QCOMPARE(loaded->tool, profile.tool);
        QCOMPARE(loaded->kind, profile.kind);
        QCOMPARE(loaded->repository, profile.repository);
        QCOMPARE(loaded->paths, profile.paths);
        QCOMPARE(loaded->restoreTarget, profile.restoreTarget);
        QCOMPARE(loaded->extraArgs, profile.extraArgs);
        QCOMPARE(loaded->title, profile.title);
        QCOMPARE(int(loaded->password.type), int(profile.password.type));
        QCOMPARE(loaded->password.reference, profile.password.reference);
        QVERIFY(*loaded == profile);
    }

    void namesAreSortedAndSaveReplaces() {
        ProfileStore store(*m_settings);
        for (const char *name : {"zeta", "Alpha", "beta"}) {
            LaunchProfile p = fullProfile();
            p.name = QString::fromUtf8(name);
            QCOMPARE(store.save(p), QString());
        }
        QCOMPARE(store.names(), (QStringList{QStringLiteral("Alpha"), QStringLiteral("beta"),
                                             QStringLiteral("zeta")}));
        // Saving again under the same name replaces, leaving no stale keys.
        LaunchProfile p = fullProfile();
        p.name = QStringLiteral("beta");
        p.password = PasswordSource::command(QStringLiteral("pass show borg"));
        QCOMPARE(store.save(p), QString());
        QCOMPARE(store.names().size(), 3);
        QCOMPARE(*store.load(QStringLiteral("beta")), p);
        m_settings->beginGroup(QStringLiteral("profiles/beta"));
        QVERIFY(!m_settings->contains(QStringLiteral("passwordFile")));
        m_settings->endGroup();
        QCOMPARE(store.loadAll().size(), 3);
    }

    void removal() {
        ProfileStore store(*m_settings);
        LaunchProfile a = fullProfile();
        LaunchProfile b = fullProfile();
        b.name = QStringLiteral("with/slash");
        QCOMPARE(store.save(a), QString());
        QCOMPARE(store.save(b), QString());
        QVERIFY(store.remove(b.name));
        QVERIFY(!store.remove(b.name));
        QVERIFY(!store.remove(QStringLiteral("never saved")));
        QVERIFY(!store.load(b.name));
        reopen();
        ProfileStore again(*m_settings);
        QCOMPARE(again.names(), QStringList{a.name});
        QVERIFY(again.remove(a.name));
        QVERIFY(again.names().isEmpty());
    }

    void refusesNamelessProfile() {
        ProfileStore store(*m_settings);
        LaunchProfile p = fullProfile();
        p.name = QStringLiteral("  ");
        QCOMPARE(store.save(p), QStringLiteral("Give the profile a name."));
        QVERIFY(store.names().isEmpty());
        QVERIFY(!store.load(QString()));
    }

    void unknownValuesLoadAsSomethingLaunchRefuses() {
        m_settings->setValue(QStringLiteral("profiles/old/name"), QStringLiteral("old"));
        m_settings->setValue(QStringLiteral("profiles/old/kind"), QStringLiteral("teleport"));
        m_settings->setValue(QStringLiteral("profiles/old/passwordSource"),
                             QStringLiteral("sticky-note"));
        ProfileStore store(*m_settings);
        const std::optional<LaunchProfile> p = store.load(QStringLiteral("old"));
        QVERIFY(p);
        QCOMPARE(p->kind, SessionKind::Other);
        QCOMPARE(int(p->password.type), int(PasswordSource::Type::None));
    }

    // The settings hold where a password comes from, never the password: a
    // profile has no field for one, every key written is one of a known list,
    // and the password a file or the keyring holds never reaches the file.
    void writesNoSecret() {
        const QByteArray secret = "correct horse battery staple";
        QFile pw(m_dir->filePath(QStringLiteral("pw")));
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write(secret);
        pw.close();

        ProfileStore store(*m_settings);
        LaunchProfile p = fullProfile();
        p.password = PasswordSource::file(pw.fileName());
        QCOMPARE(store.save(p), QString());
        p.name = QStringLiteral("by command");
        p.password = PasswordSource::command(QStringLiteral("cat ") + pw.fileName());
        QCOMPARE(store.save(p), QString());
        p.name = QStringLiteral("in keyring");
        p.password = PasswordSource::keyring();
        QCOMPARE(store.save(p), QString());
        m_settings->sync();

        QFile file(settingsFile());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QVERIFY(!content.isEmpty());
        QVERIFY(!content.contains(secret));
        QVERIFY(content.contains(QFile::encodeName(pw.fileName())));

        const QStringList allowed = ProfileStore::keys();
        m_settings->beginGroup(ProfileStore::groupName());
        const QStringList groups = m_settings->childGroups();
        QCOMPARE(groups.size(), 3);
        for (const QString &group : groups) {
            m_settings->beginGroup(group);
            for (const QString &key : m_settings->allKeys()) {
                QVERIFY2(allowed.contains(key), qPrintable(key));
                QVERIFY(!m_settings->value(key).toString().toUtf8().contains(secret));
            }
            m_settings->endGroup();
        }
        m_settings->endGroup();
        // The only password-named keys say where it comes from.
        for (const QString &key : allowed) {
            if (key.contains(QLatin1String("password"), Qt::CaseInsensitive))
                QVERIFY2(key == QLatin1String("passwordSource")
                             || key == QLatin1String("passwordFile")
                             || key == QLatin1String("passwordCommand"),
                         qPrintable(key));
        }
    }
};

KW_TEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
