// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "icons.h"

#include "keepwatchresources.h"

#include <QPainter>
#include <QPixmap>
#ifdef KEEPWATCH_WITH_QTSVG
#include <QSvgRenderer>
#endif

namespace kw {

namespace {
#ifdef KEEPWATCH_WITH_QTSVG
QPixmap render(QSvgRenderer &renderer, int pixels) {
    QPixmap pixmap(pixels, pixels);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end(); // before the pixmap is copied out
    return pixmap;
}
#endif
} // namespace

QString Icons::statePath(SessionState state) {
    const auto file = [&]() -> QLatin1String {
        switch (state) {
        case SessionState::Queued:
        case SessionState::Starting:
            return QLatin1String("queued");
        case SessionState::Running:
            return QLatin1String("running");
        case SessionState::Stalled:
            return QLatin1String("stalled");
        case SessionState::Cancelling:
            return QLatin1String("cancelling");
        case SessionState::Succeeded:
            return QLatin1String("succeeded");
        case SessionState::Warning:
            return QLatin1String("warning");
        case SessionState::Failed:
            return QLatin1String("failed");
        case SessionState::Cancelled:
            return QLatin1String("cancelled");
        case SessionState::Interrupted:
            return QLatin1String("interrupted");
        case SessionState::Exited:
        case SessionState::Count:
            break;
        }
        return QLatin1String("exited");
    }();
    return QLatin1String(":/keepwatch/icons/state-") + file + QLatin1String(".svg");
}

QIcon Icons::fromSvg(const QString &path, std::initializer_list<int> sizes) {
    resources::init();
#ifdef KEEPWATCH_WITH_QTSVG
    QSvgRenderer renderer(path);
    if (!renderer.isValid())
        return {};
#endif
    QIcon icon;
    for (const int size : sizes) {
        // Twice the size too, so a 2x screen picks sharp pixels instead of
        // an upscaled blur (QIcon chooses among physical pixmap sizes).
        for (const int pixels : {size, size * 2}) {
            if (icon.availableSizes().contains(QSize(pixels, pixels)))
                continue;
#ifdef KEEPWATCH_WITH_QTSVG
            icon.addPixmap(render(renderer, pixels));
#else
            // Rendered at build time (resources/CMakeLists.txt): NAME-PIXELS.png.
            const QPixmap pixmap(path.chopped(4) + QStringLiteral("-%1.png").arg(pixels));
            if (!pixmap.isNull())
                icon.addPixmap(pixmap);
#endif
        }
    }
    return icon;
}

QIcon Icons::state(SessionState state) {
    return fromSvg(statePath(state), {16, 22, 32});
}

QIcon Icons::locked() {
    return fromSvg(QStringLiteral(":/keepwatch/icons/locked.svg"), {16, 22, 32});
}

QIcon Icons::application() {
    return fromSvg(QStringLiteral(":/keepwatch/keepwatch.svg"), {16, 24, 32, 48, 64, 128, 256});
}

} // namespace kw
