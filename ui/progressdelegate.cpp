// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "progressdelegate.h"

#include "models/sessiontablemodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>
#include <optional>

namespace kw {

ProgressDelegate::ProgressDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
    , m_percentRole(SessionTableModel::PercentRole)
    , m_busyRole(SessionTableModel::BusyRole) {}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const {
    bool ok = false;
    double percent = index.data(m_percentRole).toDouble(&ok);
    if (!ok)
        percent = -1;
    const bool busy = percent < 0 && index.data(m_busyRole).toBool();
    if (percent < 0 && !busy) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }

    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();

    // Background, selection and focus as for any other cell, without the
    // text: the bar carries it.
    QStyleOptionViewItem cell(option);
    initStyleOption(&cell, index);
    cell.text.clear();
    cell.icon = QIcon();
    cell.features &= ~(QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration);
    style->drawControl(QStyle::CE_ItemViewItem, &cell, painter, widget);

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(2, 2, -2, -2);
    bar.state = (option.state & QStyle::State_Enabled) | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.palette = option.palette;
    bar.fontMetrics = option.fontMetrics;
    if (busy) {
        // minimum == maximum: the style's "busy" look. Static here (no
        // styleObject to animate): a thousand animated cells would repaint
        // the table forever for no news.
        bar.minimum = 0;
        bar.maximum = 0;
        bar.progress = 0;
    } else {
        // Per mille, so 0.4 % still moves the bar.
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = qRound(qBound(0.0, percent, 100.0) * 10.0);
    }
    bar.text = index.data(Qt::DisplayRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    // Styles animate a busy bar by starting an endless animation keyed on
    // the option's styleObject. Keyed on the view, it would repaint the
    // whole table many times a second; keyed on nothing, it would tick
    // forever. A stand-in that dies right after this paint takes its
    // animation with it: the busy look, drawn once.
    std::optional<QObject> animationKey;
    if (busy) {
        animationKey.emplace();
        bar.styleObject = &*animationKey;
    }
    painter->save();
    painter->setFont(option.font);
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    painter->restore();
}

} // namespace kw
