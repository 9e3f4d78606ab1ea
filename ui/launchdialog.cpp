// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launchdialog.h"

#include "launch/profilestore.h"
#include "launch/secrettoolkeyring.h"
#include "protocol/sessionid.h"
#include "tools/toolregistry.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace kw {

namespace {

// Whether the tool reads a repository password (rsync does not).
bool takesPassword(const QString &tool) {
    return !ToolRegistry::forTool(tool).passwordVariables().isEmpty();
}

// The same settings file as the window's (QStandardPaths' test mode moves
// it for tests).
std::unique_ptr<QSettings> applicationSettings() {
    return std::make_unique<QSettings>(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch"));
}

enum PasswordPage { NoPasswordPage, FilePage, CommandPage, KeyringPage };

QLineEdit *lineEdit(const QString &objectName, QWidget *parent) {
    auto *edit = new QLineEdit(parent);
    edit->setObjectName(objectName);
    edit->setClearButtonEnabled(true);
    return edit;
}

QToolButton *browseButton(const QString &objectName, QWidget *parent) {
    auto *button = new QToolButton(parent);
    button->setObjectName(objectName);
    button->setText(LaunchDialog::tr("Browse…"));
    return button;
}

QHBoxLayout *row(QWidget *a, QWidget *b) {
    auto *layout = new QHBoxLayout;
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(a, 1);
    layout->addWidget(b);
    return layout;
}

} // namespace

LaunchDialog::LaunchDialog(QWidget *parent)
    : QDialog(parent)
    , m_settings(applicationSettings())
    , m_profiles(std::make_unique<ProfileStore>(*m_settings))
    , m_keyring(new SecretToolKeyring(this))
    , m_sessionId(SessionId::generate()) {
    setObjectName(QStringLiteral("launchDialog"));
    setWindowTitle(tr("New Session"));
    buildUi();
    connectFields();
    reloadProfiles(QString());
    setProfile(LaunchProfile());
    updateKeyringAvailability();
}

LaunchDialog::~LaunchDialog() = default;

void LaunchDialog::buildUi() {
    auto *layout = new QVBoxLayout(this);

    // Profile chooser.
    auto *profileRow = new QHBoxLayout;
    m_profileCombo = new QComboBox(this);
    m_profileCombo->setObjectName(QStringLiteral("profileCombo"));
    m_profileCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *profileLabel = new QLabel(tr("&Profile:"), this);
    profileLabel->setBuddy(m_profileCombo);
    m_deleteButton = new QPushButton(tr("&Delete Profile"), this);
    m_deleteButton->setObjectName(QStringLiteral("deleteProfile"));
    m_deleteButton->setAutoDefault(false);
    profileRow->addWidget(profileLabel);
    profileRow->addWidget(m_profileCombo, 1);
    profileRow->addWidget(m_deleteButton);
    layout->addLayout(profileRow);

    // What to run.
    auto *sessionBox = new QGroupBox(tr("Session"), this);
    auto *form = new QFormLayout(sessionBox);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);

    m_nameEdit = lineEdit(QStringLiteral("profileName"), sessionBox);
    m_nameEdit->setPlaceholderText(tr("e.g. Home to NAS (needed to save, and for the keyring)"));
    form->addRow(tr("&Name:"), m_nameEdit);

    auto *toolRow = new QHBoxLayout;
    m_toolCombo = new QComboBox(sessionBox);
    m_toolCombo->setObjectName(QStringLiteral("toolCombo"));
    for (const QString &tool : LaunchProfile::supportedTools())
        m_toolCombo->addItem(tool, tool);
    m_kindCombo = new QComboBox(sessionBox);
    m_kindCombo->setObjectName(QStringLiteral("kindCombo"));
    m_kindCombo->addItem(tr("Backup"), int(SessionKind::Backup));
    m_kindCombo->addItem(tr("Restore"), int(SessionKind::Restore));
    auto *kindLabel = new QLabel(tr("&Kind:"), sessionBox);
    kindLabel->setBuddy(m_kindCombo);
    toolRow->addWidget(m_toolCombo, 1);
    toolRow->addSpacing(12);
    toolRow->addWidget(kindLabel);
    toolRow->addWidget(m_kindCombo, 1);
    auto *toolLabel = new QLabel(tr("&Tool:"), sessionBox);
    toolLabel->setBuddy(m_toolCombo);
    form->addRow(toolLabel, toolRow);

