// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "timelineview.h"

#include "format/format.h"
#include "models/sessiontablemodel.h"
#include "protocol/timestamp.h"
#include "store/session.h"

#include <QAbstractProxyModel>
#include <QDateTime>
#include <QHelpEvent>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>
#include <cmath>

namespace kw {

namespace {

constexpr int kPadPx = 24;            // room before the first session and after now
constexpr int kMinBarPx = 3;          // a one-second session stays visible and clickable
constexpr int kTickSpacingPx = 90;    // room for an "HH:mm" label and some air
constexpr int kLabelMinPx = 40;       // narrower bars carry no title
constexpr int kLanesTopPx = 4;        // air between the axis and the first lane
constexpr double kZoomStep = 1.25;    // per wheel notch or key press
constexpr double kMaxContentPx = 1e9; // scroll bars hold ints

constexpr qint64 kMinuteMs = 60 * 1000;
constexpr qint64 kDayMs = 24 * 60 * kMinuteMs;

QColor blend(const QColor &base, const QColor &accent, double amount) {
    const auto mix = [amount](int a, int b) {
        return qRound(a + (b - a) * amount);
    };
    return QColor(mix(base.red(), accent.red()), mix(base.green(), accent.green()),
                  mix(base.blue(), accent.blue()));
}

// Readable on the fill: dark text on light bars, light on dark.
QColor textOn(const QColor &fill) {
    return fill.lightness() > 140 ? QColor(Qt::black) : QColor(Qt::white);
}

} // namespace

TimelineView::TimelineView(QWidget *parent)
    : QAbstractScrollArea(parent)
    , m_clock(&Timestamp::nowMs) {
    setObjectName(QStringLiteral("timeline"));
    setAccessibleName(tr("Session timeline"));
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    viewport()->setBackgroundRole(QPalette::Base);
    viewport()->setMouseTracking(false);
    m_nowMs = m_clock();

    m_nowTimer.setInterval(1000);
    connect(&m_nowTimer, &QTimer::timeout, this, &TimelineView::refreshNow);
    m_relayoutTimer.setSingleShot(true);
    m_relayoutTimer.setInterval(0);
    connect(&m_relayoutTimer, &QTimer::timeout, this, &TimelineView::relayout);
}

TimelineView::~TimelineView() = default;

void TimelineView::setModel(QAbstractItemModel *model) {
    for (const QMetaObject::Connection &c : std::as_const(m_modelConnections))
        disconnect(c);
    m_modelConnections.clear();
    m_model = model;
    if (model) {
        // Rows come, go or are reordered (filter, sort): lanes are by row.
        const auto invalidate = [this] {
            invalidateLayout();
        };
        m_modelConnections << connect(model, &QAbstractItemModel::rowsInserted, this, invalidate)
                           << connect(model, &QAbstractItemModel::rowsRemoved, this, invalidate)
                           << connect(model, &QAbstractItemModel::rowsMoved, this, invalidate)
                           << connect(model, &QAbstractItemModel::modelReset, this, invalidate)
                           << connect(model, &QAbstractItemModel::layoutChanged, this, invalidate)
                           << connect(model, &QAbstractItemModel::dataChanged, this,
                                      &TimelineView::onDataChanged);
    }
    invalidateLayout();
}

void TimelineView::setSelectionModel(QItemSelectionModel *selection) {
    for (const QMetaObject::Connection &c : std::as_const(m_selectionConnections))
        disconnect(c);
    m_selectionConnections.clear();
    Q_ASSERT(!selection || !m_model || selection->model() == m_model);
    m_selection = selection;
    if (selection) {
        m_selectionConnections << connect(selection, &QItemSelectionModel::selectionChanged,
                                          viewport(), qOverload<>(&QWidget::update))
                               << connect(selection, &QItemSelectionModel::currentRowChanged, this,
                                          [this](const QModelIndex &current) {
                                              // Selected in the table: show it here too.
                                              if (current.isValid() && isVisible())
                                                  scrollToRow(current.row());
                                          });
    }
    viewport()->update();
}

void TimelineView::setClock(std::function<qint64()> clock) {
    m_clock = std::move(clock);
    refreshNow();
}

qint64 TimelineView::nowMs() const {
    return m_nowMs;
}

void TimelineView::refreshNow() {
    m_nowMs = m_clock();
    relayout();
}

void TimelineView::invalidateLayout() {
    m_layoutDirty = true;
    // A hidden timeline does no work: it catches up when shown.
    if (isVisible())
        m_relayoutTimer.start();
}

void TimelineView::onDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight) {
    if (m_layoutDirty || !topLeft.isValid())
        return;
    // Progress and durations change all the time and move no bar; a state
    // change recolours one and an end stops its growing.
    for (int row = topLeft.row(); row <= bottomRight.row(); ++row) {
        const Session *s = sessionAt(row);
        if (!s || row >= m_rowStates.size() || m_rowStates[row] != quint8(s->state)) {
            invalidateLayout();
            return;
        }
    }
}

