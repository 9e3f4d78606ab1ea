// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "icons.h"
#include "testmain.h"
#include "testsupport.h"

#include <QFile>
#include <QImage>
#include <QSet>
#include <QTest>

using namespace kw;

namespace {
// Pixels that are neither transparent nor the same colour everywhere: the
// SVG really rendered, not an empty or broken pixmap.
bool hasDrawing(const QImage &image) {
    int opaque = 0;
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QRgb px = image.pixel(x, y);
            if (qAlpha(px) > 128) {
                ++opaque;
                colours.insert(px);
            }
        }
    }
    return opaque > image.width() * image.height() / 8 && colours.size() > 1;
}
} // namespace

class TestIcons final : public QObject {
    Q_OBJECT

private slots:
    void stateIconLoads_data() {
        QTest::addColumn<SessionState>("state");
        for (int i = 0; i < int(SessionState::Count); ++i)
            QTest::newRow(wireName(SessionState(i)).latin1()) << SessionState(i);
    }

    void stateIconLoads() {
        QFETCH(SessionState, state);
        QVERIFY2(QFile::exists(Icons::statePath(state)), qPrintable(Icons::statePath(state)));
        const QIcon icon = Icons::state(state);
        QVERIFY(!icon.isNull());
        for (const int size : {16, 22, 32}) {
            const QPixmap pixmap = icon.pixmap(size, size);
            QVERIFY(!pixmap.isNull());
            QCOMPARE(pixmap.width(), size);
            QVERIFY2(hasDrawing(pixmap.toImage()), qPrintable(Icons::statePath(state)));
        }
    }

    // Icons tell states apart by themselves: every state group draws
    // differently (queued and starting share one on purpose).
    void stateIconsDiffer() {
        QHash<QString, QString> seen; // image bytes -> path
        QSet<QString> paths;
        for (int i = 0; i < int(SessionState::Count); ++i) {
            const QString path = Icons::statePath(SessionState(i));
            if (paths.contains(path))
                continue;
            paths.insert(path);
            const QImage image = Icons::state(SessionState(i)).pixmap(32, 32).toImage();
            const QString bytes = QString::fromLatin1(
                QByteArray(reinterpret_cast<const char *>(image.constBits()), image.sizeInBytes())
                    .toBase64());
            QVERIFY2(!seen.contains(bytes),
                     qPrintable(path + QLatin1String(" looks like ") + seen.value(bytes)));
            seen.insert(bytes, path);
        }
        QCOMPARE(paths.size(), 10);
        QCOMPARE(Icons::statePath(SessionState::Starting), Icons::statePath(SessionState::Queued));
    }

    void applicationIconLoads() {
        const QIcon icon = Icons::application();
        QVERIFY(!icon.isNull());
        for (const int size : {16, 48, 256}) {
            const QPixmap pixmap = icon.pixmap(size, size);
            QCOMPARE(pixmap.size(), QSize(size, size));
            QVERIFY(hasDrawing(pixmap.toImage()));
        }
    }

    void missingFileGivesNullIcon() {
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral(".*")));
        QVERIFY(Icons::fromSvg(QStringLiteral(":/keepwatch/no-such.svg"), {16}).isNull());
    }
};

KW_TEST_MAIN(TestIcons)
#include "tst_icons.moc"
