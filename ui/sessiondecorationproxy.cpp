// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "sessiondecorationproxy.h"

#include "icons.h"
#include "models/sessiontablemodel.h"

#include <QGuiApplication>

namespace kw {

namespace {
QColor blend(const QColor &base, const QColor &accent, double amount) {
    const auto mix = [amount](int a, int b) {
        return qRound(a + (b - a) * amount);
    };
    return QColor(mix(base.red(), accent.red()), mix(base.green(), accent.green()),
                  mix(base.blue(), accent.blue()));
}
} // namespace

SessionDecorationProxy::SessionDecorationProxy(QObject *parent)
    : QIdentityProxyModel(parent) {
    for (size_t i = 0; i < kStates; ++i)
        m_icons[i] = Icons::state(SessionState(i));
    m_locked = Icons::locked();
    setPalette(QGuiApplication::palette());
}

QColor SessionDecorationProxy::tint(SessionState state, const QPalette &palette) {
    QColor accent;
    double amount = 0.2;
    switch (state) {
    case SessionState::Failed:
        accent = QColor(0xd0, 0x26, 0x2d);
        break;
    case SessionState::Interrupted:
        // As bad as failed, but a different story (the producer vanished):
        // a red leaning to purple, told apart at a glance.
        accent = QColor(0xb0, 0x2a, 0x9a);
        break;
    case SessionState::Stalled:
        accent = QColor(0xe0, 0x78, 0x00);
        break;
    case SessionState::Warning:
        accent = QColor(0xf2, 0xb6, 0x00);
        amount = 0.25; // yellow hardly differs from white at less
        break;
    default:
        return {};
    }
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    // A dark base needs a stronger blend to be noticed at all; the text
    // (light on dark, dark on light) keeps its contrast either way.
    if (base.lightness() < 128)
        amount *= 1.5;
    return blend(base, accent, amount);
}

void SessionDecorationProxy::setPalette(const QPalette &palette) {
    m_palette = palette;
    for (size_t i = 0; i < kStates; ++i)
        m_tints[i] = tint(SessionState(i), palette);
    if (rowCount() > 0) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1),
                         {Qt::BackgroundRole});
    }
}

QVariant SessionDecorationProxy::data(const QModelIndex &index, int role) const {
    if (role != Qt::DecorationRole && role != Qt::BackgroundRole)
        return QIdentityProxyModel::data(index, role);
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    bool ok = false;
    const int state = QIdentityProxyModel::data(index, SessionTableModel::StateRole).toInt(&ok);
    if (!ok || state < 0 || size_t(state) >= kStates)
        return QIdentityProxyModel::data(index, role);
    if (role == Qt::DecorationRole) {
        if (index.column() == SessionTableModel::State)
            return m_icons[size_t(state)];
        if (index.column() == SessionTableModel::User
            && !QIdentityProxyModel::data(index, SessionTableModel::CancelRefusalRole)
                    .toString()
                    .isEmpty())
            return m_locked;
        return QIdentityProxyModel::data(index, role);
    }
    const QColor &tint = m_tints[size_t(state)];
    return tint.isValid() ? QVariant(QBrush(tint)) : QIdentityProxyModel::data(index, role);
}

} // namespace kw