const Session *TimelineView::sessionAt(int row) const {
    if (!m_model)
        return nullptr;
    QModelIndex index = m_model->index(row, 0);
    while (const auto *proxy = qobject_cast<const QAbstractProxyModel *>(index.model()))
        index = proxy->mapToSource(index);
    const auto *sessions = qobject_cast<const SessionTableModel *>(index.model());
    return sessions && index.isValid() ? &sessions->session(index.row()) : nullptr;
}

void TimelineView::ensureLayout() const {
    if (!m_layoutDirty)
        return;
    m_layoutDirty = false;
    const int rows = m_model ? m_model->rowCount() : 0;
    QList<TimelineItem> items;
    items.reserve(rows);
    m_rowStates.fill(quint8(SessionState::Count), rows);
    for (int row = 0; row < rows; ++row) {
        const Session *s = sessionAt(row);
        if (!s)
            continue;
        m_rowStates[row] = quint8(s->state);
        // A session that ended without saying when ends at its last event.
        TimelineItem item{row, s->effectiveStartMs(), s->knownEndMs()};
        items.append(item);
    }
    m_layout.setItems(items);
}

int TimelineView::laneCount() const {
    ensureLayout();
    return m_layout.laneCount();
}

void TimelineView::relayout() {
    ensureLayout();
    if (m_fitting)
        applyFit();
    followNowIfWanted();
    updateScrollBars();
    viewport()->update();
}

int TimelineView::axisHeight() const {
    return fontMetrics().height() + 10;
}

int TimelineView::laneHeight() const {
    return fontMetrics().height() + 10;
}

int TimelineView::laneTop(int lane) const {
    return axisHeight() + kLanesTopPx + lane * laneHeight() - verticalScrollBar()->value();
}

qint64 TimelineView::rangeStartMs() const {
    const qint64 first = m_layout.isEmpty() ? m_nowMs : m_layout.earliestMs();
    return first - qint64(kPadPx * m_msPerPixel);
}

qint64 TimelineView::rangeEndMs() const {
    const qint64 last = m_layout.isEmpty() ? m_nowMs : qMax(m_nowMs, m_layout.latestMs(m_nowMs));
    return last + qint64(kPadPx * m_msPerPixel);
}

void TimelineView::applyFit() {
    const qint64 latest = m_layout.isEmpty() ? m_nowMs : qMax(m_nowMs, m_layout.latestMs(m_nowMs));
    const qint64 earliest = m_layout.isEmpty() ? m_nowMs : m_layout.earliestMs();
    const qint64 span = qBound<qint64>(kMinuteMs, latest - earliest, kDefaultSpanMs);
    const int usable = qMax(50, viewport()->width() - 2 * kPadPx);
    m_msPerPixel = qBound(kMinMsPerPixel, double(span) / usable, kMaxMsPerPixel);
}

void TimelineView::followNowIfWanted() {
    if (m_followNow)
        m_viewStartMs = rangeEndMs() - qint64(viewport()->width() * m_msPerPixel);
}

