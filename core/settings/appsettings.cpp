// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "settings/appsettings.h"

#include "spool/spoollocation.h"

#include <QCoreApplication>
#include <QDir>
#include <QRegularExpression>
#include <QSettings>
#include <limits>

namespace kw {

namespace {

namespace key {
const QString spoolDirectories = QStringLiteral("settings/spoolDirectories");
const QString systemdUnits = QStringLiteral("settings/systemdUnits");
const QString overdueGraceMinutes = QStringLiteral("settings/overdueGraceMinutes");
const QString pollIntervalMs = QStringLiteral("settings/pollIntervalMs");
const QString stallTimeoutSeconds = QStringLiteral("settings/stallTimeoutSeconds");
const QString maxLogLines = QStringLiteral("settings/maxLogLinesPerSession");
const QString notifyOnFailed = QStringLiteral("notifications/failed");
const QString notifyOnStalled = QStringLiteral("notifications/stalled");
const QString notifyOnInterrupted = QStringLiteral("notifications/interrupted");
const QString notifyOnSuccess = QStringLiteral("notifications/succeeded");
const QString notifyOnWarning = QStringLiteral("notifications/warning");
const QString trayIcon = QStringLiteral("settings/trayIcon");
const QString historyMaxAgeDays = QStringLiteral("history/maxAgeDays");
const QString historyMaxSessions = QStringLiteral("history/maxSessions");
const QString brokerUrl = QStringLiteral("broker/url");
const QString brokerUsername = QStringLiteral("broker/username");
const QString brokerPasswordFile = QStringLiteral("broker/passwordFile");
const QString brokerPasswordInKeyring = QStringLiteral("broker/passwordInKeyring");
const QString brokerCaFile = QStringLiteral("broker/caFile");
const QString brokerCertFile = QStringLiteral("broker/certFile");
const QString brokerKeyFile = QStringLiteral("broker/keyFile");
const QString baculaDirectors = QStringLiteral("bacula/directors");
const QString baculaFinishedDays = QStringLiteral("bacula/finishedDays");
} // namespace key

QString tr(const char *text) {
    return QCoreApplication::translate("kw::AppSettings", text);
}

// A stored number, or `fallback` when it is missing, not a number or out of
// [min, max]: a hand-edited file never breaks the window.
template<typename T>
T number(const QSettings &s, const QString &name, T fallback, T min, T max) {
    bool ok = false;
    const qlonglong value = s.value(name).toLongLong(&ok);
    if (!ok || value < qlonglong(min) || value > qlonglong(max))
        return fallback;
    return T(value);
}

bool flag(const QSettings &s, const QString &name, bool fallback) {
    const QVariant value = s.value(name);
    return value.isValid() ? value.toBool() : fallback;
}

} // namespace

AppSettings AppSettings::defaults() {
    AppSettings s;
    s.spoolDirectories = {SpoolLocation::defaultDirectory()};
    return s;
}

AppSettings AppSettings::load() {
    return load(QSettings(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch")));
}

AppSettings AppSettings::load(const QSettings &s) {
    const AppSettings d = defaults();
    AppSettings out = d;
    out.spoolDirectories =
        normalizedSpoolDirectories(s.value(key::spoolDirectories).toStringList());
    out.systemdUnits = normalizedSystemdUnits(s.value(key::systemdUnits).toStringList());
    out.overdueGraceMinutes =
        number(s, key::overdueGraceMinutes, d.overdueGraceMinutes, 0, kMaxOverdueGraceMinutes);
    out.pollIntervalMs =
        number(s, key::pollIntervalMs, d.pollIntervalMs, kMinPollIntervalMs, kMaxPollIntervalMs);
    out.stallTimeoutSeconds =
        number(s, key::stallTimeoutSeconds, d.stallTimeoutSeconds, 0, kMaxStallTimeoutSeconds);
    out.maxLogLinesPerSession =
        number(s, key::maxLogLines, d.maxLogLinesPerSession, kMinLogLines, kMaxLogLines);
    out.notifyOnFailed = flag(s, key::notifyOnFailed, d.notifyOnFailed);
    out.notifyOnStalled = flag(s, key::notifyOnStalled, d.notifyOnStalled);
    out.notifyOnInterrupted = flag(s, key::notifyOnInterrupted, d.notifyOnInterrupted);
    out.notifyOnSuccess = flag(s, key::notifyOnSuccess, d.notifyOnSuccess);
    out.notifyOnWarning = flag(s, key::notifyOnWarning, d.notifyOnWarning);
    out.trayIcon = flag(s, key::trayIcon, d.trayIcon);
    out.historyMaxAgeDays =
        number(s, key::historyMaxAgeDays, d.historyMaxAgeDays, 0, kMaxHistoryAgeDays);
    out.historyMaxSessions = number(s, key::historyMaxSessions, d.historyMaxSessions, 0,
                                    std::numeric_limits<int>::max());
    out.broker.url = s.value(key::brokerUrl).toString().trimmed();
    out.broker.username = s.value(key::brokerUsername).toString().trimmed();
    out.broker.passwordFile = s.value(key::brokerPasswordFile).toString().trimmed();
    out.broker.passwordInKeyring = flag(s, key::brokerPasswordInKeyring, false);
    out.broker.caFile = s.value(key::brokerCaFile).toString().trimmed();
    out.broker.certFile = s.value(key::brokerCertFile).toString().trimmed();
    out.broker.keyFile = s.value(key::brokerKeyFile).toString().trimmed();
    // QSettings' arrays need a writable object to be read; a copy of the
    // values is enough.
    const int directors = s.value(key::baculaDirectors + QStringLiteral("/size")).toInt();
    for (int i = 1; i <= directors && i <= 100; ++i) {
        const QString prefix = key::baculaDirectors + QStringLiteral("/%1/").arg(i);
        BaculaDirector director;
        director.name = s.value(prefix + QStringLiteral("name")).toString().trimmed();
        director.configPath = s.value(prefix + QStringLiteral("config")).toString().trimmed();
        director.bconsole =
            s.value(prefix + QStringLiteral("bconsole"), director.bconsole).toString().trimmed();
        // One that is not valid (edited by hand) is left out, not guessed at.
        if (isDirectorName(director.name) && QDir::isAbsolutePath(director.configPath)
            && QDir::isAbsolutePath(director.bconsole))
            out.baculaDirectors << director;
    }
    out.baculaFinishedDays =
        number(s, key::baculaFinishedDays, d.baculaFinishedDays, 1, kMaxBaculaFinishedDays);
    return out;
}

void AppSettings::save() const {
    QSettings s(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch"));
    save(s);
}

void AppSettings::save(QSettings &s) const {
    // Only the extra directories: the default one follows $KEEPWATCH_SPOOL and
    // $XDG_STATE_HOME of each start, it is not frozen into the file.
    const QStringList all = normalizedSpoolDirectories(spoolDirectories);
    s.setValue(key::spoolDirectories, all.mid(1));
    s.setValue(key::systemdUnits, normalizedSystemdUnits(systemdUnits));
    s.setValue(key::overdueGraceMinutes, overdueGraceMinutes);
    s.setValue(key::pollIntervalMs, pollIntervalMs);
    s.setValue(key::stallTimeoutSeconds, stallTimeoutSeconds);
    s.setValue(key::maxLogLines, maxLogLinesPerSession);
    s.setValue(key::notifyOnFailed, notifyOnFailed);
    s.setValue(key::notifyOnStalled, notifyOnStalled);
    s.setValue(key::notifyOnInterrupted, notifyOnInterrupted);
    s.setValue(key::notifyOnSuccess, notifyOnSuccess);
    s.setValue(key::notifyOnWarning, notifyOnWarning);
    s.setValue(key::trayIcon, trayIcon);
    s.setValue(key::historyMaxAgeDays, historyMaxAgeDays);
    s.setValue(key::historyMaxSessions, historyMaxSessions);
    s.setValue(key::brokerUrl, broker.url);
    s.setValue(key::brokerUsername, broker.username);
    s.setValue(key::brokerPasswordFile, broker.passwordFile);
    s.setValue(key::brokerPasswordInKeyring, broker.passwordInKeyring);
    s.setValue(key::brokerCaFile, broker.caFile);
    s.setValue(key::brokerCertFile, broker.certFile);
    s.setValue(key::brokerKeyFile, broker.keyFile);
    s.remove(key::baculaDirectors);
    s.beginWriteArray(key::baculaDirectors, int(baculaDirectors.size()));
    for (int i = 0; i < baculaDirectors.size(); ++i) {
        s.setArrayIndex(i);
        s.setValue(QStringLiteral("name"), baculaDirectors[i].name);
        s.setValue(QStringLiteral("config"), baculaDirectors[i].configPath);
        s.setValue(QStringLiteral("bconsole"), baculaDirectors[i].bconsole);
    }
    s.endArray();
    s.setValue(key::baculaFinishedDays, baculaFinishedDays);
}

bool AppSettings::isDirectorName(const QString &name) {
    static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9_.:-]{1,127}$"));
    return valid.match(name).hasMatch();
}

QString AppSettings::validationError() const {
    if (pollIntervalMs < kMinPollIntervalMs || pollIntervalMs > kMaxPollIntervalMs)
        return tr("The poll interval must be between %1 and %2 milliseconds.")
            .arg(kMinPollIntervalMs)
            .arg(kMaxPollIntervalMs);
    if (stallTimeoutSeconds < 0 || stallTimeoutSeconds > kMaxStallTimeoutSeconds)
        return tr("The stall timeout must be between 0 (off) and %1 seconds.")
            .arg(kMaxStallTimeoutSeconds);
    if (maxLogLinesPerSession < kMinLogLines || maxLogLinesPerSession > kMaxLogLines)
        return tr("The log lines kept per session must be between %1 and %2.")
            .arg(kMinLogLines)
            .arg(kMaxLogLines);
    if (historyMaxAgeDays < 0 || historyMaxAgeDays > kMaxHistoryAgeDays)
        return tr("The history age must be between 0 (keep forever) and %1 days.")
            .arg(kMaxHistoryAgeDays);
    if (historyMaxSessions < 0)
        return tr("The number of sessions the history keeps must be 0 (unlimited) or more.");
    if (overdueGraceMinutes < 0 || overdueGraceMinutes > kMaxOverdueGraceMinutes)
        return tr("The overdue grace must be between 0 and %1 minutes.")
            .arg(kMaxOverdueGraceMinutes);
    for (const QString &unit : systemdUnits) {
        if (!unit.trimmed().isEmpty() && normalizedSystemdUnits({unit}).isEmpty())
            return tr("“%1” is not a systemd unit name.").arg(unit);
    }
    for (const QString &dir : spoolDirectories) {
        if (dir.trimmed().isEmpty())
            continue;
        if (QDir::isRelativePath(dir))
            return tr("The spool directory “%1” is not an absolute path.").arg(dir);
    }
    // The broker's URL is checked where it is parsed (BrokerUrl, the dialog).
    for (const QString &file :
         {broker.passwordFile, broker.caFile, broker.certFile, broker.keyFile}) {
        if (!file.isEmpty() && QDir::isRelativePath(file))
            return tr("The broker file “%1” is not an absolute path.").arg(file);
    }
    if (!broker.passwordFile.isEmpty() && broker.username.isEmpty())
        return tr("A broker password file needs a user name.");
    if (broker.passwordInKeyring && broker.username.isEmpty())
        return tr("A broker password in the keyring needs a user name.");
    if (broker.passwordInKeyring && !broker.passwordFile.isEmpty())
        return tr("The broker password comes from a file or from the keyring, not both.");
    if (broker.certFile.isEmpty() != broker.keyFile.isEmpty())
        return tr("The broker's client certificate and its key go together.");
    QStringList directorNames;
    for (const BaculaDirector &director : baculaDirectors) {
        if (!isDirectorName(director.name))
            return tr("“%1” is not a Bacula director name: letters, digits and _.:- only.")
                .arg(director.name);
        if (directorNames.contains(director.name))
            return tr("Two Bacula directors are named “%1”.").arg(director.name);
        directorNames << director.name;
        if (!QDir::isAbsolutePath(director.configPath))
            return tr("The bconsole.conf of director %1 must be an absolute path.")
                .arg(director.name);
        if (!QDir::isAbsolutePath(director.bconsole))
            return tr("The bconsole program of director %1 must be an absolute path.")
                .arg(director.name);
    }
    if (baculaFinishedDays < 1 || baculaFinishedDays > kMaxBaculaFinishedDays)
        return tr("The days of finished Bacula jobs must be between 1 and %1.")
            .arg(kMaxBaculaFinishedDays);
    return {};
}

bool AppSettings::notifies(SessionState state, Owner owner) const {
    if (owner == Owner::Others && state != SessionState::Failed
        && state != SessionState::Interrupted)
        return false;
    switch (state) {
    case SessionState::Failed:
        return notifyOnFailed;
    case SessionState::Stalled:
        return notifyOnStalled;
    case SessionState::Interrupted:
        return notifyOnInterrupted;
    case SessionState::Succeeded:
        return notifyOnSuccess;
    case SessionState::Warning:
        return notifyOnWarning;
    default:
        return false;
    }
}

std::optional<qint64> AppSettings::stallTimeoutOverrideMs() {
    bool ok = false;
    const double seconds = qEnvironmentVariable("KEEPWATCH_STALL_TIMEOUT").toDouble(&ok);
    if (!ok || seconds < 0)
        return std::nullopt;
    return qint64(seconds * 1000);
}

qint64 AppSettings::effectiveStallTimeoutMs() const {
    return stallTimeoutOverrideMs().value_or(qint64(stallTimeoutSeconds) * 1000);
}

QStringList AppSettings::normalizedSpoolDirectories(const QStringList &directories) {
    QStringList out{SpoolLocation::defaultDirectory()};
    for (const QString &dir : directories) {
        const QString trimmed = dir.trimmed();
        if (trimmed.isEmpty())
            continue;
        const QString clean = QDir::cleanPath(trimmed);
        if (!out.contains(clean))
            out.append(clean);
    }
    return out;
}

QStringList AppSettings::normalizedSystemdUnits(const QStringList &units) {
    QStringList out;
    for (const QString &unit : units) {
        const QString name = unit.trimmed();
        // Unit names are ASCII without spaces or slashes (systemd.unit(5)).
        static const QRegularExpression valid(QStringLiteral("^[A-Za-z0-9:_.\\\\@-]{1,250}$"));
        if (!valid.match(name).hasMatch())
            continue;
        out << (name.contains(QLatin1Char('.')) ? name : name + QStringLiteral(".service"));
    }
    out.sort();
    out.removeDuplicates();
    return out;
}

bool operator==(const AppSettings &a, const AppSettings &b) {
    return a.spoolDirectories == b.spoolDirectories && a.systemdUnits == b.systemdUnits
           && a.overdueGraceMinutes == b.overdueGraceMinutes && a.pollIntervalMs == b.pollIntervalMs
           && a.stallTimeoutSeconds == b.stallTimeoutSeconds
           && a.maxLogLinesPerSession == b.maxLogLinesPerSession
           && a.notifyOnFailed == b.notifyOnFailed && a.notifyOnStalled == b.notifyOnStalled
           && a.notifyOnInterrupted == b.notifyOnInterrupted
           && a.notifyOnSuccess == b.notifyOnSuccess && a.notifyOnWarning == b.notifyOnWarning
           && a.trayIcon == b.trayIcon && a.historyMaxAgeDays == b.historyMaxAgeDays
           && a.historyMaxSessions == b.historyMaxSessions && a.broker == b.broker
           && a.baculaDirectors == b.baculaDirectors
           && a.baculaFinishedDays == b.baculaFinishedDays;
}

} // namespace kw
