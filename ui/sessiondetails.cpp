// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "sessiondetails.h"

#include "format/format.h"
#include "format/shellquote.h"
#include "icons.h"
#include "protocol/timestamp.h"
#include "store/sessionstore.h"
#include "tools/commandredactor.h"
#include "tools/exitcodes.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <algorithm>

namespace kw {

namespace {

QString milestoneText(const SessionMilestone &m) {
    const QString state = QString(wireName(m.state));
    QString text;
    switch (m.type) {
    case SessionMilestone::Type::Started:
        text = SessionDetails::tr("Started (%1)").arg(state);
        break;
    case SessionMilestone::Type::State:
        text = SessionDetails::tr("State: %1").arg(state);
        break;
    case SessionMilestone::Type::FirstWarning:
        text = SessionDetails::tr("First warning");
        break;
    case SessionMilestone::Type::FirstError:
        text = SessionDetails::tr("First error");
        break;
    case SessionMilestone::Type::Ended:
        text = SessionDetails::tr("Ended: %1").arg(state);
        break;
    }
    if (!m.text.isEmpty())
        text += QStringLiteral(" — ") + m.text;
    return text;
}

} // namespace

SessionDetails::SessionDetails(SessionStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_clock(&Timestamp::nowMs) {
    setObjectName(QStringLiteral("sessionDetails"));
    buildUi();
    connect(m_store, &SessionStore::changed, this, &SessionDetails::onStoreChanged);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        const int row = m_key ? m_store->indexOf(*m_key) : -1;
        if (row >= 0)
            refreshTimes(m_store->at(row));
        updateTimer();
    });
    setSession(std::nullopt);
}

SessionDetails::~SessionDetails() = default;

QLabel *SessionDetails::addField(const QString &objectName, const QString &label) {
    auto *value = new QLabel(this);
    value->setObjectName(objectName);
    value->setWordWrap(true);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    // Long paths and commands wrap anywhere rather than widening the area.
    value->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_form->addRow(label, value);
    m_fields.insert(objectName, value);
    return value;
}

void SessionDetails::buildUi() {
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    outer->addWidget(m_stack);

    m_placeholder = new QLabel(tr("Select a session to see its details."), this);
    m_placeholder->setObjectName(QStringLiteral("detailPlaceholder"));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false); // the muted look of a hint
    m_stack->addWidget(m_placeholder);

    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);

    m_title = new QLabel(content);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    layout->addWidget(m_title);

    m_form = new QFormLayout;
    m_form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    // The ID: a read-only line edit (select all with a click, Ctrl+C) and a
    // button for those who would rather click.
    auto *idRow = new QHBoxLayout;
    m_id = new QLineEdit(content);
    m_id->setObjectName(QStringLiteral("detailId"));
    m_id->setReadOnly(true);
    m_id->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_copyId = new QToolButton(content);
    m_copyId->setObjectName(QStringLiteral("detailCopyId"));
    m_copyId->setText(tr("Copy"));
    m_copyId->setToolTip(tr("Copy the session ID"));
    connect(m_copyId, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_id->text()); });
    idRow->addWidget(m_id, 1);
    idRow->addWidget(m_copyId);
    auto *idLabel = new QLabel(tr("&ID:"), content);
    idLabel->setBuddy(m_id);
    m_form->addRow(idLabel, idRow);

    addField(QStringLiteral("detailState"), tr("State:"));
    addField(QStringLiteral("detailCommand"), tr("Command:"))
        ->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    addField(QStringLiteral("detailTarget"), tr("Repository:"));
    addField(QStringLiteral("detailHost"), tr("Host:"));
    addField(QStringLiteral("detailStarted"), tr("Started:"));
    addField(QStringLiteral("detailEnded"), tr("Ended:"));
    addField(QStringLiteral("detailDuration"), tr("Duration:"));
    addField(QStringLiteral("detailBytes"), tr("Bytes:"));
    addField(QStringLiteral("detailFiles"), tr("Files:"));
    addField(QStringLiteral("detailRate"), tr("Rate:"));
    addField(QStringLiteral("detailLog"), tr("Log:"));
    addField(QStringLiteral("detailExit"), tr("Exit:"));
    addField(QStringLiteral("detailSummary"), tr("Summary:"));
    layout->addLayout(m_form);

    auto *eventsLabel = new QLabel(tr("&Events:"), content);
    layout->addWidget(eventsLabel);
    m_events = new QTreeWidget(content);
    m_events->setObjectName(QStringLiteral("detailEvents"));
    m_events->setColumnCount(2);
    m_events->setHeaderLabels({tr("Time"), tr("Event")});
    m_events->setRootIsDecorated(false);
    m_events->setUniformRowHeights(true);
    m_events->setWordWrap(false);
    m_events->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_events->setMinimumHeight(fontMetrics().height() * 6);
    eventsLabel->setBuddy(m_events);
    layout->addWidget(m_events, 1);

    scroll->setWidget(content);
    m_stack->addWidget(scroll);
}

