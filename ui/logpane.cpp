// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logpane.h"

#include "icons.h"
#include "loglinedelegate.h"
#include "loglineview.h"
#include "logtextsaver.h"
#include "models/logmodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>
#include <tuple>
#include <utility>

namespace kw {

LogPane::LogPane(SessionStore *store, const SessionKey &key, QWidget *parent)
    : QWidget(parent)
    , m_model(new LogModel(store, key, this))
    , m_view(new LogLineView(this))
    , m_search(new QLineEdit(this))
    , m_searchErrorAction(nullptr)
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_matchCounter(new QLabel(this))
    , m_regex(new QCheckBox(tr("Rege&x"), this))
    , m_onlyMatching(new QCheckBox(tr("Only &matching"), this))
    , m_follow(new QCheckBox(tr("F&ollow"), this))
    , m_status(new QLabel(this))
    , m_save(new QToolButton(this))
    , m_messageBar(new QWidget(this))
    , m_messageIcon(new QLabel(m_messageBar))
    , m_message(new QLabel(m_messageBar))
    , m_saver(new LogTextSaver(this)) {
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
    // Enter and Shift+Enter step through the matches.
    m_search->installEventFilter(this);
    toolbar->addWidget(m_search, 1);

    // F3 and Shift+F3 wherever the focus is in the pane (the list, say).
    auto *findNext = new QAction(tr("Find &Next"), this);
    findNext->setShortcut(QKeySequence(Qt::Key_F3));
    findNext->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findNext, &QAction::triggered, this, &LogPane::findNext);
    addAction(findNext);
    auto *findPrevious = new QAction(tr("Find &Previous"), this);
    findPrevious->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F3));
    findPrevious->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(findPrevious, &QAction::triggered, this, &LogPane::findPrevious);
    addAction(findPrevious);
    const std::array<std::tuple<QToolButton *, Qt::ArrowType, QString, QString, QAction *>, 2>
        steps{{
            {m_previous, Qt::UpArrow, QStringLiteral("logFindPrevious"),
             tr("Previous match (Shift+F3, Shift+Enter)"), findPrevious},
            {m_next, Qt::DownArrow, QStringLiteral("logFindNext"), tr("Next match (F3, Enter)"),
             findNext},
        }};
    for (const auto &[button, arrow, name, tip, action] : steps) {
        button->setObjectName(name);
        button->setArrowType(arrow);
        button->setAutoRaise(true);
        button->setToolTip(tip);
        button->setAccessibleName(action->text().remove(QLatin1Char('&')));
        connect(button, &QToolButton::clicked, action, &QAction::trigger);
        toolbar->addWidget(button);
    }
    m_matchCounter->setObjectName(QStringLiteral("logMatchCounter"));
    toolbar->addWidget(m_matchCounter);

    m_regex->setObjectName(QStringLiteral("logRegex"));
    m_regex->setToolTip(tr("Search with a regular expression instead of plain text"));
    toolbar->addWidget(m_regex);

    m_onlyMatching->setObjectName(QStringLiteral("logOnlyMatching"));
    m_onlyMatching->setToolTip(tr("Show only the lines that match the search"));
    toolbar->addWidget(m_onlyMatching);

    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_follow->setChecked(true);
    m_follow->setToolTip(tr("Keep the newest line in view while the view is at the bottom "
                            "(scroll up to pause)"));
    toolbar->addWidget(m_follow);

    m_status->setObjectName(QStringLiteral("logStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    toolbar->addSpacing(8);
    toolbar->addWidget(m_status);

    auto *save = new QAction(tr("&Save as Text…"), this);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    save->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(save, &QAction::triggered, this, &LogPane::askSaveAsText);
    addAction(save);
    m_save->setObjectName(QStringLiteral("logSave"));
    m_save->setText(tr("Save…"));
    m_save->setAutoRaise(true);
    m_save->setToolTip(tr("Save the shown lines as a text file (Ctrl+Shift+S)"));
    connect(m_save, &QToolButton::clicked, save, &QAction::trigger);
    toolbar->addWidget(m_save);

    // The outcome of a save, until the user closes it or saves again.
    m_messageBar->setObjectName(QStringLiteral("logMessageBar"));
    auto *messageLayout = new QHBoxLayout(m_messageBar);
    messageLayout->setContentsMargins(0, 0, 0, 0);
    m_message->setObjectName(QStringLiteral("logMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *dismiss = new QToolButton(m_messageBar);
    dismiss->setObjectName(QStringLiteral("logMessageClose"));
    dismiss->setText(QStringLiteral("×"));
    dismiss->setAutoRaise(true);
    dismiss->setToolTip(tr("Close this message"));
    connect(dismiss, &QToolButton::clicked, m_messageBar, &QWidget::hide);
    messageLayout->addWidget(m_messageIcon);
    messageLayout->addWidget(m_message, 1);
    messageLayout->addWidget(dismiss);
    m_messageBar->hide();
    connect(m_saver, &LogTextSaver::finished, this,
            [this](bool ok, qint64 lines, const QString &error) {
                m_save->setEnabled(true);
                const QString file = QDir::toNativeSeparators(m_saver->fileName());
                if (ok)
                    showMessage(
                        lines == 1
                            ? tr("Saved 1 line to %1.").arg(file)
                            : tr("Saved %1 lines to %2.").arg(QLocale().toString(lines), file),
                        false);
                else
                    showMessage(error, true);
            });

    m_view->setObjectName(QStringLiteral("logView"));
    m_view->setAccessibleName(tr("Log lines"));
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setModel(m_model);

    auto *copy = new QAction(tr("&Copy"), m_view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, &LogPane::copySelection);
    auto *selectAll = new QAction(tr("Select &All"), m_view);
    selectAll->setShortcut(QKeySequence::SelectAll);
    selectAll->setShortcutContext(Qt::WidgetShortcut);
    connect(selectAll, &QAction::triggered, m_view, &LogLineView::selectAll);
    auto *separator = new QAction(m_view);
    separator->setSeparator(true);
    m_view->addActions({copy, selectAll, separator, save});
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(toolbar);
    layout->addWidget(m_messageBar);
    layout->addWidget(m_view, 1);

    m_searchTimer.setSingleShot(true);
    m_searchTimer.setInterval(kSearchDebounceMs);
    connect(&m_searchTimer, &QTimer::timeout, this, &LogPane::applySearch);
    connect(m_search, &QLineEdit::textChanged, this, [this] { m_searchTimer.start(); });
    connect(m_regex, &QCheckBox::toggled, this, &LogPane::applySearch);
    connect(m_onlyMatching, &QCheckBox::toggled, this, [this](bool on) {
        if (m_searchTimer.isActive())
            applySearch();
        m_model->setMatchingOnly(on);
    });
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
    connect(m_model, &LogModel::matchesChanged, this, &LogPane::updateMatchCounter);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, [this] {
        // "wrapped" was about the step that got here, not a row picked since.
        if (!m_stepping)
            m_wrapped = false;
        updateMatchCounter();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &LogPane::updateMatchCounter);
    updateStatus();
    updateMatchCounter();
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
    tryReveal();
    if (m_follow->isChecked() && m_stickToBottom)
        scheduleScrollToBottom();
}

void LogPane::hideEvent(QHideEvent *event) {
    m_model->setActive(false);
    QWidget::hideEvent(event);
}

bool LogPane::eventFilter(QObject *watched, QEvent *event) {
    if (watched == m_search && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            step(!(key->modifiers() & Qt::ShiftModifier));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void LogPane::findNext() {
    step(true);
}

void LogPane::revealLine(qint64 seq, const QString &line, const QString &match) {
    // The line must be shown: its level, and the search that marks it. The
    // line is looked for once both apply (the rows these changes insert
    // would otherwise look for it before the search marks anything).
    m_reveal.reset();
    for (QToolButton *button : m_levelButtons)
        button->setChecked(true);
    {
        const QSignalBlocker blocker(m_regex);
        m_regex->setChecked(false);
    }
    {
        const QSignalBlocker blocker(m_search);
        m_search->setText(match);
    }
    applySearch();
    m_reveal = Reveal{seq, line};
    tryReveal();
}

void LogPane::tryReveal() {
    if (!m_reveal || !m_model->isActive())
        return;
    // A session of an earlier run has no rows until its log comes from the
    // history: this is called again when rows arrive.
    if (m_model->rowCount() == 0)
        return;
    const Reveal reveal = *std::exchange(m_reveal, std::nullopt);
    const auto shows = [&](int r) {
        return r >= 0 && m_model->index(r).data(LogModel::MessageRole).toString() == reveal.line;
    };
    int row = m_model->rowOfSequence(reveal.seq);
    // The pane's numbering can differ from the history's when the pane holds
    // only the newest lines of a longer log: then the line is looked up by
    // its text among the rows the search marks.
    if (!shows(row)) {
        row = -1;
        for (int r = m_model->nextMatch(-1); r >= 0; r = m_model->nextMatch(r)) {
            if (shows(r)) {
                row = r;
                break;
            }
            if (m_model->matchNumber(r) == m_model->matchCount())
                break;
        }
    }
    if (row < 0) {
        showMessage(tr("The line the search found is not among the %1 lines this pane holds "
                       "(it keeps the newest ones).")
                        .arg(QLocale().toString(m_model->totalLines())),
                    true);
        return;
    }
    showRow(row);
    m_view->setFocus(Qt::OtherFocusReason);
    updateMatchCounter();
}

void LogPane::showRow(int row) {
    // Reading a line is not following the newest one.
    m_stickToBottom = false;
    const QModelIndex index = m_model->index(row);
    m_stepping = true;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_stepping = false;
    m_view->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void LogPane::findPrevious() {
    step(false);
}

void LogPane::step(bool forward) {
    // Enter right after typing means "this text, now".
    if (m_searchTimer.isActive())
        applySearch();
    // Follow keeps the current row on the newest line without selecting it;
    // until the user picked a row, the search starts from the edge, as a
    // reader of the whole log expects (F3: the oldest match, Shift+F3: the
    // newest).
    const QModelIndex current = m_view->currentIndex();
    const bool fromCurrent = current.isValid() && m_view->selectionModel()->isSelected(current);
    const int from = fromCurrent ? current.row() : -1;
    const int row = m_model->nextMatch(from, forward);
    m_wrapped = row >= 0 && from >= 0 && (forward ? row <= from : row >= from);
    if (row >= 0)
        showRow(row);
    updateMatchCounter();
}

QString LogPane::matchCounterText() const {
    if (!m_model->hasSearch())
        return {};
    const int count = m_model->matchCount();
    const QLocale locale;
    if (count == 0)
        return tr("No matches");
    const QModelIndex current = m_view->currentIndex();
    const int number = current.isValid() && m_view->selectionModel()->isSelected(current)
                           ? m_model->matchNumber(current.row())
                           : 0;
    if (number > 0)
        return tr("%1 of %2").arg(locale.toString(number), locale.toString(count));
    return count == 1 ? tr("1 match") : tr("%1 matches").arg(locale.toString(count));
}

void LogPane::updateMatchCounter() {
    const QString counter = matchCounterText();
    m_matchCounter->setText(m_wrapped && !counter.isEmpty() ? tr("%1 (wrapped)").arg(counter)
                                                            : counter);
    const bool any = m_model->matchCount() > 0;
    m_previous->setEnabled(any);
    m_next->setEnabled(any);
}

void LogPane::applySearch() {
    m_searchTimer.stop();
    m_wrapped = false;
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
    tryReveal();
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

void LogPane::askSaveAsText() {
    // Session IDs are untrusted: only safe characters go into the proposal.
    QString id = sessionKey().id.left(64);
    for (QChar &c : id) {
        if (!(c.isLetterOrNumber() && c.unicode() < 0x80) && c != QLatin1Char('-')
            && c != QLatin1Char('_') && c != QLatin1Char('.'))
            c = QLatin1Char('_');
    }
    const QString proposed = QDir::home().filePath(QStringLiteral("keepwatch-%1.log").arg(id));
    const QString fileName = QFileDialog::getSaveFileName(
        this, tr("Save Log as Text"), proposed, tr("Log files (*.log *.txt);;All files (*)"));
    if (!fileName.isEmpty())
        saveAsText(fileName);
}

void LogPane::saveAsText(const QString &fileName) {
    if (m_saver->isRunning()) {
        showMessage(tr("Still saving the last file: try again when it is written."), true);
        return;
    }
    LogLines lines = m_model->copyLines();
    const auto count = qint64(lines.lines.size());
    m_save->setEnabled(false);
    m_saver->start(fileName, std::move(lines));
    showMessage(tr("Saving %1 lines to %2…")
                    .arg(QLocale().toString(count), QDir::toNativeSeparators(fileName)),
                false);
}

QString LogPane::messageText() const {
    return m_messageBar->isHidden() ? QString() : m_message->text();
}

void LogPane::showMessage(const QString &text, bool error) {
    m_messageIsError = error;
    m_message->setText(text);
    const int size = m_message->fontMetrics().height();
    m_messageIcon->setPixmap(
        Icons::state(error ? SessionState::Failed : SessionState::Succeeded).pixmap(size, size));
    QPalette palette = m_message->palette();
    palette.setColor(QPalette::WindowText,
                     error ? LogLineDelegate::levelColor(LogLevel::Error, this->palette())
                           : this->palette().color(QPalette::WindowText));
    m_message->setPalette(palette);
    m_messageBar->show();
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
