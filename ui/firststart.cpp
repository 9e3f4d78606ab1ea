// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "firststart.h"

#include "launch/launchcommand.h"
#include "launch/launchprofile.h"
#include "platform/nativefile.h"
#include "protocol/sessionid.h"
#include "spool/spoollocation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace kw {

namespace {

constexpr int kPasswordBytes = 24;
constexpr int kErrorTailChars = 400;

QString defaultSampleSource() {
    for (const char *dir : {"/usr/share/doc", "/usr/share/common-licenses"}) {
        QString path = QString::fromLatin1(dir);
        if (QFileInfo(path).isDir())
            return path;
    }
    return QDir::homePath();
}

} // namespace

FirstStart::FirstStart(const QString &spoolDirectory, QWidget *parent)
    : QWidget(parent)
    , m_spoolDirectory(spoolDirectory)
    , m_sampleSource(defaultSampleSource())
    , m_restic(QStandardPaths::findExecutable(QStringLiteral("restic"))) {
    setObjectName(QStringLiteral("firstStart"));
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);

    // The explanation keeps the name the window's tests and users know.
    auto *hint = new QLabel(this);
    hint->setObjectName(QStringLiteral("emptyHint"));
    hint->setAlignment(Qt::AlignCenter);
    hint->setWordWrap(true);
    hint->setTextFormat(Qt::RichText);
    hint->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    hint->setText(tr("<h3>No sessions yet</h3>"
                     "<p>Backup and restore sessions appear here as soon as they start.<br>"
                     "Run any command through the Keepwatch wrapper:</p>"
                     "<p><code>keepwatch-cli run -- &lt;command&gt;</code></p>"
                     "<p>for example <code>keepwatch-cli run -- restic -r /srv/restic backup "
                     "~/Documents</code><br>in a terminal, a cron job or a systemd unit,</p>"
                     "<p>or launch one from here: <b>Session → New Session…</b> (Ctrl+N)</p>"
                     "<p>Watching the spool directory <code>%1</code></p>")
                      .arg(QDir::toNativeSeparators(m_spoolDirectory).toHtmlEscaped()));

    m_newSessionButton = new QPushButton(tr("&New Session…"), this);
    m_newSessionButton->setObjectName(QStringLiteral("firstStartNewSession"));
    connect(m_newSessionButton, &QPushButton::clicked, this, &FirstStart::newSessionRequested);

    m_sampleButton = new QPushButton(tr("Run a &Sample Backup"), this);
    m_sampleButton->setObjectName(QStringLiteral("sampleBackup"));
    connect(m_sampleButton, &QPushButton::clicked, this, &FirstStart::startSample);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("sampleStatus"));
    m_status->setAlignment(Qt::AlignCenter);
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    if (m_restic.isEmpty()) {
        m_sampleButton->setEnabled(false);
        showStatus(tr("The sample backup needs restic, which is not installed "
                      "(Debian and Ubuntu: sudo apt install restic)."),
                   false);
    } else {
        showStatus(tr("The sample backs up %1 with restic into a scratch repository in %2.")
                       .arg(QDir::toNativeSeparators(m_sampleSource),
                            QDir::toNativeSeparators(sampleDirectory())),
                   false);
    }

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_newSessionButton);
    buttons->addWidget(m_sampleButton);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->addStretch();
    layout->addWidget(hint);
    layout->addLayout(buttons);
    layout->addWidget(m_status);
    layout->addStretch();
}

FirstStart::~FirstStart() {
    // A repository half initialised is worse than none: let init finish on
    // its own if the window goes away (restic is quick to init).
    if (m_init && m_init->state() != QProcess::NotRunning) {
        m_init->disconnect(this);
        m_init->setParent(nullptr);
        connect(m_init, &QProcess::finished, m_init, &QObject::deleteLater);
    }
}

QString FirstStart::sampleDirectory() const {
    return SpoolLocation::stateDirectory() + QLatin1String("/sample");
}

QString FirstStart::statusText() const {
    return m_status->text();
}

void FirstStart::showStatus(const QString &text, bool error) {
    m_status->setText(text);
    QPalette p = palette();
    if (error)
        p.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_status->setPalette(p);
}

