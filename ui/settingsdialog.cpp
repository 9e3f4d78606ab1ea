// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "settingsdialog.h"

#include "bacula/baculasource.h"
#include "fleet/brokerurl.h"
#include "launch/secrettoolkeyring.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>
#include <limits>

namespace kw {

namespace {

QLineEdit *numberField(const QString &name, qint64 value, QWidget *parent) {
    auto *edit = new QLineEdit(QString::number(value), parent);
    edit->setObjectName(name);
    edit->setInputMethodHints(Qt::ImhDigitsOnly);
    return edit;
}

QCheckBox *checkBox(const QString &name, const QString &text, bool checked, QWidget *parent) {
    auto *box = new QCheckBox(text, parent);
    box->setObjectName(name);
    box->setChecked(checked);
    return box;
}

} // namespace

SettingsDialog::SettingsDialog(const AppSettings &settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings) {
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Keepwatch Settings"));

    // Watching.
    auto *watching = new QGroupBox(tr("Watching"), this);
    auto *watchForm = new QFormLayout(watching);
    const QStringList dirs = AppSettings::normalizedSpoolDirectories(settings.spoolDirectories);
    auto *defaultSpool =
        new QLabel(tr("Always watched: <code>%1</code>")
                       .arg(QDir::toNativeSeparators(dirs.first()).toHtmlEscaped()),
                   watching);
    defaultSpool->setTextInteractionFlags(Qt::TextSelectableByMouse);
    watchForm->addRow(tr("Default spool:"), defaultSpool);
    m_spoolDirectories = new QPlainTextEdit(dirs.mid(1).join(QLatin1Char('\n')), watching);
    m_spoolDirectories->setObjectName(QStringLiteral("spoolDirectories"));
    m_spoolDirectories->setPlaceholderText(tr("More spool directories, one per line"));
    m_spoolDirectories->setTabChangesFocus(true);
    m_spoolDirectories->setFixedHeight(m_spoolDirectories->fontMetrics().height() * 4 + 12);
    auto *addDir = new QPushButton(tr("&Add Directory…"), watching);
    addDir->setObjectName(QStringLiteral("addSpoolDirectory"));
    connect(addDir, &QPushButton::clicked, this, &SettingsDialog::addSpoolDirectory);
    auto *dirRow = new QHBoxLayout;
    dirRow->addWidget(m_spoolDirectories, 1);
    dirRow->addWidget(addDir, 0, Qt::AlignTop);
    auto *dirLabel = new QLabel(tr("&Other spools:"), watching);
    dirLabel->setBuddy(m_spoolDirectories);
    watchForm->addRow(dirLabel, dirRow);
    m_pollInterval = numberField(QStringLiteral("pollInterval"), settings.pollIntervalMs, watching);
    m_pollInterval->setToolTip(
        tr("How often the sources are read when no file-change notification comes (%1–%2 ms)")
            .arg(AppSettings::kMinPollIntervalMs)
            .arg(AppSettings::kMaxPollIntervalMs));
    watchForm->addRow(tr("&Poll interval (ms):"), m_pollInterval);
    auto *restartNote = new QLabel(
        tr("Spool directories and the poll interval take effect when Keepwatch starts again."),
        watching);
    restartNote->setWordWrap(true);
    restartNote->setEnabled(false);
    watchForm->addRow(restartNote);

    // Sessions.
    auto *sessions = new QGroupBox(tr("Sessions"), this);
    auto *sessionForm = new QFormLayout(sessions);
    m_stallTimeout =
        numberField(QStringLiteral("stallTimeout"), settings.stallTimeoutSeconds, sessions);
    m_stallTimeout->setToolTip(tr("A running session whose progress does not move for this long "
                                  "is shown stalled; 0 turns this off"));
    sessionForm->addRow(tr("&Stall timeout (s, 0 = off):"), m_stallTimeout);
    if (AppSettings::stallTimeoutOverrideMs()) {
        auto *overridden =
            new QLabel(tr("$KEEPWATCH_STALL_TIMEOUT is set and wins over this value."), sessions);
        overridden->setObjectName(QStringLiteral("stallTimeoutOverridden"));
        overridden->setWordWrap(true);
        sessionForm->addRow(overridden);
    }
    m_maxLogLines =
        numberField(QStringLiteral("maxLogLines"), settings.maxLogLinesPerSession, sessions);
    m_maxLogLines->setToolTip(tr("The newest lines of each session's log kept in memory"));
    sessionForm->addRow(tr("&Log lines kept per session:"), m_maxLogLines);

    // Notifications.
    auto *notifications = new QGroupBox(tr("Desktop notifications"), this);
    auto *notifyLayout = new QVBoxLayout(notifications);
    m_notifyFailed = checkBox(QStringLiteral("notifyFailed"), tr("When a session &fails"),
                              settings.notifyOnFailed, notifications);
    m_notifyStalled = checkBox(QStringLiteral("notifyStalled"), tr("When a session s&talls"),
                               settings.notifyOnStalled, notifications);
    m_notifyInterrupted =
        checkBox(QStringLiteral("notifyInterrupted"), tr("When a session is &interrupted"),
                 settings.notifyOnInterrupted, notifications);
    m_notifyWarning =
        checkBox(QStringLiteral("notifyWarning"), tr("When a session finishes with &warnings"),
                 settings.notifyOnWarning, notifications);
    m_notifySuccess = checkBox(QStringLiteral("notifySuccess"), tr("When a session s&ucceeds"),
                               settings.notifyOnSuccess, notifications);
    for (QCheckBox *box :
         {m_notifyFailed, m_notifyStalled, m_notifyInterrupted, m_notifyWarning, m_notifySuccess})
        notifyLayout->addWidget(box);
    QString trayText = tr("Show an icon with the worst current state in the system t&ray");
    m_trayIcon = checkBox(QStringLiteral("trayIcon"), trayText, settings.trayIcon, notifications);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        m_trayIcon->setToolTip(tr("This desktop has no system tray right now; the icon shows "
                                  "when one appears at the next start."));
    notifyLayout->addWidget(m_trayIcon);

    // History.
    auto *history = new QGroupBox(tr("History"), this);
    auto *historyForm = new QFormLayout(history);
    m_historyMaxAge =
        numberField(QStringLiteral("historyMaxAge"), settings.historyMaxAgeDays, history);
    historyForm->addRow(tr("Forget finished sessions older than (&days, 0 = never):"),
                        m_historyMaxAge);
    m_historyMaxSessions =
        numberField(QStringLiteral("historyMaxSessions"), settings.historyMaxSessions, history);
    historyForm->addRow(tr("Keep at &most this many sessions (0 = all):"), m_historyMaxSessions);

    // systemd's backup units and timers.
    auto *systemd = new QGroupBox(tr("systemd backup units"), this);
    auto *systemdForm = new QFormLayout(systemd);
    m_systemdUnits = new QPlainTextEdit(settings.systemdUnits.join(QLatin1Char('\n')), systemd);
    m_systemdUnits->setObjectName(QStringLiteral("systemdUnits"));
    m_systemdUnits->setPlaceholderText(tr("db-dump.service, one per line"));
    m_systemdUnits->setToolTip(
        tr("Services watched as backups besides those Keepwatch recognises by their command "
           "(restic, borg, rsync, borgmatic…) or name (*backup*, borgmatic*, resticprofile-*)"));
    m_systemdUnits->setTabChangesFocus(true);
    m_systemdUnits->setFixedHeight(m_systemdUnits->fontMetrics().height() * 3 + 12);
    auto *unitsLabel = new QLabel(tr("Also &watch:"), systemd);
    unitsLabel->setBuddy(m_systemdUnits);
    systemdForm->addRow(unitsLabel, m_systemdUnits);
    m_overdueGrace =
        numberField(QStringLiteral("overdueGrace"), settings.overdueGraceMinutes, systemd);
    m_overdueGrace->setToolTip(
        tr("A timer's backup is overdue when no run succeeded for its period, its random "
           "delay and this long"));
    systemdForm->addRow(tr("Overdue &grace (minutes):"), m_overdueGrace);

    // Many hosts: the window's own connection to the broker (docs/fleet.md).
    auto *broker = new QGroupBox(tr("Many hosts (MQTT broker)"), this);
    auto *brokerForm = new QFormLayout(broker);
    const auto textField = [broker](const QString &name, const QString &value,
                                    const QString &placeholder) {
        auto *edit = new QLineEdit(value, broker);
        edit->setObjectName(name);
        edit->setPlaceholderText(placeholder);
        return edit;
    };
    m_brokerUrl = textField(QStringLiteral("brokerUrl"), settings.broker.url,
                            tr("none; mqtts://broker.example.org:8883"));
    m_brokerUrl->setToolTip(tr("Every host's sessions are mirrored here through this broker, "
                               "and remote sessions can be cancelled where their agent allows "
                               "it"));
    brokerForm->addRow(tr("&Broker:"), m_brokerUrl);
    m_brokerUsername =
        textField(QStringLiteral("brokerUsername"), settings.broker.username, tr("desk-admin"));
    brokerForm->addRow(tr("&User name:"), m_brokerUsername);
    m_brokerPasswordFile = textField(QStringLiteral("brokerPasswordFile"),
                                     settings.broker.passwordFile, tr("a file, first line"));
    m_brokerPasswordFile->setToolTip(
        tr("The password is read from this file (its first line) when connecting; it is never "
           "stored in the settings"));
    brokerForm->addRow(tr("Pass&word file:"), m_brokerPasswordFile);
    m_keyring = new SecretToolKeyring(this);
    m_brokerPassword = textField(QStringLiteral("brokerPassword"), QString(),
                                 settings.broker.passwordInKeyring
                                     ? tr("in the keyring; type to replace it")
                                     : tr("or type it to keep it in the desktop keyring"));
    m_brokerPassword->setEchoMode(QLineEdit::Password);
    if (!m_keyring->isAvailable()) {
        m_brokerPassword->setEnabled(false);
        m_brokerPassword->setToolTip(
            tr("secret-tool is missing (package %1)").arg(SecretToolKeyring::package()));
    }
    brokerForm->addRow(tr("Password (&keyring):"), m_brokerPassword);
    m_brokerCaFile = textField(QStringLiteral("brokerCaFile"), settings.broker.caFile,
                               tr("mqtts://: the CA that signed the broker"));
    brokerForm->addRow(tr("&CA certificate:"), m_brokerCaFile);
    m_brokerCertFile = textField(QStringLiteral("brokerCertFile"), settings.broker.certFile,
                                 tr("mqtts://: this desktop's certificate"));
    brokerForm->addRow(tr("Client certi&ficate:"), m_brokerCertFile);
    m_brokerKeyFile =
        textField(QStringLiteral("brokerKeyFile"), settings.broker.keyFile, tr("and its key"));
    brokerForm->addRow(tr("Client &key:"), m_brokerKeyFile);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("settingsError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, QColor(0xc0, 0x1c, 0x28));
    m_error->setPalette(errorPalette);
    m_error->hide();

    m_buttons =
        new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, Qt::Horizontal, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);

    // Bacula directors (docs/bacula.md): each through its own bconsole.conf,
    // whose password stays there.
    auto *bacula = new QGroupBox(tr("Bacula directors"), this);
    auto *baculaLayout = new QVBoxLayout(bacula);
    m_baculaDirectors = new QTableWidget(0, 3, bacula);
    m_baculaDirectors->setObjectName(QStringLiteral("baculaDirectors"));
    m_baculaDirectors->setHorizontalHeaderLabels(
        {tr("Name"), tr("bconsole.conf"), tr("bconsole program")});
    m_baculaDirectors->horizontalHeader()->setStretchLastSection(true);
    m_baculaDirectors->verticalHeader()->hide();
    m_baculaDirectors->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_baculaDirectors->setToolTip(
        tr("Each director's running and finished jobs, through its own bconsole.conf (the "
           "password stays in that file); the name makes the source bacula:<name>"));
    m_baculaDirectors->setFixedHeight(m_baculaDirectors->fontMetrics().height() * 6);
    for (const AppSettings::BaculaDirector &director : settings.baculaDirectors)
        addBaculaDirector(director.name, director.configPath, director.bconsole);
    auto *addDirector = new QPushButton(tr("&Add Director…"), bacula);
    addDirector->setObjectName(QStringLiteral("addBaculaDirector"));
    connect(addDirector, &QPushButton::clicked, this, [this] {
        const QString conf = QFileDialog::getOpenFileName(
            this, tr("Choose a Director's bconsole.conf"), QStringLiteral("/etc/bacula"),
            tr("bconsole configuration (*.conf);;All files (*)"));
        if (!conf.isEmpty())
            addBaculaDirector(baculaDirectorName(conf), conf, BaculaSourceOptions().bconsole);
    });
    auto *removeDirector = new QPushButton(tr("&Remove"), bacula);
    removeDirector->setObjectName(QStringLiteral("removeBaculaDirector"));
    connect(removeDirector, &QPushButton::clicked, this, [this] {
        if (m_baculaDirectors->currentRow() >= 0)
            m_baculaDirectors->removeRow(m_baculaDirectors->currentRow());
    });
    auto *directorButtons = new QHBoxLayout;
    directorButtons->addWidget(addDirector);
    directorButtons->addWidget(removeDirector);
    directorButtons->addStretch();
    baculaLayout->addWidget(m_baculaDirectors);
    baculaLayout->addLayout(directorButtons);
    auto *baculaForm = new QFormLayout;
    m_baculaFinishedDays =
        numberField(QStringLiteral("baculaFinishedDays"), settings.baculaFinishedDays, bacula);
    m_baculaFinishedDays->setToolTip(
        tr("Finished jobs of so many days are read from each director's catalog at start"));
    baculaForm->addRow(tr("Finished jobs of the last (&days):"), m_baculaFinishedDays);
    baculaLayout->addLayout(baculaForm);

    // Two pages: the dialog stays shorter than a laptop's screen.
    m_tabs = new QTabWidget(this);
    auto *general = new QWidget(m_tabs);
    auto *generalLayout = new QVBoxLayout(general);
    generalLayout->addWidget(watching);
    generalLayout->addWidget(sessions);
    generalLayout->addWidget(notifications);
    generalLayout->addWidget(history);
    generalLayout->addStretch();
    auto *more = new QWidget(m_tabs);
    auto *moreLayout = new QVBoxLayout(more);
    moreLayout->addWidget(systemd);
    moreLayout->addWidget(broker);
    moreLayout->addWidget(bacula);
    moreLayout->addStretch();
    m_tabs->addTab(general, tr("&General"));
    m_tabs->addTab(more, tr("systemd, Hosts, &Bacula"));

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);
}

