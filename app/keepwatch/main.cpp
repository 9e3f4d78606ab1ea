#include "icons.h"
#include "mainwindow.h"
#include "spool/spoollocation.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTimer>
#include <cstdio>

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Keepwatch"));
    QApplication::setApplicationName(QStringLiteral("keepwatch"));
    QApplication::setApplicationDisplayName(QStringLiteral("Keepwatch"));
    QApplication::setApplicationVersion(QStringLiteral(KEEPWATCH_VERSION));
    // Lets Wayland compositors and docks match the window to its .desktop file.
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.keepwatch.Keepwatch"));
    QApplication::setWindowIcon(kw::Icons::application());

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
    parser.addOptions({spool, open, screenshot, screenshotDelay});
    parser.process(app);

    const QString spoolDirectory = parser.isSet(spool) ? QDir(parser.value(spool)).absolutePath()
                                                       : kw::SpoolLocation::defaultDirectory();
    kw::MainWindow window(spoolDirectory);
    if (parser.isSet(open))
        window.openLogWhenAvailable(parser.value(open));
    window.show();

    if (parser.isSet(screenshot)) {
        bool ok = false;
        const int delay = parser.value(screenshotDelay).toInt(&ok);
        if (!ok || delay < 0) {
            std::fprintf(stderr, "keepwatch: --screenshot-delay wants milliseconds\n");
            return 2;
        }
        const QString file = parser.value(screenshot);
        QTimer::singleShot(delay, &window, [&window, file] {
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