    m_repositoryEdit = lineEdit(QStringLiteral("repository"), sessionBox);
    m_repositoryBrowse = browseButton(QStringLiteral("browseRepository"), sessionBox);
    m_repositoryLabel = new QLabel(sessionBox);
    m_repositoryLabel->setObjectName(QStringLiteral("repositoryLabel"));
    m_repositoryLabel->setBuddy(m_repositoryEdit);
    form->addRow(m_repositoryLabel, row(m_repositoryEdit, m_repositoryBrowse));

    m_pathsEdit = new QPlainTextEdit(sessionBox);
    m_pathsEdit->setObjectName(QStringLiteral("paths"));
    m_pathsEdit->setTabChangesFocus(true);
    m_pathsEdit->setLineWrapMode(QPlainTextEdit::NoWrap);
    const int lines = m_pathsEdit->fontMetrics().lineSpacing();
    m_pathsEdit->setMinimumHeight(lines * 4 + 12);
    m_pathsEdit->setMaximumHeight(lines * 8 + 12);
    m_addPathButton = new QPushButton(tr("&Add…"), sessionBox);
    m_addPathButton->setObjectName(QStringLiteral("addPath"));
    m_addPathButton->setAutoDefault(false);
    m_removePathButton = new QPushButton(tr("Re&move"), sessionBox);
    m_removePathButton->setObjectName(QStringLiteral("removePath"));
    m_removePathButton->setToolTip(tr("Remove the line with the cursor"));
    m_removePathButton->setAutoDefault(false);
    auto *pathButtons = new QVBoxLayout;
    pathButtons->addWidget(m_addPathButton);
    pathButtons->addWidget(m_removePathButton);
    pathButtons->addStretch(1);
    auto *pathsRow = new QHBoxLayout;
    pathsRow->addWidget(m_pathsEdit, 1);
    pathsRow->addLayout(pathButtons);
    m_pathsLabel = new QLabel(sessionBox);
    m_pathsLabel->setObjectName(QStringLiteral("pathsLabel"));
    m_pathsLabel->setBuddy(m_pathsEdit);
    form->addRow(m_pathsLabel, pathsRow);

    m_targetEdit = lineEdit(QStringLiteral("restoreTarget"), sessionBox);
    m_targetBrowse = browseButton(QStringLiteral("browseTarget"), sessionBox);
    m_targetLabel = new QLabel(tr("Restore &into:"), sessionBox);
    m_targetLabel->setBuddy(m_targetEdit);
    form->addRow(m_targetLabel, row(m_targetEdit, m_targetBrowse));

    m_extraArgsEdit = lineEdit(QStringLiteral("extraArgs"), sessionBox);
    m_extraArgsEdit->setPlaceholderText(tr("More options for the tool, e.g. --exclude \"*.tmp\""));
    m_extraArgsEdit->setToolTip(tr("Split at spaces; group words with double quotes. No shell "
                                   "expansion."));
    form->addRow(tr("E&xtra arguments:"), m_extraArgsEdit);

    m_titleEdit = lineEdit(QStringLiteral("title"), sessionBox);
    m_titleEdit->setPlaceholderText(tr("Shown in the session table (default: the profile name)"));
    form->addRow(tr("T&itle:"), m_titleEdit);
    layout->addWidget(sessionBox);

    // Where the repository password comes from.
    auto *passwordBox = new QGroupBox(tr("Repository password"), this);
    passwordBox->setObjectName(QStringLiteral("passwordBox"));
    m_passwordBox = passwordBox;
    auto *passwordLayout = new QHBoxLayout(passwordBox);
    m_passwordCombo = new QComboBox(passwordBox);
    m_passwordCombo->setObjectName(QStringLiteral("passwordSource"));
    m_passwordCombo->addItem(tr("None"), int(PasswordSource::Type::None));
    m_passwordCombo->addItem(tr("Password file"), int(PasswordSource::Type::File));
    m_passwordCombo->addItem(tr("Password command"), int(PasswordSource::Type::Command));
    m_passwordCombo->addItem(tr("Desktop keyring"), int(PasswordSource::Type::Keyring));
    auto *sourceLabel = new QLabel(tr("&From:"), passwordBox);
    sourceLabel->setBuddy(m_passwordCombo);
    passwordLayout->addWidget(sourceLabel);
    passwordLayout->addWidget(m_passwordCombo);

