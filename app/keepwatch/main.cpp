// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "history/historydatabase.h"
#include "icons.h"
#include "mainwindow.h"
#include "platform/processend.h"
#include "spool/spoollocation.h"

#include <QApplication>
#include <QByteArrayView>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QTimer>
#include <cstdio>
#include <cstdlib>

namespace {

struct Options {
    QString spoolDirectory;
    QString historyPath; // empty: no history
    QString openSession;
    QString screenshotFile;
    int screenshotDelayMs = 0;
};

// --help and --version should work without a display (servers, packaging
// checks), so they are answered before a QApplication needs one. Anything
// else is parsed after it, because QApplication takes its own options
// (-platform, -style...) out of the arguments first.
bool wantsInformationOnly(int argc, char **argv) {
    for (int i = 1; i < argc; ++i) {
        const QByteArrayView arg(argv[i]);
        if (arg == "-h" || arg == "--help" || arg == "-?" || arg == "--help-all" || arg == "-v"
            || arg == "--version")
            return true;
    }
    return false;
}

// Exits on --help, --version and errors, like QCommandLineParser::process().
Options parseCommandLine(const QCoreApplication &app) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "Monitor for live backup and restore sessions."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption spool(
        QStringLiteral("spool"),
        QCoreApplication::translate("main", "Watch the spool directory <dir> (default: %1).")
            .arg(QDir::toNativeSeparators(kw::SpoolLocation::defaultDirectory())),
        QStringLiteral("dir"));
    const QCommandLineOption open(
        QStringLiteral("open"),
        QCoreApplication::translate("main", "Open the log of session <id> as soon as it appears."),
        QStringLiteral("id"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Save a picture of the window to <file> after "
                                            "--screenshot-delay milliseconds, then quit "
                                            "(for documentation)."),
        QStringLiteral("file"));
    const QCommandLineOption screenshotDelay(
        QStringLiteral("screenshot-delay"),
        QCoreApplication::translate("main", "Wait <ms> milliseconds before --screenshot "
                                            "(default: 1500)."),
        QStringLiteral("ms"), QStringLiteral("1500"));
    const QCommandLineOption history(
        QStringLiteral("history"),
        QCoreApplication::translate("main", "Keep the history in the database <file> "
                                            "(default: %1).")
            .arg(QDir::toNativeSeparators(kw::HistoryDatabase::defaultPath())),
        QStringLiteral("file"));
    const QCommandLineOption noHistory(
        QStringLiteral("no-history"),
        QCoreApplication::translate("main", "Keep no history: read the spool only."));
    parser.addOptions({spool, history, noHistory, open, screenshot, screenshotDelay});
    parser.process(app);

    Options options;
    options.spoolDirectory = parser.isSet(spool) ? QDir(parser.value(spool)).absolutePath()
                                                 : kw::SpoolLocation::defaultDirectory();
    if (parser.isSet(history) && parser.isSet(noHistory)) {
        std::fprintf(stderr, "keepwatch: --history and --no-history exclude each other\n");
        std::exit(EXIT_FAILURE);
    }
    if (!parser.isSet(noHistory))
        options.historyPath = parser.isSet(history)
                                  ? QFileInfo(parser.value(history)).absoluteFilePath()
                                  : kw::HistoryDatabase::defaultPath();
    options.openSession = parser.value(open);
    options.screenshotFile = parser.value(screenshot);
    bool ok = false;
    options.screenshotDelayMs = parser.value(screenshotDelay).toInt(&ok);
    if (!ok || options.screenshotDelayMs < 0) {
        std::fprintf(stderr, "keepwatch: --screenshot-delay wants a number of milliseconds\n");
        std::exit(EXIT_FAILURE);
    }
    return options;
}

int runWindow(int argc, char **argv) {
    // Before any application object: both parse and window use them.
    QCoreApplication::setOrganizationName(QStringLiteral("Keepwatch"));
    QCoreApplication::setApplicationName(QStringLiteral("keepwatch"));
    QCoreApplication::setApplicationVersion(QStringLiteral(KEEPWATCH_VERSION));
    if (wantsInformationOnly(argc, argv)) {
        const QCoreApplication app(argc, argv);
        parseCommandLine(app); // prints and exits
        return EXIT_SUCCESS;
    }

    QApplication app(argc, argv);
    const Options options = parseCommandLine(app);
    QApplication::setApplicationDisplayName(QStringLiteral("Keepwatch"));
    // Lets Wayland compositors and docks match the window to its .desktop file.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.keepwatch.Keepwatch"));
    QApplication::setWindowIcon(kw::Icons::application());

    kw::MainWindow window(options.spoolDirectory, options.historyPath);
    if (!options.openSession.isEmpty())
        window.openLogWhenAvailable(options.openSession);
    window.show();

    if (!options.screenshotFile.isEmpty()) {
        const QString file = options.screenshotFile;
        QTimer::singleShot(options.screenshotDelayMs, &window, [&window, file] {
            if (!window.grab().save(file)) {
                std::fprintf(stderr, "keepwatch: cannot write %s\n", qPrintable(file));
                QCoreApplication::exit(1);
                return;
            }
            QCoreApplication::quit();
        });
    }
    return QApplication::exec();
}

} // namespace

int main(int argc, char **argv) {
    return kw::endProcess(runWindow(argc, argv));
}
