#include "logpane.h"

#include "icons.h"
#include "loglinedelegate.h"
#include "models/logmodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QScrollBar>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace kw {

LogPane::LogPane(SessionStore *store, const SessionKey &key, QWidget *parent)
    : QWidget(parent)
    , m_model(new LogModel(store, key, this))
    , m_view(new QListView(this))
    , m_search(new QLineEdit(this))
    , m_searchErrorAction(nullptr)
    , m_regex(new QCheckBox(tr("Rege&x"), this))
    , m_follow(new QCheckBox(tr("F&ollow"), this))
    , m_status(new QLabel(this)) {
    // Not shown yet: no work until showEvent.
    m_model->setActive(false);

    auto *toolbar = new QHBoxLayout;
    toolbar->setContentsMargins(0, 0, 0, 0);
    const std::array<std::pair<LogLevel, QString>, 4> levels{{
        {LogLevel::Debug, tr("Debug")},
        {LogLevel::Info, tr("Info")},
        {LogLevel::Warning, tr("Warning")},
        {LogLevel::Error, tr("Error")},
    }};
    for (size_t i = 0; i < levels.size(); ++i) {
        const auto [level, label] = levels[i];
        auto *button = new QToolButton(this);
        button->setText(label);
        button->setCheckable(true);
        button->setChecked(m_model->isLevelEnabled(level));
        button->setAutoRaise(true);
        button->setToolTip(tr("Show %1 lines").arg(label.toLower()));
        button->setObjectName(QLatin1String("level") + QString(wireName(level)));
        connect(button, &QToolButton::toggled, this,
                [this, level = level](bool on) { m_model->setLevelEnabled(level, on); });
        toolbar->addWidget(button);
        m_levelButtons[i] = button;
    }
    toolbar->addSpacing(8);

    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search log"));
    m_search->setAccessibleName(tr("Search log"));
    m_search->setClearButtonEnabled(true);
    m_searchPalette = m_search->palette();
    // A shape as well as a colour, for those who cannot tell red apart.
    m_searchErrorAction =
        m_search->addAction(Icons::state(SessionState::Failed), QLineEdit::TrailingPosition);
    m_searchErrorAction->setVisible(false);
    toolbar->addWidget(m_search, 1);

    m_regex->setObjectName(QStringLiteral("logRegex"));
    m_regex->setToolTip(tr("Search with a regular expression instead of plain text"));
    toolbar->addWidget(m_regex);

    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest line in view while the view is at the bottom "
                            "(scroll up to pause)"));
    toolbar->addWidget(m_follow);

    m_status->setObjectName(QStringLiteral("logStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    toolbar->addSpacing(8);
    toolbar->addWidget(m_status);

    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setAccessibleName(tr("Log lines"));
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Uniform sizes: the view asks the delegate once, not once per row,
    // which is what keeps a million lines cheap.
    m_view->setUniformItemSizes(true);
    m_view->setItemDelegate(new LogLineDelegate(m_view));
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setModel(m_model);

    auto *copy = new QAction(tr("&Copy"), m_view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &LogPane::copySelection);
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(toolbar);
    layout->addWidget(m_view, 1);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(kSearchDebounceMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &LogPane::applySearch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    // Pressing Enter means "now".
    connect(m_search, &QLineEdit::returnPressed, this, &LogPane::applySearch);
    connect(m_regex, &QCheckBox::toggled, this, &LogPane::applySearch);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on) {
            m_stickToBottom = true;
            scheduleScrollToBottom();
        }
    });

    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, &LogPane::beforeRowsChange);
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, &LogPane::beforeRowsChange);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LogPane::afterRowsChange);
    connect(m_model, &QAbstractItemModel::modelReset, this, &LogPane::afterRowsChange);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &LogPane::updateStatus);
    updateStatus();
}

LogPane::~LogPane() = default;

const SessionKey &LogPane::sessionKey() const {
    return m_model->sessionKey();
}

bool LogPane::isFollowEnabled() const {
    return m_follow->isChecked();
}