void TimelineView::setViewStart(qint64 ms) {
    m_viewStartMs = ms;
    updateScrollBars();
    viewport()->update();
}

void TimelineView::updateScrollBars() {
    m_settingScrollBars = true;
    const int width = viewport()->width();
    const double content = double(rangeEndMs() - rangeStartMs()) / m_msPerPixel;
    QScrollBar *h = horizontalScrollBar();
    h->setRange(0, int(qBound(0.0, content - width, kMaxContentPx)));
    h->setPageStep(qMax(1, width));
    h->setSingleStep(qMax(1, width / 10));
    h->setValue(
        int(qBound(0.0, double(m_viewStartMs - rangeStartMs()) / m_msPerPixel, kMaxContentPx)));
    const int lanesArea = viewport()->height() - axisHeight() - kLanesTopPx;
    QScrollBar *v = verticalScrollBar();
    v->setRange(0, qMax(0, m_layout.laneCount() * laneHeight() + kLanesTopPx - lanesArea));
    v->setPageStep(qMax(1, lanesArea));
    v->setSingleStep(laneHeight());
    m_settingScrollBars = false;
}

void TimelineView::scrollContentsBy(int dx, int) {
    if (!m_settingScrollBars && dx != 0) {
        QScrollBar *h = horizontalScrollBar();
        m_viewStartMs = rangeStartMs() + qint64(h->value() * m_msPerPixel);
        // Scrolled back in time: stay there; scrolled to the end: follow again.
        m_followNow = h->value() >= h->maximum();
        m_fitting = m_fitting && m_followNow;
    }
    viewport()->update();
}

void TimelineView::setMsPerPixel(double msPerPixel, int anchorX) {
    ensureLayout();
    if (anchorX < 0) {
        // From the keyboard: around now while following it, else the middle.
        anchorX = m_followNow ? qBound(0, nowX(), viewport()->width()) : viewport()->width() / 2;
    } else {
        // Around the pointer: the time under it stays put, now may not.
        m_followNow = false;
    }
    const qint64 anchor = scale().ms(anchorX);
    // Beyond ~1e9 pixels of content a scroll bar cannot follow.
    const double finest =
        qMax(kMinMsPerPixel, double(rangeEndMs() - rangeStartMs()) / kMaxContentPx);
    m_msPerPixel = qBound(finest, msPerPixel, kMaxMsPerPixel);
    m_fitting = false;
    m_viewStartMs = anchor - qint64(anchorX * m_msPerPixel);
    followNowIfWanted();
    updateScrollBars();
    viewport()->update();
}

void TimelineView::zoomIn() {
    setMsPerPixel(m_msPerPixel / kZoomStep);
}

void TimelineView::zoomOut() {
    setMsPerPixel(m_msPerPixel * kZoomStep);
}

void TimelineView::zoomToFit() {
    m_fitting = true;
    m_followNow = true;
    relayout();
}

int TimelineView::nowX() const {
    return int(std::floor(scale().x(m_nowMs)));
}

QRect TimelineView::barRect(int row) const {
    ensureLayout();
    const int index = m_layout.barOfRow(row);
    if (index < 0)
        return {};
    const TimelineLayout::Bar &bar = m_layout.bars()[index];
    const TimeScale s = scale();
    const double left = std::floor(s.x(bar.startMs));
    const double right = std::ceil(s.x(bar.shownEndMs(m_nowMs)));
    const double clampedLeft = qMax(-10.0, left);
    const double clampedRight =
        qMin(double(viewport()->width() + 10), qMax(right, left + kMinBarPx));
    if (clampedRight < clampedLeft)
        return {};
    const QRect rect(int(clampedLeft), laneTop(bar.lane) + 2, int(clampedRight - clampedLeft),
                     laneHeight() - 4);
    const QRect lanesArea(0, axisHeight(), viewport()->width(),
                          viewport()->height() - axisHeight());
    return rect.intersected(lanesArea);
}

