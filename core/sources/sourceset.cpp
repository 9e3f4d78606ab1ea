// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "sources/sourceset.h"

#include "discovery/procsource.h"
#include "fleet/remotespools.h"
#include "history/historyspoolsource.h"
#include "logging/logging.h"
#include "platform/useraccounts.h"
#include "settings/appsettings.h"
#include "sources/remotehostssource.h"
#include "spool/spoollocation.h"
#include "spool/spoolsnapshot.h"
#include "spool/spoolsource.h"
#include "spool/systemspool.h"
#ifndef Q_OS_WIN
#include "spool/systemspoolsource.h"
#else
#include "vss/vssshadowsource.h"
#include "vss/vsssource.h"
#endif
#include "store/sessionstore.h"
#ifdef KEEPWATCH_WITH_SYSTEMD
#include "systemd/systemdsource.h"
#endif

#include <QDir>

namespace kw {

namespace {

QString cleaned(const QString &directory) {
    return QDir::cleanPath(QDir(directory).absolutePath());
}

// A host's mirrors as a spool of that host (RemoteSpools).
std::unique_ptr<SpoolSource> remoteSource(const QString &root, const QString &host) {
    SpoolSource::Options options;
    options.identity = RemoteSpools::identityFor(host);
    options.remoteHost = host;
    return std::make_unique<SpoolSource>(QDir(root).filePath(host), options);
}

} // namespace

SourceSetConfig SourceSetConfig::fromSettings(const AppSettings &settings) {
    SourceSetConfig config;
    config.spoolDirectory = SpoolLocation::defaultDirectory();
    // The settings list the default spool first, then the extra ones (the
    // file keeps only those).
    config.extraSpoolDirectories = settings.spoolDirectories.mid(1);
    config.discovery = ProcSource::enabledByEnvironment();
#ifdef KEEPWATCH_WITH_SYSTEMD
    config.systemd = SystemdSource::enabledByEnvironment();
#endif
#ifdef Q_OS_WIN
    config.vss = VssSource::enabledByEnvironment();
#endif
    config.systemdUnits = settings.systemdUnits;
    config.remoteDirectory = RemoteSpools::root(SpoolLocation::stateDirectory());
    for (const AppSettings::BaculaDirector &director : settings.baculaDirectors) {
        BaculaSourceOptions options;
        options.name = director.name;
        options.configPath = director.configPath;
        options.bconsole = director.bconsole;
        options.finishedDays = settings.baculaFinishedDays;
        config.baculaDirectors << options;
    }
    if (settings.historyMaxAgeDays > 0)
        config.retention.maxAgeMs = qint64(settings.historyMaxAgeDays) * 24 * 3600 * 1000;
    if (settings.historyMaxSessions > 0)
        config.retention.maxSessions = settings.historyMaxSessions;
    config.maxSeedLogLines = settings.maxLogLinesPerSession;
    return config;
}

SourceSetConfig SourceSetConfig::load() {
    return fromSettings(AppSettings::load());
}

SourceSet::SourceSet(SourceSetConfig config)
    : m_config(std::move(config)) {
    const QString own = cleaned(m_config.spoolDirectory);
    for (const QString &directory : std::as_const(m_config.extraSpoolDirectories)) {
        if (directory.trimmed().isEmpty())
            continue;
        const QString path = cleaned(directory);
        if (path != own && !m_extraSpools.contains(path))
            m_extraSpools.append(path);
    }
}

QString SourceSet::spoolIdentity(const QString &directory, bool own) {
    return own ? QStringLiteral("spool") : QStringLiteral("spool:") + cleaned(directory);
}

bool SourceSet::isSpool(const QString &identity) {
    return SpoolLocation::isSpoolIdentity(identity);
}

QStringList SourceSet::spoolDirectories() const {
    return QStringList{cleaned(m_config.spoolDirectory)} + m_extraSpools;
}

QString SourceSet::spoolDirectoryOf(const QString &identity) const {
    if (identity == spoolIdentity(m_config.spoolDirectory, true))
        return cleaned(m_config.spoolDirectory);
    for (const QString &directory : m_extraSpools) {
        if (identity == spoolIdentity(directory, false))
            return directory;
    }
    if (SystemSpool::isSystemIdentity(identity)) {
        // Only a name the password database knows becomes a path.
        const QString user = SystemSpool::userOfIdentity(identity);
        if (UserAccounts::uidOf(user) && !user.contains(QLatin1Char('/'))
            && user != QLatin1String(".") && user != QLatin1String(".."))
            return SystemSpool::directoryFor(user);
    }
    return {};
}

QString SourceSet::describeSpools() const {
    return spoolDirectories().join(QLatin1String(", "));
}

SourceFactory SourceSet::factory() const {
    return [config = m_config, extras = m_extraSpools]() {
        SessionSources sources;
        // Every host mirrored here, also one mirrored for the first time
        // while the window runs; recorded in the history with the own spool
        // (the mirrors are this machine's only copy).
        const auto makeRemote = [root = config.remoteDirectory] {
            return std::make_unique<RemoteHostsSource>(
                root, [root](const QString &host) { return remoteSource(root, host); });
        };
        const bool mirrored = !config.remoteDirectory.isEmpty();
        // Sources whose sessions the history keeps beside the spool's:
        // systemd's runs (the journal forgets them) and Bacula's jobs (the
        // catalog prunes them).
        SessionSources recorded;
#ifdef KEEPWATCH_WITH_SYSTEMD
        if (config.systemd) {
            for (const auto bus :
                 {SystemdSourceOptions::Bus::System, SystemdSourceOptions::Bus::User}) {
                SystemdSourceOptions options;
                options.bus = bus;
                options.units = config.systemdUnits;
                recorded.push_back(std::make_unique<SystemdSource>(options));
            }
        }
#endif
        for (const BaculaSourceOptions &director : config.baculaDirectors)
            recorded.push_back(std::make_unique<BaculaSource>(director));
#ifdef Q_OS_WIN
        // The VSS writers' polls and the shadow copies' listings: kept by the
        // history like a unit's runs.
        if (config.vss) {
            recorded.push_back(std::make_unique<VssSource>());
            recorded.push_back(std::make_unique<VssShadowSource>());
        }
#endif
        if (config.historyPath.isEmpty()) {
            sources.push_back(std::make_unique<SpoolSource>(config.spoolDirectory));
        } else {
            HistorySpoolSource::Options history;
            history.databasePath = config.historyPath;
            history.spoolDirectory = config.spoolDirectory;
            history.maxSeedLogLines = config.maxSeedLogLines;
            history.retention = config.retention;
            MakeSpoolGroups mirrors;
            if (mirrored) {
                mirrors = [makeRemote] {
                    SpoolGroups groups;
                    groups.push_back(makeRemote());
                    return groups;
                };
            }
            sources.push_back(std::make_unique<HistorySpoolSource>(history, std::move(recorded),
                                                                   std::move(mirrors)));
            recorded.clear();
        }
        for (const QString &directory : extras) {
            SpoolSource::Options options;
            options.identity = spoolIdentity(directory, false);
            sources.push_back(std::make_unique<SpoolSource>(directory, options));
        }
#ifndef Q_OS_WIN
        if (config.systemSpool)
            sources.push_back(std::make_unique<SystemSpoolSource>());
#endif
        if (mirrored && config.historyPath.isEmpty()) // without a history
            sources.push_back(makeRemote());
        if (config.discovery)
            sources.push_back(std::make_unique<ProcSource>());
        for (auto &source : recorded) // without a history
            sources.push_back(std::move(source));
        for (const auto &source : sources)
            qCDebug(log::sources) << "watching" << source->name();
        return sources;
    };
}

SourceSet::Loaded SourceSet::loadInto(SessionStore &store, bool ownSpool) const {
    Loaded loaded;
    // A spool that cannot be read at all is an error for the own spool (the
    // user asked about it) and a warning for an extra one (the rest still
    // counts); a missing one is just empty.
    auto readSpool = [&](const QString &directory, bool own) {
        const QList<SourceError> problems =
            SpoolSnapshot::load(directory, store, spoolIdentity(directory, own));
        for (const SourceError &e : problems) {
            if (own && e.location == directory && e.line == 0) {
                loaded.fatal =
                    QStringLiteral("cannot read the spool %1: %2").arg(directory, e.message);
                return;
            }
        }
        loaded.problems.append(problems);
    };
    if (ownSpool)
        readSpool(m_config.spoolDirectory, true);
    if (!loaded.fatal.isEmpty())
        return loaded;
    for (const QString &directory : m_extraSpools)
        readSpool(directory, false);
#ifndef Q_OS_WIN
    if (m_config.systemSpool) {
        // Never fatal: a user outside group keepwatch gets one note saying so.
        loaded.problems.append(SpoolSnapshot::load(
            [] {
                SystemSpoolSource::Options options;
                options.livenessIntervalMs = 0; // every pass checks the producers it can
                return std::unique_ptr<SessionSource>(std::make_unique<SystemSpoolSource>(options));
            },
            store));
    }
#endif
    if (!m_config.remoteDirectory.isEmpty()) {
        for (const QString &host : RemoteSpools::hosts(m_config.remoteDirectory)) {
            const QString root = m_config.remoteDirectory;
            loaded.problems.append(SpoolSnapshot::load(
                [root, host] { return std::unique_ptr<SessionSource>(remoteSource(root, host)); },
                store));
        }
    }
    for (BaculaSourceOptions director : m_config.baculaDirectors) {
        director.snapshot = true; // one look, its bconsoles waited for
        loaded.problems.append(SpoolSnapshot::load(
            [director] {
                return std::unique_ptr<SessionSource>(std::make_unique<BaculaSource>(director));
            },
            store));
    }
    if (m_config.discovery) {
        // One scan: the backup tools running now without `keepwatch-cli run`.
        ProcSource source;
        EventBatch batch;
        source.poll(batch);
        loaded.problems.append(batch.errors);
        store.apply(batch);
    }
#ifdef KEEPWATCH_WITH_SYSTEMD
    if (m_config.systemd) {
        for (const auto bus :
             {SystemdSourceOptions::Bus::System, SystemdSourceOptions::Bus::User}) {
            // Once: the runs going on now with their lines so far, and the
            // runs of the last days from the journal.
            SystemdSourceOptions options;
            options.bus = bus;
            options.units = m_config.systemdUnits;
            options.endGraceMs = 0;
            loaded.problems.append(SpoolSnapshot::load(
                [options] {
                    return std::unique_ptr<SessionSource>(std::make_unique<SystemdSource>(options));
                },
                store));
        }
    }
#endif
    return loaded;
}

} // namespace kw