QString FirstStart::ensurePasswordFile(const QString &path) const {
    if (QFileInfo::exists(path))
        return {};
    // Private from the first byte (0600, or the user alone in its ACL),
    // written after.
    NativeFile file;
    if (!file.open(path, NativeFile::Mode::CreateNew))
        return tr("Cannot create the password file %1.").arg(path);
    QByteArray password(kPasswordBytes, Qt::Uninitialized);
    QRandomGenerator::system()->generate(password.begin(), password.end());
    const QByteArray text = password.toBase64(QByteArray::Base64UrlEncoding) + '\n';
    const bool ok = file.append(text.constData(), text.size());
    file.close();
    if (!ok) {
        QFile::remove(path);
        return tr("Cannot write the password file %1.").arg(path);
    }
    return {};
}

LaunchCommand FirstStart::sampleCommand(const QString &sessionId) const {
    const QString dir = sampleDirectory();
    LaunchProfile profile;
    profile.name = tr("Sample backup");
    profile.tool = QStringLiteral("restic");
    profile.kind = SessionKind::Backup;
    profile.repository = dir + QLatin1String("/repository");
    profile.paths = {m_sampleSource};
    profile.title = tr("Sample backup of %1").arg(m_sampleSource);
    profile.password = PasswordSource::file(dir + QLatin1String("/password"));
    LaunchOptions options;
    options.cliPath = m_cliProgram;
    options.spoolDirectory = m_spoolDirectory;
    options.sessionId = sessionId;
    return LaunchCommand::build(profile, options);
}

void FirstStart::startSample() {
    if (m_restic.isEmpty() || (m_init && m_init->state() != QProcess::NotRunning))
        return;
    m_sessionId = SessionId::generate();
    m_command = sampleCommand(m_sessionId);
    if (!m_command.isValid()) {
        showStatus(m_command.error, true);
        return;
    }
    const QString dir = sampleDirectory();
    QString error = SpoolLocation::ensureDirectory(dir);
    if (error.isEmpty())
        error = ensurePasswordFile(dir + QLatin1String("/password"));
    if (!error.isEmpty()) {
        showStatus(error, true);
        return;
    }
    const QString repository = dir + QLatin1String("/repository");
    if (QFileInfo::exists(repository + QLatin1String("/config"))) {
        launchBackup(); // initialised by an earlier sample
        return;
    }
    m_sampleButton->setEnabled(false);
    showStatus(tr("Creating the sample repository %1…").arg(QDir::toNativeSeparators(repository)),
               false);
    if (!m_init) {
        m_init = new QProcess(this);
        connect(m_init, &QProcess::finished, this, &FirstStart::onInitFinished);
        connect(m_init, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                onInitFinished(-1, QProcess::CrashExit);
        });
    }
    // The backup's own environment: the same password file reference, the
    // caller's other restic password variables removed.
    m_init->setProgram(m_restic);
    m_init->setArguments({QStringLiteral("init"), QStringLiteral("--repo"), repository});
    m_init->setProcessEnvironment(
        m_command.processEnvironment(QProcessEnvironment::systemEnvironment()));
    m_init->setStandardInputFile(QProcess::nullDevice());
    m_init->setProcessChannelMode(QProcess::MergedChannels);
    m_init->start();
}

void FirstStart::onInitFinished(int exitCode, QProcess::ExitStatus status) {
    m_sampleButton->setEnabled(true);
    if (status != QProcess::NormalExit || exitCode != 0) {
        const QString output = QString::fromLocal8Bit(m_init->readAll()).trimmed();
        showStatus(
            tr("restic could not create the sample repository: %1")
                .arg(output.isEmpty() ? m_init->errorString() : output.right(kErrorTailChars)),
            true);
        return;
    }
    launchBackup();
}

void FirstStart::launchBackup() {
    QString error;
    const qint64 pid = m_command.startDetached(QProcessEnvironment::systemEnvironment(), &error);
    if (pid == 0) {
        showStatus(tr("Could not start %1: %2").arg(m_command.program, error), true);
        return;
    }
    showStatus(tr("The sample backup is running as session %1.").arg(m_sessionId), false);
    emit sampleLaunched(m_sessionId, pid);
}

} // namespace kw