void LogPane::setFollowEnabled(bool enabled) {
    m_follow->setChecked(enabled);
}

bool LogPane::isAtBottom() const {
    const QScrollBar *bar = m_view->verticalScrollBar();
    return bar->value() >= bar->maximum();
}

QString LogPane::statusText() const {
    return m_status->text();
}

void LogPane::focusSearch() {
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void LogPane::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    // Catching up inserts the lines that came while hidden, and follow (if
    // the view was at the bottom) scrolls to them.
    m_model->setActive(true);
    updateStatus();
    if (m_follow->isChecked() && m_stickToBottom)
        scheduleScrollToBottom();
}

void LogPane::hideEvent(QHideEvent *event) {
    m_model->setActive(false);
    QWidget::hideEvent(event);
}

void LogPane::applySearch() {
    m_searchTimer.stop();
    if (m_model->setSearch(m_search->text(), m_regex->isChecked()))
        setSearchError({});
    else
        setSearchError(m_model->searchError());
}

void LogPane::setSearchError(const QString &error) {
    const bool invalid = !error.isEmpty();
    m_search->setProperty("invalid", invalid);
    m_searchErrorAction->setVisible(invalid);
    if (!invalid) {
        m_search->setPalette(m_searchPalette);
        m_search->setToolTip({});
        m_searchErrorAction->setToolTip({});
        return;
    }
    // The model kept the last valid filter: say so, and keep showing it.
    const QString text =
        tr("Invalid regular expression: %1\nThe last valid search still applies.").arg(error);
    m_search->setToolTip(text);
    m_searchErrorAction->setToolTip(text);
    QPalette palette = m_searchPalette;
    const QColor base = palette.color(QPalette::Base);
    const QColor red(0xd0, 0x26, 0x2d);
    palette.setColor(QPalette::Base,
                     QColor::fromRgbF(float(base.redF() * 0.75 + red.redF() * 0.25),
                                      float(base.greenF() * 0.75 + red.greenF() * 0.25),
                                      float(base.blueF() * 0.75 + red.blueF() * 0.25)));
    m_search->setPalette(palette);
}

void LogPane::beforeRowsChange() {
    // While a scroll is pending the view has not caught up with the last
    // insert yet; the decision taken before that insert still holds.
    if (!m_scrollPending)
        m_stickToBottom = isAtBottom();
}

void LogPane::afterRowsChange() {
    updateStatus();
    if (m_follow->isChecked() && m_stickToBottom)
        scheduleScrollToBottom();
}

void LogPane::scheduleScrollToBottom() {
    if (m_scrollPending)
        return;
    m_scrollPending = true;
    QTimer::singleShot(0, this, [this] {
        m_scrollPending = false;
        if (!m_follow->isChecked() || !m_stickToBottom)
            return;
        // The keyboard cursor follows too, so that Up reads backwards from
        // the newest line and Home really goes up; a selection the user made
        // (to copy lines, say) is left alone.
        QItemSelectionModel *selection = m_view->selectionModel();
        const int rows = m_model->rowCount();
        if (rows > 0 && !selection->hasSelection())
            selection->setCurrentIndex(m_model->index(rows - 1), QItemSelectionModel::NoUpdate);
        m_view->scrollToBottom();
    });
}

void LogPane::updateStatus() {
    const qint64 shown = m_model->rowCount();
    const qint64 total = m_model->totalLines();
    const QLocale locale;
    m_status->setText(
        shown == 1
            ? tr("1 line shown of %1").arg(locale.toString(total))
            : tr("%1 lines shown of %2").arg(locale.toString(shown), locale.toString(total)));
}

void LogPane::copySelection() const {
    QModelIndexList rows = m_view->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QStringList lines;
    lines.reserve(rows.size());
    for (const QModelIndex &index : std::as_const(rows))
        lines.append(index.data(Qt::DisplayRole).toString());
    if (!lines.isEmpty())
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'));
}

} // namespace kw
