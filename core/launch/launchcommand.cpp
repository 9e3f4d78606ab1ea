// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "launch/launchcommand.h"

#include "format/shellquote.h"
#include "tools/toolregistry.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

namespace kw {

namespace {

bool isRestore(const LaunchProfile &p) {
    return p.kind == SessionKind::Restore;
}

QString quotedForMessage(const QString &text) {
    return QLatin1Char('"') + text + QLatin1Char('"');
}

QString tr(const char *text) {
    return QCoreApplication::translate("kw::LaunchCommand", text);
}

// A text of the tool's launch form (core/tools/<tool>/).
QString formText(const char *text) {
    return QCoreApplication::translate("kw::ToolLaunch", text);
}

// A value that lands in the tool's argv as a positional argument must not be
// mistaken for an option.
QString optionLikeError(const QString &value) {
    if (!value.startsWith(QLatin1Char('-')))
        return {};
    return tr("%1 starts with \"-\" and would be read as an option; write ./%2 instead.")
        .arg(quotedForMessage(value), value);
}

// "restic, borg or rsync"
QString toolChoice() {
    QStringList names = LaunchProfile::supportedTools();
    const QString last = names.takeLast();
    return names.isEmpty() ? last : names.join(QLatin1String(", ")) + tr(" or ") + last;
}

QString validatePaths(const LaunchProfile &p, const LaunchForm &form) {
    for (qsizetype i = 0; i < p.paths.size(); ++i) {
        if (p.paths[i].trimmed().isEmpty())
            return tr("Path %1 is empty.").arg(i + 1);
        if (QString e = optionLikeError(p.paths[i]); !e.isEmpty())
            return e;
    }
    if (!isRestore(p)) {
        if (p.paths.isEmpty())
            return tr("Add at least one path to back up.");
        return {};
    }
    if (p.paths.isEmpty() && form.restoreItemsMissing)
        return formText(form.restoreItemsMissing);
    if (p.paths.size() > 1 && form.restoreItemsTooMany)
        return formText(form.restoreItemsTooMany);
    return {};
}

QString validatePassword(const LaunchProfile &p, const LaunchForm &form) {
    using T = PasswordSource::Type;
    const PasswordSource &pw = p.password;
    if (ToolRegistry::forTool(p.tool).passwordVariables().isEmpty()) {
        if (pw.type != T::None)
            return tr("%1 uses no repository password: set the password source to None.")
                .arg(p.tool);
        return {};
    }
    switch (pw.type) {
    case T::None:
        if (form.passwordRequired)
            return tr("%1 needs the repository password: choose a password file, a "
                      "password command or the keyring.")
                .arg(p.tool);
        return {};
    case T::File:
        if (pw.reference.trimmed().isEmpty())
            return tr("Choose the password file.");
        return {};
    case T::Command:
        if (pw.reference.trimmed().isEmpty())
            return tr("Enter the command that prints the password.");
        return {};
    case T::Keyring:
        if (p.name.trimmed().isEmpty())
            return tr("Name the profile: the keyring keeps the password under the profile name.");
        return {};
    case T::Count:
        break;
    }
    return tr("Unknown password source.");
}

// The tool's command line, without any password: the tool's profile makes it.
QStringList toolArgv(const LaunchProfile &p, const QStringList &extra) {
    LaunchRequest request;
    request.restore = isRestore(p);
    request.repository = p.repository;
    request.paths = p.paths;
    request.restoreTarget = p.restoreTarget;
    request.extra = extra;
    return ToolRegistry::forTool(p.tool).launchArguments(request);
}

void addPasswordEnvironment(const LaunchProfile &p, LaunchCommand &c) {
    using T = PasswordSource::Type;
    using K = PasswordDelivery::Kind;
    const PasswordSource &pw = p.password;
    const ToolProfile &tool = ToolRegistry::forTool(p.tool);
    if (pw.type == T::None || tool.passwordVariables().isEmpty())
        return;
    PasswordDelivery delivery;
    if (pw.type == T::File)
        delivery = {K::File, pw.reference};
    else if (pw.type == T::Command)
        delivery = {K::ShellCommand, pw.reference};
    else
        delivery = {K::LookupCommand, LaunchCommand::keyringLookupCommand(p.name)};
    c.environment = tool.passwordEnvironment(delivery);
    // The tool's password variables inherited from the caller go: the
    // profile's password source replaces them. Whatever is removed is only
    // what the profile replaces.
    c.removedEnvironment = tool.passwordVariables();
    for (auto it = c.environment.cbegin(); it != c.environment.cend(); ++it)
        c.removedEnvironment.removeAll(it.key());
}

} // namespace

QString LaunchCommand::validate(const LaunchProfile &p) {
    const LaunchForm *form =
        p.tool.isEmpty() ? nullptr : ToolRegistry::forTool(p.tool).launchForm();
    if (!form || !LaunchProfile::supportedTools().contains(p.tool)) {
        if (p.tool.isEmpty())
            return tr("Choose a tool: %1.").arg(toolChoice());
        return tr("Unknown tool %1: choose %2.").arg(quotedForMessage(p.tool), toolChoice());
    }
    if (p.kind != SessionKind::Backup && p.kind != SessionKind::Restore)
        return tr("Only backup and restore sessions can be launched, not %1.")
            .arg(QString(wireName(p.kind)));
    if (p.repository.trimmed().isEmpty())
        return formText(isRestore(p) ? form->restoreRepositoryMissing : form->repositoryMissing);
    if (QString e = optionLikeError(p.repository); !e.isEmpty())
        return e;
    if (form->repositoryForbidden
        && p.repository.contains(QLatin1String(form->repositoryForbidden)))
        return formText(form->repositoryForbiddenMessage);
    if (QString e = validatePaths(p, *form); !e.isEmpty())
        return e;
    // QProcess::splitCommand groups with double quotes only: a word still in
    // single quotes is a shell habit that would reach the tool quotes and all.
    for (const QString &word : QProcess::splitCommand(p.extraArgs)) {
        if (word.size() > 1 && word.startsWith(QLatin1Char('\'')))
            return tr("Extra arguments are grouped with double quotes, not single ones: %1.")
                .arg(word);
    }
    if (isRestore(p)) {
        if (p.restoreTarget.trimmed().isEmpty())
            return tr("Choose the directory to restore into.");
        if (QString e = optionLikeError(p.restoreTarget); !e.isEmpty())
            return e;
        if (!form->remoteRestoreTarget && !QDir::isAbsolutePath(p.restoreTarget))
            return tr("The restore target must be an absolute path.");
    }
    return validatePassword(p, *form);
}

LaunchCommand LaunchCommand::build(const LaunchProfile &profile, const LaunchOptions &options) {
    LaunchCommand c;
    c.error = validate(profile);
    if (!c.error.isEmpty())
        return c;

    c.program = options.cliPath;
    if (c.program.isEmpty()) {
        const QString beside =
            QCoreApplication::instance() ? QCoreApplication::applicationDirPath() : QString();
        c.program = locateCli(beside);
        if (c.program.isEmpty()) {
            c.error = tr("keepwatch-cli was not found next to this program (%1) or on PATH.")
                          .arg(QDir::toNativeSeparators(beside));
            return c;
        }
    }

    const QString title =
        profile.title.trimmed().isEmpty() ? profile.name.trimmed() : profile.title.trimmed();
    c.arguments << QStringLiteral("run") << QStringLiteral("--tool") << profile.tool
                << QStringLiteral("--kind") << QString(wireName(profile.kind));
    if (!title.isEmpty())
        c.arguments << QStringLiteral("--title") << title;
    if (!options.sessionId.isEmpty())
        c.arguments << QStringLiteral("--session-id") << options.sessionId;
    c.arguments << QStringLiteral("--")
                << toolArgv(profile, QProcess::splitCommand(profile.extraArgs));

    if (isRestore(profile)
        && ToolRegistry::forTool(profile.tool).launchForm()->restoresIntoWorkingDirectory)
        c.workingDirectory = profile.restoreTarget;
    addPasswordEnvironment(profile, c);
    if (!options.spoolDirectory.isEmpty())
        c.environment.insert(QStringLiteral("KEEPWATCH_SPOOL"), options.spoolDirectory);
    return c;
}

QStringList LaunchCommand::toolCommand() const {
    const qsizetype separator = arguments.indexOf(QStringLiteral("--"));
    return separator < 0 ? QStringList() : arguments.mid(separator + 1);
}

qint64 LaunchCommand::startDetached(const QProcessEnvironment &base, QString *startError) const {
    QProcess process;
    process.setProgram(program);
    process.setArguments(arguments);
    process.setWorkingDirectory(workingDirectory);
    process.setProcessEnvironment(processEnvironment(base));
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    qint64 pid = 0;
    if (!process.startDetached(&pid)) {
        if (startError)
            *startError = process.errorString();
        return 0;
    }
    return pid;
}

QProcessEnvironment LaunchCommand::processEnvironment(const QProcessEnvironment &base) const {
    QProcessEnvironment env = base;
    for (const QString &name : removedEnvironment)
        env.remove(name);
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

QString LaunchCommand::displayText(Layout layout) const {
    if (!isValid())
        return {};
    const QString breakHere =
        layout == Layout::MultiLine ? QStringLiteral(" \\\n    ") : QStringLiteral(" ");
    QStringList prefix;
    if (!workingDirectory.isEmpty())
        prefix << QStringLiteral("cd") << ShellQuote::quoteIfNeeded(workingDirectory)
               << QStringLiteral("&&");
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        prefix << it.key() + QLatin1Char('=') + ShellQuote::quoteIfNeeded(it.value());
    const qsizetype separator = arguments.indexOf(QStringLiteral("--"));
    const QStringList wrapperArgs = separator < 0 ? arguments : arguments.mid(0, separator + 1);
    QString text = prefix.join(QLatin1Char(' '));
    if (!text.isEmpty())
        text += breakHere;
    text += ShellQuote::quoteIfNeeded(program) + QLatin1Char(' ') + ShellQuote::join(wrapperArgs);
    if (separator >= 0)
        text += breakHere + ShellQuote::join(toolCommand());
    return text;
}

QString LaunchCommand::locateCli(const QString &besideDirectory, const QStringList &searchPaths) {
    if (!besideDirectory.isEmpty()) {
#ifdef Q_OS_WIN
        // findExecutable() tries PATHEXT's suffixes; a file name needs its own.
        const QFileInfo beside(QDir(besideDirectory).filePath(kCliName + QLatin1String(".exe")));
#else
        const QFileInfo beside(QDir(besideDirectory).filePath(kCliName));
#endif
        if (beside.isFile() && beside.isExecutable())
            return beside.absoluteFilePath();
    }
    return QStandardPaths::findExecutable(kCliName, searchPaths);
}

QString LaunchCommand::keyringLookupCommand(const QString &profileName) {
    return QLatin1String("secret-tool lookup ") + keyringAttribute() + QLatin1Char(' ')
           + ShellQuote::quote(profileName);
}

} // namespace kw