    // One page per source, beside the combo; each page is one line high.
    m_passwordPages = new QStackedWidget(passwordBox);
    m_passwordPages->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    auto *none = new QLabel(tr("No password (an unencrypted borg repository)"), m_passwordPages);
    none->setEnabled(false);
    m_passwordPages->addWidget(none);

    auto *filePage = new QWidget(m_passwordPages);
    m_passwordFileEdit = lineEdit(QStringLiteral("passwordFile"), filePage);
    m_passwordFileEdit->setPlaceholderText(tr("A file only you can read, holding the password"));
    auto *fileBrowse = browseButton(QStringLiteral("browsePasswordFile"), filePage);
    filePage->setLayout(row(m_passwordFileEdit, fileBrowse));
    m_passwordPages->addWidget(filePage);
    connect(fileBrowse, &QToolButton::clicked, this, [this] {
        auto *dialog = new QFileDialog(this, tr("Password File"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setFilter(QDir::AllEntries | QDir::Hidden | QDir::System);
        connect(dialog, &QFileDialog::fileSelected, m_passwordFileEdit, &QLineEdit::setText);
        dialog->open();
    });

    auto *commandPage = new QWidget(m_passwordPages);
    m_passwordCommandEdit = lineEdit(QStringLiteral("passwordCommand"), commandPage);
    m_passwordCommandEdit->setPlaceholderText(
        tr("A shell command printing the password, e.g. pass show backup/nas"));
    auto *commandLayout = new QHBoxLayout(commandPage);
    commandLayout->setContentsMargins(0, 0, 0, 0);
    commandLayout->addWidget(m_passwordCommandEdit);
    m_passwordPages->addWidget(commandPage);

    auto *keyringPage = new QWidget(m_passwordPages);
    m_keyringButton = new QPushButton(tr("Store Password in &Keyring…"), keyringPage);
    m_keyringButton->setObjectName(QStringLiteral("storeInKeyring"));
    m_keyringButton->setAutoDefault(false);
    m_keyringStatus = new QLabel(keyringPage);
    m_keyringStatus->setObjectName(QStringLiteral("keyringStatus"));
    m_keyringStatus->setTextFormat(Qt::PlainText);
    // A long message must not widen the dialog: the tooltip has all of it.
    m_keyringStatus->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto *keyringLayout = new QHBoxLayout(keyringPage);
    keyringLayout->setContentsMargins(0, 0, 0, 0);
    keyringLayout->addWidget(m_keyringButton);
    keyringLayout->addWidget(m_keyringStatus, 1);
    m_passwordPages->addWidget(keyringPage);
    passwordLayout->addWidget(m_passwordPages, 1);
    layout->addWidget(passwordBox);

    // The exact command, and why it cannot run yet.
    auto *previewLabel = new QLabel(tr("Command &line:"), this);
    m_preview = new QPlainTextEdit(this);
    m_preview->setObjectName(QStringLiteral("commandPreview"));
    m_preview->setReadOnly(true);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setFixedHeight(m_preview->fontMetrics().lineSpacing() * 5 + 12);
    m_preview->setToolTip(tr("What Launch runs. Passwords never appear here: the tool reads them "
                             "itself, from the file, command or keyring."));
    previewLabel->setBuddy(m_preview);
    layout->addWidget(previewLabel);
    layout->addWidget(m_preview);

    m_validationLabel = new QLabel(this);
    m_validationLabel->setObjectName(QStringLiteral("validationMessage"));
    m_validationLabel->setWordWrap(true);
    m_validationLabel->setTextFormat(Qt::PlainText);
    QPalette warning = m_validationLabel->palette();
    warning.setColor(QPalette::WindowText, QColor(0xb0, 0x30, 0x20));
    m_validationLabel->setPalette(warning);
    layout->addWidget(m_validationLabel);

    m_statusLabel = new QLabel(this);
    m_statusLabel->setObjectName(QStringLiteral("statusMessage"));
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextFormat(Qt::PlainText);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_statusLabel);

    auto *buttons = new QDialogButtonBox(this);
    m_saveButton = buttons->addButton(tr("&Save Profile"), QDialogButtonBox::ActionRole);
    m_saveButton->setObjectName(QStringLiteral("saveProfile"));
    m_saveButton->setAutoDefault(false);
    m_launchButton = buttons->addButton(tr("&Launch"), QDialogButtonBox::AcceptRole);
    m_launchButton->setObjectName(QStringLiteral("launchButton"));
    m_launchButton->setDefault(true);
    buttons->addButton(QDialogButtonBox::Close);
    // Launch (not `accepted`) decides whether to close: a failed start keeps the dialog.
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    resize(780, sizeHint().height());
}

void LaunchDialog::connectFields() {
    const auto changed = [this] {
        if (!m_loading)
            updatePreview();
    };
    for (QLineEdit *edit : {m_nameEdit, m_repositoryEdit, m_targetEdit, m_extraArgsEdit,
                            m_titleEdit, m_passwordFileEdit, m_passwordCommandEdit})
        connect(edit, &QLineEdit::textChanged, this, changed);
    connect(m_pathsEdit, &QPlainTextEdit::textChanged, this, changed);
    for (QComboBox *combo : {m_toolCombo, m_kindCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, [this, changed] {
            updateForToolAndKind();
            changed();
        });
    connect(m_passwordCombo, &QComboBox::currentIndexChanged, this, [this, changed] {
        updatePasswordPage();
        changed();
    });
    connect(m_profileCombo, &QComboBox::activated, this, &LaunchDialog::onProfileChosen);
    connect(m_saveButton, &QPushButton::clicked, this, &LaunchDialog::saveProfile);
    connect(m_deleteButton, &QPushButton::clicked, this, &LaunchDialog::deleteProfile);
    connect(m_launchButton, &QPushButton::clicked, this, &LaunchDialog::launch);
    connect(m_keyringButton, &QPushButton::clicked, this, &LaunchDialog::askKeyringPassword);
    connect(m_addPathButton, &QPushButton::clicked, this, &LaunchDialog::addPath);
    connect(m_removePathButton, &QPushButton::clicked, this, &LaunchDialog::removePath);
    connect(m_repositoryBrowse, &QToolButton::clicked, this,
            [this] { browseDirectory(m_repositoryEdit, m_repositoryLabel->text()); });
    connect(m_targetBrowse, &QToolButton::clicked, this,
            [this] { browseDirectory(m_targetEdit, tr("Restore Into")); });
    connect(m_keyring, &SecretToolKeyring::finished, this, [this](bool ok, const QString &message) {
        m_keyringStatus->setText(message);
        m_keyringStatus->setToolTip(message);
        m_keyringButton->setEnabled(true);
        showStatus(message, !ok);
    });
}

void LaunchDialog::setCliProgram(const QString &program) {
    m_cliProgram = program;
    updatePreview();
}

void LaunchDialog::setSpoolDirectory(const QString &directory) {
    m_spoolDirectory = directory;
    updatePreview();
}

void LaunchDialog::setSecretToolProgram(const QString &program) {
    m_keyring->setProgram(program);
    updateKeyringAvailability();
}

QString LaunchDialog::currentTool() const {
    return m_toolCombo->currentData().toString();
}

SessionKind LaunchDialog::currentKind() const {
    return SessionKind(m_kindCombo->currentData().toInt());
}

LaunchProfile LaunchDialog::profile() const {
    LaunchProfile p;
    p.name = m_nameEdit->text().trimmed();
    p.tool = currentTool();
    p.kind = currentKind();
    p.repository = m_repositoryEdit->text().trimmed();
    const QStringList lines = m_pathsEdit->toPlainText().split(QLatin1Char('\n'));
    for (const QString &line : lines) {
        if (!line.trimmed().isEmpty())
            p.paths.append(line.trimmed());
    }
    p.restoreTarget = p.kind == SessionKind::Restore ? m_targetEdit->text().trimmed() : QString();
    p.extraArgs = m_extraArgsEdit->text().trimmed();
    p.title = m_titleEdit->text().trimmed();
    // A tool without a password (rsync): the choice stays in the fields for a switch back.
    if (takesPassword(p.tool))
        p.password = PasswordSource::of(
            PasswordSource::Type(m_passwordCombo->currentData().toInt()),
            m_passwordFileEdit->text().trimmed(), m_passwordCommandEdit->text().trimmed());
    return p;
}

void LaunchDialog::setProfile(const LaunchProfile &p) {
    m_loading = true;
    m_nameEdit->setText(p.name);
    const int tool = m_toolCombo->findData(p.tool);
    if (tool < 0) {
        // An unknown tool from an old or edited settings file: shown, and refused by validation.
        m_toolCombo->addItem(p.tool, p.tool);
        m_toolCombo->setCurrentIndex(m_toolCombo->count() - 1);
    } else {
        m_toolCombo->setCurrentIndex(tool);
    }
    m_kindCombo->setCurrentIndex(qMax(0, m_kindCombo->findData(int(p.kind))));
    m_repositoryEdit->setText(p.repository);
    m_pathsEdit->setPlainText(p.paths.join(QLatin1Char('\n')));
    m_targetEdit->setText(p.restoreTarget);
    m_extraArgsEdit->setText(p.extraArgs);
    m_titleEdit->setText(p.title);
    m_passwordFileEdit->setText(p.password.type == PasswordSource::Type::File ? p.password.reference
                                                                              : QString());
    m_passwordCommandEdit->setText(
        p.password.type == PasswordSource::Type::Command ? p.password.reference : QString());
    m_passwordCombo->setCurrentIndex(qMax(0, m_passwordCombo->findData(int(p.password.type))));
    m_keyringStatus->clear();
    m_loading = false;
    updateForToolAndKind();
    updatePasswordPage();
    updatePreview();
}

QStringList LaunchDialog::savedProfiles() const {
    return m_profiles->names();
}

bool LaunchDialog::selectProfile(const QString &name) {
    const int index = m_profileCombo->findData(name);
    if (name.isEmpty() || index < 0)
        return false;
    m_profileCombo->setCurrentIndex(index);
    onProfileChosen(index);
    return true;
}

void LaunchDialog::reloadProfiles(const QString &select) {
    const QSignalBlocker blocker(m_profileCombo);
    m_profileCombo->clear();
    m_profileCombo->addItem(tr("New profile"), QString());
    const QStringList names = m_profiles->names();
    if (!names.isEmpty())
        m_profileCombo->insertSeparator(1);
    for (const QString &name : names)
        m_profileCombo->addItem(name, name);
    m_profileCombo->setCurrentIndex(qMax(0, m_profileCombo->findData(select)));
    m_deleteButton->setEnabled(m_profileCombo->currentIndex() > 0);
}

void LaunchDialog::onProfileChosen(int index) {
    const QString name = m_profileCombo->itemData(index).toString();
    m_deleteButton->setEnabled(!name.isEmpty());
    showStatus(QString(), false);
    if (name.isEmpty()) {
        setProfile(LaunchProfile());
        return;
    }
    if (const std::optional<LaunchProfile> p = m_profiles->load(name))
        setProfile(*p);
    else
        showStatus(tr("The profile “%1” is gone from the settings.").arg(name), true);
}

void LaunchDialog::saveProfile() {
    const LaunchProfile p = profile();
    if (const QString error = m_profiles->save(p); !error.isEmpty()) {
        showStatus(error, true);
        m_nameEdit->setFocus();
        return;
    }
    reloadProfiles(p.name);
    showStatus(tr("Profile “%1” saved.").arg(p.name), false);
}

void LaunchDialog::deleteProfile() {
    const QString name = m_profileCombo->currentData().toString();
    if (name.isEmpty())
        return;
    m_profiles->remove(name);
    reloadProfiles(QString());
    setProfile(LaunchProfile());
    showStatus(tr("Profile “%1” deleted. A password in the keyring stays there until you remove "
                  "it (secret-tool clear keepwatch-profile NAME).")
                   .arg(name),
               false);
}

LaunchCommand LaunchDialog::command() const {
    LaunchOptions options;
    options.cliPath = m_cliProgram;
    options.spoolDirectory = m_spoolDirectory;
    options.sessionId = m_sessionId;
    return LaunchCommand::build(profile(), options);
}

void LaunchDialog::updateForToolAndKind() {
    const QString tool = currentTool();
    const bool restore = currentKind() == SessionKind::Restore;
    // An unknown tool from a settings file keeps the first tool's words: validation refuses it.
    const LaunchForm *launchForm = ToolRegistry::forTool(tool).launchForm();
    if (!launchForm)
        launchForm = ToolRegistry::forTool(LaunchProfile::supportedTools().value(0)).launchForm();
    if (!launchForm)
        return; // no tool can be launched at all
    const LaunchForm &form = *launchForm;
    const auto text = [](const char *source) {
        return QCoreApplication::translate("kw::ToolLaunch", source);
    };

    m_repositoryLabel->setText(text(restore ? form.restoreRepositoryLabel : form.repositoryLabel));
    m_repositoryEdit->setPlaceholderText(text(form.repositoryPlaceholder));
    if (!restore) {
        m_pathsLabel->setText(tr("Paths to &back up:"));
        m_pathsEdit->setPlaceholderText(tr("One path per line"));
    } else {
        m_pathsLabel->setText(text(form.restoreItemsLabel));
        m_pathsEdit->setPlaceholderText(text(form.restoreItemsPlaceholder));
    }
    // Add… browses this machine: only for what a backup reads.
    m_addPathButton->setEnabled(!restore);
    m_removePathButton->setEnabled(!restore || !form.restoreItemsTooMany);
    m_targetLabel->setEnabled(restore);
    m_targetEdit->setEnabled(restore);
    m_targetBrowse->setEnabled(restore);

    const bool password = takesPassword(tool);
    m_passwordBox->setEnabled(password);
    m_passwordBox->setToolTip(password ? QString()
                                       : tr("%1 uses no repository password").arg(tool));
}

void LaunchDialog::updatePasswordPage() {
    switch (PasswordSource::Type(m_passwordCombo->currentData().toInt())) {
    case PasswordSource::Type::File:
        m_passwordPages->setCurrentIndex(FilePage);
        break;
    case PasswordSource::Type::Command:
        m_passwordPages->setCurrentIndex(CommandPage);
        break;
    case PasswordSource::Type::Keyring:
        m_passwordPages->setCurrentIndex(KeyringPage);
        break;
    case PasswordSource::Type::None:
    case PasswordSource::Type::Count:
        m_passwordPages->setCurrentIndex(NoPasswordPage);
        break;
    }
}

void LaunchDialog::updateKeyringAvailability() {
    const bool available = m_keyring->isAvailable();
    auto *model = qobject_cast<QStandardItemModel *>(m_passwordCombo->model());
    QStandardItem *item =
        model ? model->item(m_passwordCombo->findData(int(PasswordSource::Type::Keyring)))
              : nullptr;
    const QString missing = tr("secret-tool is not installed: install the Debian package %1 "
                               "(sudo apt install %1) to keep passwords in the desktop keyring.")
                                .arg(SecretToolKeyring::package());
    if (item) {
        item->setEnabled(available);
        item->setToolTip(available ? tr("The password is looked up with secret-tool when the "
                                        "session starts")
                                   : missing);
    }
    m_keyringButton->setEnabled(available);
    m_keyringButton->setToolTip(available ? QString() : missing);
    m_keyringStatus->setText(
        available ? QString()
                  : tr("secret-tool is missing (package %1)").arg(SecretToolKeyring::package()));
    m_keyringStatus->setToolTip(available ? QString() : missing);
}

void LaunchDialog::updatePreview() {
    const LaunchCommand c = command();
    m_preview->setPlainText(c.isValid() ? c.displayText(LaunchCommand::Layout::MultiLine)
                                        : QString());
    m_preview->setPlaceholderText(c.isValid() ? QString()
                                              : tr("The command appears here once the profile "
                                                   "is complete."));
    m_validationLabel->setText(c.error);
    m_validationLabel->setVisible(!c.isValid());
    m_launchButton->setEnabled(c.isValid());
    m_saveButton->setEnabled(!m_nameEdit->text().trimmed().isEmpty());
}

void LaunchDialog::showStatus(const QString &text, bool error) {
    m_statusLabel->setText(text);
    QPalette palette = this->palette();
    if (error)
        palette.setColor(QPalette::WindowText, QColor(0xb0, 0x30, 0x20));
    m_statusLabel->setPalette(palette);
}

void LaunchDialog::launch() {
    const LaunchCommand c = command();
    if (!c.isValid()) {
        showStatus(c.error, true);
        return;
    }
    // borg extracts into its working directory, which must exist to start in.
    if (!c.workingDirectory.isEmpty() && !QDir().mkpath(c.workingDirectory)) {
        showStatus(
            tr("Cannot create the directory %1.").arg(QDir::toNativeSeparators(c.workingDirectory)),
            true);
        return;
    }
    QString error;
    const qint64 pid = c.startDetached(QProcessEnvironment::systemEnvironment(), &error);
    if (pid == 0) {
        showStatus(tr("Could not start %1: %2").arg(c.program, error), true);
        return;
    }
    const QString id = m_sessionId;
    m_sessionId = SessionId::generate(); // a launch is never repeated under the same ID
    updatePreview();
    emit launched(id, pid);
    accept();
}

void LaunchDialog::askKeyringPassword() {
    const QString name = m_nameEdit->text().trimmed();
    if (name.isEmpty()) {
        showStatus(tr("Name the profile first: the keyring keeps the password under its name."),
                   true);
        m_nameEdit->setFocus();
        return;
    }
    auto *prompt = new QInputDialog(this);
    prompt->setObjectName(QStringLiteral("keyringPasswordPrompt"));
    prompt->setAttribute(Qt::WA_DeleteOnClose);
    prompt->setWindowTitle(tr("Store Password in Keyring"));
    prompt->setInputMode(QInputDialog::TextInput);
    prompt->setTextEchoMode(QLineEdit::Password);
    prompt->setLabelText(tr("Repository password for the profile “%1”:").arg(name));
    connect(prompt, &QInputDialog::textValueSelected, this,
            [this, prompt, name](const QString &password) {
                prompt->setTextValue(QString()); // no copy left in the widget
                if (m_keyring->store(name, password)) {
                    m_keyringButton->setEnabled(false);
                    m_keyringStatus->setText(tr("Storing…"));
                } else {
                    showStatus(tr("The keyring is busy or unavailable."), true);
                }
            });
    prompt->open();
}

void LaunchDialog::addPath() {
    auto *dialog = new QFileDialog(this, tr("Add a Folder to Back Up"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly, true);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) {
        QString text = m_pathsEdit->toPlainText();
        if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
            text += QLatin1Char('\n');
        m_pathsEdit->setPlainText(text + QDir::toNativeSeparators(path));
    });
    dialog->open();
}

void LaunchDialog::removePath() {
    const QTextBlock block = m_pathsEdit->textCursor().block();
    QTextCursor cursor(m_pathsEdit->document());
    if (block.next().isValid()) { // the line and its newline
        cursor.setPosition(block.position());
        cursor.setPosition(block.next().position(), QTextCursor::KeepAnchor);
    } else if (block.previous().isValid()) { // the last line and the newline before it
        cursor.setPosition(block.position() - 1);
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
    } else {
        cursor.setPosition(block.position());
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor::KeepAnchor);
    }
    cursor.removeSelectedText();
}

void LaunchDialog::browseDirectory(QLineEdit *edit, const QString &caption) {
    auto *dialog =
        new QFileDialog(this, QString(caption).remove(QLatin1Char('&')).remove(QLatin1Char(':')));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly, true);
    if (!edit->text().isEmpty())
        dialog->setDirectory(edit->text());
    connect(dialog, &QFileDialog::fileSelected, edit,
            [edit](const QString &path) { edit->setText(QDir::toNativeSeparators(path)); });
    dialog->open();
}

} // namespace kw
