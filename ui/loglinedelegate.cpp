// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "loglinedelegate.h"

#include "models/logmodel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDateTime>
#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

namespace kw {

namespace {
constexpr int kPadding = 4;
constexpr int kTagChars = 5; // "ERROR", "DEBUG"
const QString &timeFormat() {
    static const QString format = QStringLiteral("HH:mm:ss.zzz");
    return format;
}
} // namespace

LogLineDelegate::LogLineDelegate(QObject *parent)
    : QStyledItemDelegate(parent) {}

LogLineDelegate::LogLineDelegate(Parts parts, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_parts(parts) {}

QString LogLineDelegate::levelTag(LogLevel level) {
    switch (level) {
    case LogLevel::Debug:
        return QStringLiteral("DEBUG");
    case LogLevel::Info:
        return QStringLiteral("INFO");
    case LogLevel::Warning:
        return QStringLiteral("WARN");
    case LogLevel::Error:
        return QStringLiteral("ERROR");
    case LogLevel::Count:
        break;
    }
    return {};
}

QColor LogLineDelegate::levelColor(LogLevel level, const QPalette &palette) {
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    switch (level) {
    case LogLevel::Debug:
        return palette.color(QPalette::PlaceholderText);
    case LogLevel::Info:
        return dark ? QColor(0x6a, 0xa8, 0xff) : QColor(0x1e, 0x5f, 0xb8);
    case LogLevel::Warning:
        return dark ? QColor(0xf0, 0xb8, 0x40) : QColor(0x9a, 0x58, 0x00);
    case LogLevel::Error:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc0, 0x16, 0x1d);
    case LogLevel::Count:
        break;
    }
    return palette.color(QPalette::Text);
}

QColor LogLineDelegate::matchColor(const QPalette &palette) {
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    return dark ? QColor(0x7a, 0x5c, 0x00) : QColor(0xff, 0xe0, 0x4a);
}

QList<QRect> LogLineDelegate::matchRects(const QStyleOptionViewItem &option,
                                         const QModelIndex &index, Parts parts) {
    QList<QRect> rects;
    const auto ranges = index.data(LogModel::MatchRangesRole).value<QList<TextRange>>();
    if (ranges.isEmpty())
        return rects;
    const QString message = index.data(LogModel::MessageRole).toString();
    const QFontMetrics &fm = option.fontMetrics;
    const QRect area = layout(option, parts).message;
    const QString elided = fm.elidedText(message, Qt::ElideRight, area.width());
    // What is left of the message before the ellipsis, if it was elided.
    const qsizetype shown =
        elided == message ? message.size() : qMax<qsizetype>(0, elided.size() - 1);
    for (const TextRange &range : ranges) {
        if (range.start >= shown)
            break;
        const qsizetype end = qMin(range.start + range.length, shown);
        const int x = fm.horizontalAdvance(message.left(range.start));
        const int w = fm.horizontalAdvance(message.mid(range.start, end - range.start));
        const QRect r = QRect(area.left() + x, area.top() + 1, w, area.height() - 2) & area;
        if (!r.isEmpty())
            rects.append(r);
    }
    return rects;
}

LogLineDelegate::Layout LogLineDelegate::layout(const QStyleOptionViewItem &option, Parts parts) {
    const QFontMetrics &fm = option.fontMetrics;
    const QRect r = option.rect.adjusted(kPadding, 0, -kPadding, 0);
    const int timeWidth =
        parts == Parts::TimeLevelMessage ? fm.horizontalAdvance(QStringLiteral("00:00:00.000")) : 0;
    const int tagWidth = fm.horizontalAdvance(QString(kTagChars, QLatin1Char('M')));
    const int gap = fm.horizontalAdvance(QLatin1Char(' ')) * 2;
    Layout l;
    l.time = QRect(r.left(), r.top(), timeWidth, r.height());
    l.level =
        QRect(timeWidth > 0 ? l.time.right() + 1 + gap : r.left(), r.top(), tagWidth, r.height());
    l.message = QRect(l.level.right() + 1 + gap, r.top(), 0, r.height());
    l.message.setRight(r.right());
    return l;
}

void LogLineDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                            const QModelIndex &index) const {
    // Not initStyleOption(): it would format the model's DisplayRole (the
    // whole line as one string) only for us to throw it away.
    QStyleOptionViewItem opt(option);
    opt.index = index;
    opt.features = QStyleOptionViewItem::None;
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    // Background, selection and focus from the style; the text is ours.
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);
    const QString message = index.data(LogModel::MessageRole).toString();

    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group = !(opt.state & QStyle::State_Enabled) ? QPalette::Disabled
                                       : (opt.state & QStyle::State_Active) ? QPalette::Active
                                                                            : QPalette::Inactive;
    const QColor text =
        opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
    const QColor dim = selected ? text : opt.palette.color(group, QPalette::PlaceholderText);
    const auto level = LogLevel(index.data(LogModel::LevelRole).toInt());
    const QColor tag = selected ? text : levelColor(level, opt.palette);
    const qint64 ms = index.data(LogModel::TimestampRole).toLongLong();

    const Layout l = layout(opt, m_parts);
    const int flags = Qt::AlignLeft | Qt::AlignVCenter | Qt::TextSingleLine;
    painter->save();
    painter->setFont(opt.font);
    if (m_parts == Parts::TimeLevelMessage) {
        painter->setPen(dim);
        painter->drawText(l.time, flags,
                          QDateTime::fromMSecsSinceEpoch(ms).toLocalTime().toString(timeFormat()));
    }
    painter->setPen(tag);
    painter->drawText(l.level, flags, levelTag(level));
    const QList<QRect> matches = matchRects(opt, index, m_parts);
    const QColor highlight = matchColor(opt.palette);
    for (const QRect &r : matches)
        painter->fillRect(r, highlight);
    const QString shown = opt.fontMetrics.elidedText(message, Qt::ElideRight, l.message.width());
    painter->setPen(text);
    painter->drawText(l.message, flags, shown);
    // A selected row's text colour (white, often) is unreadable on the
    // highlight: matched text keeps the normal one.
    if (selected && !matches.isEmpty()) {
        painter->setPen(opt.palette.color(group, QPalette::Text));
        for (const QRect &r : matches) {
            painter->setClipRect(r);
            painter->drawText(l.message, flags, shown);
        }
    }
    painter->restore();
}

QSize LogLineDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const {
    // LogLineView asks once, for every row's height: the size must not
    // depend on the line. Long messages are elided, never scrolled sideways.
    const QFontMetrics &fm = option.fontMetrics;
    return {fm.averageCharWidth() * 60, fm.height() + 2};
}

bool LogLineDelegate::helpEvent(QHelpEvent *event, QAbstractItemView *view,
                                const QStyleOptionViewItem &option, const QModelIndex &index) {
    if (event->type() != QEvent::ToolTip || !index.isValid())
        return QStyledItemDelegate::helpEvent(event, view, option, index);
    const QString message = index.data(LogModel::MessageRole).toString();
    const Layout l = layout(option, m_parts);
    if (option.fontMetrics.horizontalAdvance(message) > l.message.width()) {
        // Rich text so that a long message wraps instead of running off-screen.
        QToolTip::showText(event->globalPos(),
                           QLatin1String("<p style=\"white-space:pre-wrap\">")
                               + message.toHtmlEscaped() + QLatin1String("</p>"),
                           view, option.rect);
    } else {
        QToolTip::hideText();
    }
    return true;
}

} // namespace kw