QModelIndex TimelineView::indexAt(const QPoint &pos) const {
    ensureLayout();
    if (!m_model || pos.y() < axisHeight())
        return {};
    const int y = pos.y() - axisHeight() - kLanesTopPx + verticalScrollBar()->value();
    if (y < 0)
        return {};
    const int lane = y / laneHeight();
    const TimeScale s = scale();
    // As wide as a bar's minimum, so that a short session can be hit.
    const QList<int> hits =
        m_layout.barsIn(lane, s.ms(pos.x() - kMinBarPx), s.ms(pos.x() + 1), m_nowMs);
    for (const int bar : hits) {
        const int row = m_layout.bars()[bar].row;
        if (barRect(row).contains(pos))
            return m_model->index(row, 0);
    }
    return {};
}

int TimelineView::currentRow() const {
    return m_selection && m_selection->currentIndex().isValid() ? m_selection->currentIndex().row()
                                                                : -1;
}

void TimelineView::selectRow(int row, bool toggle) {
    if (!m_selection || !m_model)
        return;
    const QModelIndex index = m_model->index(row, 0);
    m_selection->setCurrentIndex(
        index, (toggle ? QItemSelectionModel::Toggle : QItemSelectionModel::ClearAndSelect)
                   | QItemSelectionModel::Rows);
}

void TimelineView::scrollToRow(int row) {
    ensureLayout();
    const int index = m_layout.barOfRow(row);
    if (index < 0)
        return;
    const TimelineLayout::Bar &bar = m_layout.bars()[index];
    // Vertically: the lane into view.
    const int top = laneTop(bar.lane);
    const int lanesTop = axisHeight();
    QScrollBar *v = verticalScrollBar();
    if (top < lanesTop)
        v->setValue(v->value() - (lanesTop - top) - kLanesTopPx);
    else if (top + laneHeight() > viewport()->height())
        v->setValue(v->value() + top + laneHeight() - viewport()->height());
    // Horizontally: only when none of the bar shows.
    const TimeScale s = scale();
    const double left = s.x(bar.startMs);
    const double right = s.x(bar.shownEndMs(m_nowMs));
    if (right < 0 || left > viewport()->width()) {
        m_followNow = false;
        m_fitting = false;
        setViewStart(bar.startMs - qint64(viewport()->width() * m_msPerPixel / 4));
    }
}

QColor TimelineView::stateColor(SessionState state, const QPalette &palette) {
    const QColor base = palette.color(QPalette::Active, QPalette::Base);
    const QColor highlight = palette.color(QPalette::Active, QPalette::Highlight);
    switch (state) {
    case SessionState::Failed:
    case SessionState::Interrupted:
        return blend(base, QColor(0xd0, 0x26, 0x2d), 0.85);
    case SessionState::Stalled:
        return blend(base, QColor(0xe0, 0x78, 0x00), 0.85);
    case SessionState::Warning:
        return blend(base, QColor(0xf2, 0xb6, 0x00), 0.9);
    case SessionState::Succeeded:
        return blend(base, QColor(0x2e, 0x9d, 0x4f), 0.7);
    case SessionState::Running:
    case SessionState::Cancelling:
        return blend(base, highlight, 0.85);
    case SessionState::Queued:
    case SessionState::Starting:
        return blend(base, highlight, 0.4);
    case SessionState::Cancelled:
    case SessionState::Exited:
    case SessionState::Count:
        break;
    }
    return blend(base, palette.color(QPalette::Active, QPalette::Text), 0.3);
}

QColor TimelineView::nowLineColor() const {
    // The text colour: the strongest contrast on the base, and no state's.
    return palette().color(QPalette::Active, QPalette::Text);
}

void TimelineView::paintEvent(QPaintEvent *) {
    ensureLayout();
    QPainter painter(viewport());
    const QRect rect = viewport()->rect();
    paintBars(painter, rect);
    paintAxis(painter, rect);
    // The now line over everything, from the axis down.
    const int x = nowX();
    if (x >= 0 && x < rect.width()) {
        painter.setPen(QPen(nowLineColor(), 2));
        painter.drawLine(x, axisHeight() - 6, x, rect.height());
    }
}