void SettingsDialog::addBaculaDirector(const QString &name, const QString &configPath,
                                       const QString &bconsole) {
    const int row = m_baculaDirectors->rowCount();
    m_baculaDirectors->insertRow(row);
    m_baculaDirectors->setItem(row, 0, new QTableWidgetItem(name));
    m_baculaDirectors->setItem(row, 1, new QTableWidgetItem(configPath));
    m_baculaDirectors->setItem(row, 2, new QTableWidgetItem(bconsole));
    m_baculaDirectors->resizeColumnToContents(0);
}

SettingsDialog::~SettingsDialog() = default;

QString SettingsDialog::errorText() const {
    return m_error->isHidden() ? QString() : m_error->text();
}

AppSettings SettingsDialog::fromFields(QString *error, QWidget **field) const {
    AppSettings s = m_settings;
    const auto number = [&](QLineEdit *edit, const QString &what, qint64 *out) {
        if (!error->isEmpty())
            return;
        bool ok = false;
        const qint64 value = edit->text().trimmed().toLongLong(&ok);
        if (!ok) {
            *error = tr("%1 must be a whole number; “%2” is not.").arg(what, edit->text());
            *field = edit;
            return;
        }
        *out = value;
    };
    qint64 poll = 0, stall = 0, lines = 0, age = 0, count = 0, grace = 0, baculaDays = 0;
    number(m_pollInterval, tr("The poll interval"), &poll);
    number(m_stallTimeout, tr("The stall timeout"), &stall);
    number(m_maxLogLines, tr("The log lines kept per session"), &lines);
    number(m_historyMaxAge, tr("The history age"), &age);
    number(m_historyMaxSessions, tr("The number of sessions kept"), &count);
    number(m_overdueGrace, tr("The overdue grace"), &grace);
    number(m_baculaFinishedDays, tr("The days of finished Bacula jobs"), &baculaDays);
    if (!error->isEmpty())
        return s;
    // Beyond int is beyond every allowed range, and -1 is outside all of
    // them too: validation below then names the field.
    const auto toInt = [](qint64 v) {
        return v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max() ? -1
                                                                                          : int(v);
    };
    s.spoolDirectories = AppSettings::normalizedSpoolDirectories(
        m_spoolDirectories->toPlainText().split(QLatin1Char('\n')));
    s.pollIntervalMs = toInt(poll);
    s.stallTimeoutSeconds = toInt(stall);
    s.maxLogLinesPerSession = lines;
    s.historyMaxAgeDays = toInt(age);
    s.historyMaxSessions = toInt(count);
    s.overdueGraceMinutes = toInt(grace);
    s.baculaFinishedDays = toInt(baculaDays);
    s.baculaDirectors.clear();
    for (int row = 0; row < m_baculaDirectors->rowCount(); ++row) {
        const auto cell = [&](int column) {
            const QTableWidgetItem *item = m_baculaDirectors->item(row, column);
            return item ? item->text().trimmed() : QString();
        };
        if (cell(0).isEmpty() && cell(1).isEmpty())
            continue; // a row added and left empty
        s.baculaDirectors.append(
            {cell(0), cell(1), cell(2).isEmpty() ? BaculaSourceOptions().bconsole : cell(2)});
    }
    // Kept as typed until validated, so that a wrong name is named.
    s.systemdUnits.clear();
    for (const QString &line : m_systemdUnits->toPlainText().split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            s.systemdUnits << line.trimmed();
    }
    s.notifyOnFailed = m_notifyFailed->isChecked();
    s.notifyOnStalled = m_notifyStalled->isChecked();
    s.notifyOnInterrupted = m_notifyInterrupted->isChecked();
    s.notifyOnWarning = m_notifyWarning->isChecked();
    s.notifyOnSuccess = m_notifySuccess->isChecked();
    s.trayIcon = m_trayIcon->isChecked();
    s.broker.url = m_brokerUrl->text().trimmed();
    s.broker.username = m_brokerUsername->text().trimmed();
    s.broker.passwordFile = m_brokerPasswordFile->text().trimmed();
    // A typed password goes to the keyring; a file replaces a kept one.
    if (!m_brokerPassword->text().isEmpty())
        s.broker.passwordInKeyring = true;
    else if (!s.broker.passwordFile.isEmpty())
        s.broker.passwordInKeyring = false;
    s.broker.caFile = m_brokerCaFile->text().trimmed();
    s.broker.certFile = m_brokerCertFile->text().trimmed();
    s.broker.keyFile = m_brokerKeyFile->text().trimmed();
    if (!s.broker.url.isEmpty()) {
        QString urlError;
        const std::optional<BrokerUrl> url = BrokerUrl::parse(s.broker.url, &urlError);
        if (!url) {
            *error = tr("The broker: %1").arg(urlError);
            *field = m_brokerUrl;
            return s;
        }
        if (!url->tls
            && !QString(s.broker.caFile + s.broker.certFile + s.broker.keyFile).isEmpty()) {
            *error = tr("Certificates need a TLS broker (mqtts://).");
            *field = m_brokerUrl;
            return s;
        }
    }

    *error = s.validationError();
    if (!error->isEmpty()) {
        // Point at the field the message is about.
        const std::pair<bool, QWidget *> checks[] = {
            {s.pollIntervalMs < AppSettings::kMinPollIntervalMs
                 || s.pollIntervalMs > AppSettings::kMaxPollIntervalMs,
             m_pollInterval},
            {s.stallTimeoutSeconds < 0
                 || s.stallTimeoutSeconds > AppSettings::kMaxStallTimeoutSeconds,
             m_stallTimeout},
            {s.maxLogLinesPerSession < AppSettings::kMinLogLines
                 || s.maxLogLinesPerSession > AppSettings::kMaxLogLines,
             m_maxLogLines},
            {s.historyMaxAgeDays < 0 || s.historyMaxAgeDays > AppSettings::kMaxHistoryAgeDays,
             m_historyMaxAge},
            {s.historyMaxSessions < 0, m_historyMaxSessions},
            {s.overdueGraceMinutes < 0
                 || s.overdueGraceMinutes > AppSettings::kMaxOverdueGraceMinutes,
             m_overdueGrace},
            {error->contains(QLatin1String("systemd unit")), m_systemdUnits},
            {error->contains(QLatin1String("not both")), m_brokerPassword},
            {error->contains(QLatin1String("password file"))
                 || error->contains(QLatin1String("keyring needs")),
             m_brokerUsername},
            {error->contains(QLatin1String("certificate and its key")), m_brokerCertFile},
            {error->contains(QLatin1String("broker file")), m_brokerPasswordFile},
            {error->contains(QLatin1String("days of finished Bacula")), m_baculaFinishedDays},
            {error->contains(QLatin1String("director")), m_baculaDirectors},
        };
        *field = m_spoolDirectories;
        for (const auto &[wrong, widget] : checks) {
            if (wrong) {
                *field = widget;
                break;
            }
        }
    }
    return s;
}