void SessionDetails::setClock(std::function<qint64()> clock) {
    m_clock = std::move(clock);
    refresh();
}

void SessionDetails::setStateText(std::function<QString(const Session &)> stateText) {
    m_stateText = std::move(stateText);
    refresh();
}

void SessionDetails::setSession(const std::optional<SessionKey> &key) {
    m_key = key;
    m_eventsShown = {-1, -1, -1};
    refresh();
}

void SessionDetails::onStoreChanged(const StoreChange &change) {
    if (!m_key)
        return;
    const int row = m_store->indexOf(*m_key);
    if (row < 0)
        return;
    const bool isNew = change.newRows > 0 && row >= change.firstNewRow
                       && row < change.firstNewRow + change.newRows;
    // Both lists are sorted: an unrelated change costs two binary searches.
    if (isNew || std::binary_search(change.changedRows.cbegin(), change.changedRows.cend(), row)
        || std::binary_search(change.logRows.cbegin(), change.logRows.cend(), row))
        refresh();
}

QString SessionDetails::commandText(const QStringList &command) {
    return ShellQuote::join(CommandRedactor::redact(command));
}

QString SessionDetails::exitText(const Session &s) {
    QString meaning = ExitCodes::meaning(s.tool, s.exitCode, s.signal);
    if (s.signal)
        return meaning;
    if (!s.exitCode)
        return {};
    return meaning.isEmpty() ? QString::number(*s.exitCode)
                             : tr("%1 — %2").arg(*s.exitCode).arg(meaning);
}

void SessionDetails::refresh() {
    const int row = m_key ? m_store->indexOf(*m_key) : -1;
    if (row < 0) {
        m_placeholder->setText(m_key ? tr("Session %1 is not known (yet).").arg(m_key->id)
                                     : tr("Select a session to see its details."));
        m_stack->setCurrentWidget(m_placeholder);
        updateTimer();
        return;
    }
    ++m_refreshes;
    const Session &s = m_store->at(row);
    m_stack->setCurrentIndex(1);
    const auto set = [this](const char *name, const QString &text) {
        QLabel *label = m_fields.value(QLatin1String(name));
        label->setText(text.isEmpty() ? tr("—") : text);
    };

    m_title->setText(s.displayTitle());
    if (m_id->text() != s.key.id) {
        m_id->setText(s.key.id);
        m_id->setCursorPosition(0);
    }
    m_id->setToolTip(tr("Source: %1").arg(s.key.source));

    QString state = m_stateText ? m_stateText(s) : QString(wireName(s.state));
    if (!s.stateReason.isEmpty())
        state += QStringLiteral(" — ") + s.stateReason;
    set("detailState", state);
    set("detailCommand", commandText(s.command));
    set("detailTarget", CommandRedactor::redactUrlCredentials(s.target));
    QString host = s.host;
    if (!s.user.isEmpty())
        host = s.user + QLatin1Char('@') + host;
    if (s.pid)
        host += tr(" (pid %1)").arg(*s.pid);
    set("detailHost", host);

    const ProgressPayload &p = s.progress;
    const auto fmt = &Format::bytes;
    QString bytes;
    if (p.bytesDone)
        bytes = p.bytesTotal ? tr("%1 of %2").arg(fmt(*p.bytesDone), fmt(*p.bytesTotal))
                             : fmt(*p.bytesDone);
    else if (p.bytesTotal)
        bytes = tr("%1 in total").arg(fmt(*p.bytesTotal));
    if (p.percent)
        bytes += (bytes.isEmpty() ? QString() : QStringLiteral(" · "))
                 + tr("%1%").arg(*p.percent, 0, 'f', 1);
    set("detailBytes", bytes);
    QString files;
    if (p.filesDone)
        files = p.filesTotal ? tr("%1 of %2").arg(*p.filesDone).arg(*p.filesTotal)
                             : QString::number(*p.filesDone);
    set("detailFiles", files);
    set("detailLog",
        tr("%1 lines · %2 warnings · %3 errors").arg(s.logLines).arg(s.warnings).arg(s.errors));
    set("detailExit", exitText(s));
    set("detailSummary", s.summary);
    refreshTimes(s);
    refreshEvents(s);
    updateTimer();
}