void TimelineView::paintBars(QPainter &painter, const QRect &rect) const {
    const TimeScale s = scale();
    const qint64 from = s.ms(0);
    const qint64 to = s.ms(rect.width());
    const int laneH = laneHeight();
    const int scroll = verticalScrollBar()->value();
    const int firstLane = qMax(0, (scroll - kLanesTopPx) / laneH);
    const int lastLane =
        qMin(m_layout.laneCount() - 1, (scroll + rect.height() - axisHeight()) / laneH);
    const QPalette &pal = palette();

    // Lane stripes and the tick grid behind the bars.
    for (int lane = firstLane; lane <= lastLane; ++lane) {
        if (lane % 2)
            painter.fillRect(QRect(0, laneTop(lane), rect.width(), laneH),
                             pal.color(QPalette::AlternateBase));
    }
    QColor grid = pal.color(QPalette::Mid);
    grid.setAlpha(90);
    painter.setPen(grid);
    const int offset = QDateTime::fromMSecsSinceEpoch(from).offsetFromUtc();
    for (const qint64 t : s.ticks(from, to, kTickSpacingPx, offset)) {
        const int x = int(std::floor(s.x(t)));
        painter.drawLine(x, axisHeight(), x, rect.height());
    }

    const QFontMetrics metrics = fontMetrics();
    for (int lane = firstLane; lane <= lastLane; ++lane) {
        for (const int index : m_layout.barsIn(lane, from, to, m_nowMs)) {
            const TimelineLayout::Bar &bar = m_layout.bars()[index];
            const QRect r = barRect(bar.row);
            if (r.isEmpty())
                continue;
            const auto state =
                SessionState(m_rowStates.value(bar.row, quint8(SessionState::Count)));
            const QColor fill = stateColor(state, pal);
            const bool selected = m_selection && m_selection->isRowSelected(bar.row, {});
            painter.setPen(selected ? QPen(pal.color(QPalette::Active, QPalette::Text), 2)
                                    : QPen(fill.darker(135), 1));
            painter.setBrush(fill);
            painter.drawRect(r.adjusted(0, 0, -1, -1));
            if (r.width() >= kLabelMinPx) {
                if (const Session *session = sessionAt(bar.row)) {
                    painter.setPen(textOn(fill));
                    const QRect textRect = r.adjusted(4, 0, -4, 0);
                    painter.drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft,
                                     metrics.elidedText(session->displayTitle(), Qt::ElideRight,
                                                        textRect.width()));
                }
            }
        }
    }
    painter.setBrush(Qt::NoBrush);
}

void TimelineView::paintAxis(QPainter &painter, const QRect &rect) const {
    const QPalette &pal = palette();
    const QRect axis(0, 0, rect.width(), axisHeight());
    painter.fillRect(axis, pal.color(QPalette::Window));
    painter.setPen(pal.color(QPalette::Mid));
    painter.drawLine(axis.bottomLeft(), axis.bottomRight());

    const TimeScale s = scale();
    const qint64 from = s.ms(0);
    const qint64 to = s.ms(rect.width());
    const qint64 step = s.tickStepMs(kTickSpacingPx);
    const int offset = QDateTime::fromMSecsSinceEpoch(from).offsetFromUtc();
    const QString timeFormat =
        step < kMinuteMs ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm");
    painter.setPen(pal.color(QPalette::WindowText));
    for (const qint64 t : s.ticks(from, to, kTickSpacingPx, offset)) {
        const int x = int(std::floor(s.x(t)));
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(t);
        // Midnight (and every day-sized step) carries the date instead.
        const bool midnight = (t + qint64(local.offsetFromUtc()) * 1000) % kDayMs == 0;
        const QString label = midnight || step >= kDayMs
                                  ? local.toString(QStringLiteral("ddd d MMM"))
                                  : local.toString(timeFormat);
        painter.drawLine(x, axis.bottom() - 4, x, axis.bottom());
        painter.drawText(QRect(x + 3, 0, kTickSpacingPx * 2, axis.height() - 2),
                         Qt::AlignVCenter | Qt::AlignLeft, label);
    }
    // A marker where now is, on the axis.
    const int x = nowX();
    if (x >= 0 && x < rect.width()) {
        painter.setBrush(nowLineColor());
        painter.setPen(Qt::NoPen);
        const QPoint tip(x, axis.bottom());
        painter.drawPolygon(QPolygon({tip, tip + QPoint(-5, -6), tip + QPoint(5, -6)}));
        painter.setBrush(Qt::NoBrush);
    }
}

