// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "systemd/backupunits.h"

#include "tools/commandline.h"

#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>

namespace kw {

namespace {

// Programs that run backups with a known tool underneath but are not tools
// Keepwatch reads the output of: their runs are backups, their lines log.
const QStringList &frontEnds() {
    static const QStringList names = {QStringLiteral("borgmatic"), QStringLiteral("resticprofile"),
                                      QStringLiteral("autorestic")};
    return names;
}

bool isShell(const QString &program) {
    static const QStringList shells = {QStringLiteral("sh"), QStringLiteral("bash"),
                                       QStringLiteral("dash"), QStringLiteral("zsh")};
    return shells.contains(program);
}

// The argument lists worth looking into: the command itself and, for a
// shell's -c, the words of its script.
QList<QStringList> candidates(const QStringList &argv) {
    QList<QStringList> lists{argv};
    const QStringList effective = CommandLineInfo::effectiveCommand(argv);
    if (!effective.isEmpty() && isShell(QFileInfo(effective.first()).fileName())) {
        const qsizetype c = effective.indexOf(QStringLiteral("-c"));
        if (c > 0 && c + 1 < effective.size()) {
            // "restic backup /x && borg ...": each command of the script.
            static const QRegularExpression separators(QStringLiteral("&&|\\|\\||;|\\|"));
            for (const QString &part : effective[c + 1].split(separators))
                lists << QProcess::splitCommand(part.trimmed());
        }
    }
    return lists;
}

std::optional<BackupUnit> fromCommand(const QStringList &argv) {
    const QStringList effective = CommandLineInfo::effectiveCommand(argv);
    const QString program = CommandLineInfo::programName(effective);
    if (program == QLatin1String("keepwatch-cli") && effective.contains(QStringLiteral("run"))) {
        const qsizetype dashes = effective.indexOf(QStringLiteral("--"));
        BackupUnit unit;
        if (dashes > 0 && dashes + 1 < effective.size()) {
            if (auto inner = fromCommand(effective.mid(dashes + 1)))
                unit = *inner;
        }
        if (unit.tool.isEmpty())
            unit.tool = program;
        unit.wrapped = true;
        unit.why = QStringLiteral("runs keepwatch-cli run");
        return unit;
    }
    if (frontEnds().contains(program)) {
        BackupUnit unit;
        unit.tool = program;
        unit.kind = SessionKind::Backup;
        unit.command = effective;
        unit.why = QStringLiteral("runs %1").arg(program);
        return unit;
    }
    // Any argument that starts a known tool: "systemd-inhibit --why=... borg create".
    for (qsizetype i = 0; i < effective.size(); ++i) {
        const QStringList rest = effective.mid(i);
        const CommandLineInfo info = CommandLineInfo::inspect(rest);
        if (!info.knownTool && !frontEnds().contains(info.tool))
            continue;
        BackupUnit unit;
        unit.tool = info.tool;
        unit.kind = info.knownTool ? info.kind : SessionKind::Backup;
        unit.target = info.target;
        unit.command = rest;
        unit.why = QStringLiteral("runs %1").arg(info.tool);
        return unit;
    }
    return std::nullopt;
}

} // namespace

BackupUnits::BackupUnits(const QStringList &chosenUnits) {
    for (const QString &unit : chosenUnits) {
        if (!unit.trimmed().isEmpty())
            m_chosen << serviceName(unit.trimmed());
    }
}

QString BackupUnits::serviceName(const QString &unit) {
    return unit.contains(QLatin1Char('.')) ? unit : unit + QStringLiteral(".service");
}

bool BackupUnits::matchesByName(const QString &unit) const {
    if (!unit.endsWith(QLatin1String(".service")))
        return false;
    if (m_chosen.contains(unit))
        return true;
    const QString base = unit.chopped(8);
    return base.startsWith(QLatin1String("borgmatic"))
           || base.startsWith(QLatin1String("resticprofile-"))
           || base.contains(QLatin1String("backup"), Qt::CaseInsensitive);
}

std::optional<BackupUnit> BackupUnits::match(const QString &unit,
                                             const QList<QStringList> &execStart) const {
    if (!unit.endsWith(QLatin1String(".service")))
        return std::nullopt;
    for (const QStringList &argv : execStart) {
        for (const QStringList &candidate : candidates(argv)) {
            if (auto found = fromCommand(candidate))
                return found;
        }
    }
    if (!matchesByName(unit))
        return std::nullopt;
    BackupUnit byName;
    const QStringList first = execStart.isEmpty() ? QStringList() : execStart.first();
    byName.tool = first.isEmpty() ? QStringLiteral("generic") : CommandLineInfo::programName(first);
    byName.kind = SessionKind::Backup;
    byName.command = first;
    byName.why = m_chosen.contains(unit) ? QStringLiteral("chosen in Settings")
                                         : QStringLiteral("its name says backup");
    return byName;
}

} // namespace kw