void SessionDetails::refreshTimes(const Session &s) {
    const auto set = [this](const char *name, const QString &text) {
        m_fields.value(QLatin1String(name))->setText(text.isEmpty() ? tr("—") : text);
    };
    const qint64 now = m_clock();
    set("detailStarted", Format::dateTime(s.effectiveStartMs()));
    set("detailEnded", s.endedMs           ? Format::dateTime(*s.endedMs)
                       : isActive(s.state) ? (m_stateText ? m_stateText(s) : tr("running"))
                                           : QString());
    const qint64 duration = s.durationMs(now);
    set("detailDuration", Format::duration(duration));
    // While it runs: the tool's own rate; once done: the average.
    QString rate;
    if (isActive(s.state) && s.progress.rate)
        rate = Format::rate(*s.progress.rate);
    else if (isTerminal(s.state) && s.progress.bytesDone && duration > 0)
        rate = tr("%1 on average")
                   .arg(Format::rate(double(*s.progress.bytesDone) * 1000.0 / double(duration)));
    set("detailRate", rate);
}

void SessionDetails::refreshEvents(const Session &s) {
    const auto shown = std::make_tuple(s.milestones.size(), s.droppedMilestones,
                                       s.milestones.isEmpty() ? 0 : s.milestones.last().ms);
    if (shown == m_eventsShown)
        return;
    m_eventsShown = shown;
    m_events->clear();
    QList<QTreeWidgetItem *> items;
    for (qsizetype i = 0; i < s.milestones.size(); ++i) {
        const SessionMilestone &m = s.milestones[i];
        auto *item = new QTreeWidgetItem({Format::timeMs(m.ms), milestoneText(m)});
        item->setToolTip(0, Format::dateTime(m.ms));
        item->setToolTip(1, milestoneText(m));
        switch (m.type) {
        case SessionMilestone::Type::FirstWarning:
            item->setIcon(1, Icons::state(SessionState::Warning));
            break;
        case SessionMilestone::Type::FirstError:
            item->setIcon(1, Icons::state(SessionState::Failed));
            break;
        default:
            item->setIcon(1, Icons::state(m.state));
            break;
        }
        items.append(item);
        // The bound keeps the start and the newest: say what is missing.
        if (i == 0 && s.droppedMilestones > 0)
            items.append(new QTreeWidgetItem(
                {QString(), s.droppedMilestones == 1
                                ? tr("… 1 earlier event not kept")
                                : tr("… %1 earlier events not kept").arg(s.droppedMilestones)}));
    }
    m_events->addTopLevelItems(items);
}

QString SessionDetails::fieldText(const QString &objectName) const {
    if (objectName == QLatin1String("detailId"))
        return m_id->text();
    if (objectName == QLatin1String("detailTitle"))
        return m_title->text();
    if (objectName == QLatin1String("detailPlaceholder"))
        return m_placeholder->text();
    const QLabel *label = m_fields.value(objectName);
    return label ? label->text() : QString();
}

void SessionDetails::updateTimer() {
    const int row = m_key ? m_store->indexOf(*m_key) : -1;
    const bool ticking = isVisible() && row >= 0 && isActive(m_store->at(row).state);
    if (ticking && !m_tick.isActive())
        m_tick.start();
    else if (!ticking)
        m_tick.stop();
}

void SessionDetails::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    refresh();
}

void SessionDetails::hideEvent(QHideEvent *event) {
    QWidget::hideEvent(event);
    m_tick.stop();
}

} // namespace kw