void TimelineView::resizeEvent(QResizeEvent *event) {
    QAbstractScrollArea::resizeEvent(event);
    relayout();
}

void TimelineView::showEvent(QShowEvent *event) {
    QAbstractScrollArea::showEvent(event);
    m_nowTimer.start();
    refreshNow();
    if (currentRow() >= 0)
        scrollToRow(currentRow());
}

void TimelineView::hideEvent(QHideEvent *event) {
    QAbstractScrollArea::hideEvent(event);
    m_nowTimer.stop();
}

void TimelineView::mousePressEvent(QMouseEvent *event) {
    if (event->button() != Qt::LeftButton) {
        QAbstractScrollArea::mousePressEvent(event);
        return;
    }
    const QModelIndex index = indexAt(event->position().toPoint());
    if (index.isValid())
        selectRow(index.row(), event->modifiers().testFlag(Qt::ControlModifier));
    event->accept();
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event) {
    // Presses select; the release has nothing more to do.
    event->accept();
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent *event) {
    const QModelIndex index = indexAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && index.isValid()) {
        selectRow(index.row(), false);
        emit activated(index);
    }
    event->accept();
}

void TimelineView::wheelEvent(QWheelEvent *event) {
    if (!event->modifiers().testFlag(Qt::ControlModifier)) {
        QAbstractScrollArea::wheelEvent(event);
        return;
    }
    const double notches = event->angleDelta().y() / 120.0;
    if (notches != 0)
        setMsPerPixel(m_msPerPixel * std::pow(kZoomStep, -notches), int(event->position().x()));
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event) {
    const bool ctrl = event->modifiers().testFlag(Qt::ControlModifier);
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        if (ctrl) {
            zoomIn();
            return;
        }
        break;
    case Qt::Key_Minus:
        if (ctrl) {
            zoomOut();
            return;
        }
        break;
    case Qt::Key_0:
        if (ctrl) {
            zoomToFit();
            return;
        }
        break;
    case Qt::Key_Home:
        m_followNow = false;
        m_fitting = false;
        setViewStart(rangeStartMs());
        return;
    case Qt::Key_End:
        m_followNow = true;
        relayout();
        return;
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (currentRow() >= 0 && m_model) {
            emit activated(m_model->index(currentRow(), 0));
            return;
        }
        break;
    default:
        break;
    }
    QAbstractScrollArea::keyPressEvent(event);
}

QString TimelineView::toolTipFor(int row) const {
    const Session *s = sessionAt(row);
    if (!s)
        return {};
    QStringList lines;
    lines << s->displayTitle() << tr("Session %1").arg(s->key.id)
          << tr("State: %1").arg(QString(wireName(s->state)));
    lines << tr("Started: %1").arg(Format::dateTime(s->effectiveStartMs()));
    if (s->endedMs)
        lines << tr("Ended: %1").arg(Format::dateTime(*s->endedMs));
    lines << tr("Duration: %1").arg(Format::duration(s->durationMs(m_nowMs)));
    if (!s->summary.isEmpty())
        lines << s->summary;
    return lines.join(QLatin1Char('\n'));
}

bool TimelineView::viewportEvent(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const QModelIndex index = indexAt(help->pos());
        if (index.isValid())
            QToolTip::showText(help->globalPos(), toolTipFor(index.row()), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QAbstractScrollArea::viewportEvent(event);
}

} // namespace kw