void SettingsDialog::showError(const QString &message, QWidget *field) {
    m_error->setText(message);
    m_error->show();
    // The page the field is on comes to the front.
    for (int page = 0; field && page < m_tabs->count(); ++page) {
        if (m_tabs->widget(page)->isAncestorOf(field))
            m_tabs->setCurrentIndex(page);
    }
    if (field) {
        field->setFocus(Qt::OtherFocusReason);
        if (auto *edit = qobject_cast<QLineEdit *>(field))
            edit->selectAll();
    }
}

void SettingsDialog::accept() {
    QString error;
    QWidget *field = nullptr;
    const AppSettings s = fromFields(&error, &field);
    if (!error.isEmpty()) {
        showError(error, field);
        return;
    }
    m_error->hide();
    m_error->clear();
    const QString password = m_brokerPassword->text();
    if (password.isEmpty()) {
        finish(s);
        return;
    }
    // Stored first: settings that say "in the keyring" about a password that
    // is not there would fail at the next connection.
    m_buttons->setEnabled(false);
    connect(
        m_keyring, &SecretToolKeyring::finished, this,
        [this, s](bool ok, const QString &message) {
            m_buttons->setEnabled(true);
            if (!ok) {
                showError(message, m_brokerPassword);
                return;
            }
            m_brokerPassword->clear();
            finish(s);
        },
        Qt::SingleShotConnection);
    if (!m_keyring->store(SecretToolKeyring::brokerAttribute(s.broker.url, s.broker.username),
                          tr("Keepwatch broker %1 (%2)").arg(s.broker.url, s.broker.username),
                          password)) {
        m_buttons->setEnabled(true);
        showError(tr("The password cannot be kept in the keyring: secret-tool is missing "
                     "(package %1). Use a password file.")
                      .arg(SecretToolKeyring::package()),
                  m_brokerPassword);
    }
}

void SettingsDialog::finish(const AppSettings &settings) {
    m_settings = settings;
    m_settings.systemdUnits = AppSettings::normalizedSystemdUnits(settings.systemdUnits);
    m_settings.save();
    QDialog::accept();
}

void SettingsDialog::addSpoolDirectory() {
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Add Spool Directory"));
    if (dir.isEmpty())
        return;
    QString text = m_spoolDirectories->toPlainText();
    if (!text.isEmpty() && !text.endsWith(QLatin1Char('\n')))
        text += QLatin1Char('\n');
    m_spoolDirectories->setPlainText(text + dir);
}

} // namespace kw
