// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "filterbar.h"

#include "icons.h"
#include "protocol/timestamp.h"
#include "sessiondecorationproxy.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalBlocker>
#include <QToolButton>
#include <QVBoxLayout>

namespace kw {

namespace {

constexpr qint64 kHourMs = 3600 * 1000;

int toMask(const SessionFilter::StateSet &states) {
    return int(states.to_ulong());
}

namespace key {
const QString text = QStringLiteral("filter/text");
const QString regex = QStringLiteral("filter/regex");
const QString states = QStringLiteral("filter/states");
const QString kinds = QStringLiteral("filter/kinds");
const QString tool = QStringLiteral("filter/tool");
const QString host = QStringLiteral("filter/host");
const QString time = QStringLiteral("filter/time");
const QString from = QStringLiteral("filter/from");
const QString to = QStringLiteral("filter/to");
const QString owners = QStringLiteral("filter/owners");
} // namespace key

QToolButton *makePresetButton(QWidget *parent, const QString &name, const QString &text,
                              const QString &toolTip) {
    auto *button = new QToolButton(parent);
    button->setObjectName(name);
    button->setText(text);
    button->setToolTip(toolTip);
    button->setCheckable(true);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setAutoRaise(true);
    return button;
}

} // namespace

FilterBar::FilterBar(QWidget *parent)
    : QWidget(parent)
    , m_rangeRefresh(this) // a child, so tests can find it
    , m_clock(&Timestamp::nowMs) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &FilterBar::apply);
    // Without it, "Last 24 hours" chosen in the morning would still mean the
    // morning's last 24 hours in the evening.
    m_rangeRefresh.setObjectName(QStringLiteral("rangeRefresh"));
    m_rangeRefresh.setInterval(kRangeRefreshMs);
    connect(&m_rangeRefresh, &QTimer::timeout, this, &FilterBar::apply);
    buildUi();
    updatePresetButtons();
    setCounts(0, 0);
}

void FilterBar::buildUi() {
    using S = SessionState;

    m_text = new QLineEdit(this);
    m_text->setObjectName(QStringLiteral("sessionFilter"));
    m_text->setPlaceholderText(tr("Filter sessions by ID, title, tool, host… (Ctrl+F)"));
    m_text->setClearButtonEnabled(true);
    connect(m_text, &QLineEdit::textChanged, this, [this] {
        if (!m_silent)
            m_debounce.start();
    });
    connect(m_text, &QLineEdit::returnPressed, this, &FilterBar::apply);

    m_regex = new QToolButton(this);
    m_regex->setObjectName(QStringLiteral("regexToggle"));
    m_regex->setText(QStringLiteral(".*"));
    m_regex->setCheckable(true);
    m_regex->setToolTip(tr("Treat the text as a regular expression"));
    m_regex->setAccessibleName(tr("Regular expression"));
    connect(m_regex, &QToolButton::toggled, this, [this] {
        if (!m_silent)
            m_debounce.start();
    });

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("filterError"));
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();

    m_states = new QComboBox(this);
    m_states->setObjectName(QStringLiteral("stateFilter"));
    m_states->setToolTip(tr("Show sessions in these states"));
    m_states->addItem(tr("All states"), 0);
    m_states->addItem(Icons::state(S::Running), tr("Active"),
                      toMask(SessionFilter::activeStates()));
    m_states->addItem(Icons::state(S::Failed), tr("Problems"),
                      toMask(SessionFilter::problemStates()));
    m_states->addItem(Icons::state(S::Succeeded), tr("Finished"),
                      toMask(SessionFilter::finishedStates()));
    m_states->insertSeparator(m_states->count());
    for (int i = 0; i < int(S::Count); ++i)
        m_states->addItem(Icons::state(S(i)), QString(wireName(S(i))), 1 << i);

    m_kinds = new QComboBox(this);
    m_kinds->setObjectName(QStringLiteral("kindFilter"));
    m_kinds->setToolTip(tr("Show sessions of this kind"));
    m_kinds->addItem(tr("All kinds"), 0);
    for (int i = 0; i < int(SessionKind::Count); ++i)
        m_kinds->addItem(QString(wireName(SessionKind(i))), 1 << i);

    m_tools = new QComboBox(this);
    m_tools->setObjectName(QStringLiteral("toolFilter"));
    m_tools->setToolTip(tr("Show sessions of this tool (the tools of the sessions listed)"));
    m_tools->addItem(tr("All tools"), QString());
    m_tools->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_hosts = new QComboBox(this);
    m_hosts->setObjectName(QStringLiteral("hostFilter"));
    m_hosts->setToolTip(tr("Show sessions on this host (the hosts of the sessions listed)"));
    m_hosts->addItem(tr("All hosts"), QString());
    m_hosts->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_time = new QComboBox(this);
    m_time->setObjectName(QStringLiteral("timeFilter"));
    m_time->setToolTip(tr("Show sessions that ran during this time"));
    m_time->addItem(tr("Any time"), int(TimeRange::Any));
    m_time->addItem(tr("Today"), int(TimeRange::Today));
    m_time->addItem(tr("Last 24 hours"), int(TimeRange::Last24Hours));
    m_time->addItem(tr("Last 7 days"), int(TimeRange::Last7Days));
    m_time->addItem(tr("Between…"), int(TimeRange::Custom));

    const QDateTime today = QDate::currentDate().startOfDay();
    const auto makeTimeEdit = [this](const QString &name, const QDateTime &value,
                                     const QString &toolTip) {
        auto *edit = new QDateTimeEdit(value, this);
        edit->setObjectName(name);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setCalendarPopup(true);
        edit->setToolTip(toolTip);
        edit->hide(); // until "Between…" is chosen
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, [this] {
            if (!m_silent)
                apply();
        });
        return edit;
    };
    m_from = makeTimeEdit(QStringLiteral("timeFrom"), today,
                          tr("Sessions still running at or after this time"));
    m_to = makeTimeEdit(QStringLiteral("timeTo"), today.addDays(1),
                        tr("Sessions started at or before this time"));

    for (QComboBox *combo : {m_states, m_kinds, m_tools, m_hosts, m_time}) {
        connect(combo, &QComboBox::currentIndexChanged, this, [this] {
            const bool custom = m_time->currentData().toInt() == int(TimeRange::Custom);
            m_from->setVisible(custom);
            m_to->setVisible(custom);
            // A choice in a list applies at once: no typing to wait for.
            if (!m_silent)
                apply();
        });
    }

    m_running =
        makePresetButton(this, QStringLiteral("presetRunning"), tr("&Running"),
                         tr("Sessions still at work: queued, running, stalled, cancelling"));
    m_running->setIcon(Icons::state(S::Running));
    m_problems = makePresetButton(
        this, QStringLiteral("presetProblems"), tr("&Problems"),
        tr("Sessions to look at: failed, stalled, interrupted, finished with warnings"));
    m_problems->setIcon(Icons::state(S::Failed));
    m_today = makePresetButton(this, QStringLiteral("presetToday"), tr("&Today"),
                               tr("Sessions that ran today"));
    const std::pair<QToolButton *, Preset> presets[] = {
        {m_running, Preset::Running}, {m_problems, Preset::Problems}, {m_today, Preset::Today}};
    for (const auto &[button, preset] : presets) {
        connect(button, &QToolButton::clicked, this, [this, preset = preset](bool checked) {
            // Clicking the preset in force again takes it off.
            if (checked)
                applyPreset(preset);
            else
                clear();
        });
    }
    // Whose sessions: a segmented choice, exactly one in force.
    m_owners = new QButtonGroup(this);
    m_owners->setExclusive(true);
    const struct {
        SessionFilter::Owners owners;
        QString name, text, toolTip;
    } ownerChoices[] = {
        {SessionFilter::Owners::Mine, QStringLiteral("ownersMine"), tr("&Mine"),
         tr("Your own sessions")},
        {SessionFilter::Owners::Others, QStringLiteral("ownersSystem"), tr("S&ystem"),
         tr("Sessions of root and service users: the system spool, and their processes "
            "discovered")},
        {SessionFilter::Owners::Anyone, QStringLiteral("ownersAll"), tr("All"),
         tr("Everybody's sessions")},
    };
    for (const auto &choice : ownerChoices) {
        QToolButton *button = makePresetButton(this, choice.name, choice.text, choice.toolTip);
        m_owners->addButton(button, int(choice.owners));
    }
    m_owners->button(int(SessionFilter::Owners::Anyone))->setChecked(true);
    connect(m_owners, &QButtonGroup::idClicked, this, [this] {
        if (!m_silent)
            apply();
    });

    m_showAll = new QToolButton(this);
    m_showAll->setObjectName(QStringLiteral("clearFilters"));
    m_showAll->setText(tr("Show &All"));
    m_showAll->setToolTip(tr("Turn every filter off"));
    m_showAll->setAutoRaise(true);
    connect(m_showAll, &QToolButton::clicked, this, &FilterBar::clear);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("filterCount"));

    auto *label = new QLabel(tr("Filter:"), this);
    label->setBuddy(m_text);

    auto *first = new QHBoxLayout;
    first->addWidget(label);
    first->addWidget(m_text, 1);
    first->addWidget(m_regex);
    first->addWidget(m_error);
    first->addSpacing(12);
    for (QAbstractButton *button : m_owners->buttons())
        first->addWidget(button);
    first->addSpacing(12);
    first->addWidget(m_running);
    first->addWidget(m_problems);
    first->addWidget(m_today);
    first->addWidget(m_showAll);

    auto *second = new QHBoxLayout;
    for (QWidget *w : std::initializer_list<QWidget *>{m_states, m_kinds, m_tools, m_hosts, m_time,
                                                       m_from, m_to})
        second->addWidget(w);
    second->addStretch(1);
    second->addWidget(m_count);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(first);
    layout->addLayout(second);
}

void FilterBar::addChoice(QComboBox *combo, QSet<QString> &known, const QString &value) {
    if (value.isEmpty())
        return;
    const QString folded = value.toCaseFolded();
    if (known.contains(folded))
        return;
    known.insert(folded);
    // Sorted, after "All …"; the current choice stays (an insert before it
    // moves its index, not the choice).
    int at = 1;
    while (at < combo->count() && combo->itemText(at).compare(value, Qt::CaseInsensitive) < 0)
        ++at;
    const QSignalBlocker blocker(combo);
    combo->insertItem(at, value, value);
}

void FilterBar::addValues(const QString &tool, const QString &host) {
    addChoice(m_tools, m_knownTools, tool);
    addChoice(m_hosts, m_knownHosts, host);
}

int FilterBar::selectData(QComboBox *combo, const QVariant &data) {
    const int index = qMax(0, combo->findData(data));
    combo->setCurrentIndex(index);
    return index;
}

SessionFilter::Owners FilterBar::chosenOwners() const {
    return SessionFilter::Owners(qMax(0, m_owners->checkedId()));
}

void FilterBar::setOwners(SessionFilter::Owners owners) {
    setWidgetsSilently([this, owners] { m_owners->button(int(owners))->setChecked(true); });
}

QAbstractButton *FilterBar::ownersButton(SessionFilter::Owners owners) const {
    return m_owners->button(int(owners));
}

SessionFilter::StateSet FilterBar::chosenStates() const {
    return SessionFilter::StateSet(quint64(m_states->currentData().toInt()));
}

std::pair<std::optional<qint64>, std::optional<qint64>> FilterBar::chosenTimeRange() const {
    // To the minute: the filter changes (and the table refilters) at most
    // once a minute as the range moves, not on every apply.
    constexpr qint64 kMinuteMs = 60000;
    const qint64 now = m_clock() / kMinuteMs * kMinuteMs;
    switch (TimeRange(m_time->currentData().toInt())) {
    case TimeRange::Any:
        break;
    case TimeRange::Today:
        // Local midnight: "today" is the user's day, not UTC's.
        return {QDateTime::fromMSecsSinceEpoch(now).date().startOfDay().toMSecsSinceEpoch(),
                std::nullopt};
    case TimeRange::Last24Hours:
        return {now - 24 * kHourMs, std::nullopt};
    case TimeRange::Last7Days:
        return {now - 7 * 24 * kHourMs, std::nullopt};
    case TimeRange::Custom:
        return {m_from->dateTime().toMSecsSinceEpoch(), m_to->dateTime().toMSecsSinceEpoch()};
    }
    return {};
}

void FilterBar::apply() {
    m_debounce.stop();
    SessionFilter filter;
    QString error;
    if (!filter.setText(m_text->text(), m_regex->isChecked())) {
        error = filter.errorString();
        // Keep what the last valid text matched rather than show nothing.
        filter.setText(m_applied.text(), m_applied.isRegularExpression());
    }
    showTextError(error);
    filter.setStates(chosenStates());
    filter.setKinds(SessionFilter::KindSet(quint64(m_kinds->currentData().toInt())));
    filter.setOwners(chosenOwners());
    filter.setTool(m_tools->currentData().toString());
    filter.setHost(m_hosts->currentData().toString());
    const auto [from, to] = chosenTimeRange();
    filter.setTimeRange(from, to);
    const auto range = TimeRange(m_time->currentData().toInt());
    if (range == TimeRange::Any || range == TimeRange::Custom)
        m_rangeRefresh.stop();
    else if (!m_rangeRefresh.isActive())
        m_rangeRefresh.start();
    updatePresetButtons();
    if (filter == m_applied)
        return;
    m_applied = filter;
    emit filterChanged(m_applied);
}

void FilterBar::showTextError(const QString &error) {
    if (error == m_textError)
        return;
    m_textError = error;
    if (error.isEmpty()) {
        m_error->clear();
        m_error->hide();
        m_text->setPalette(QPalette());
        m_text->setToolTip(QString());
        return;
    }
    QString message = error;
    message[0] = message[0].toUpper();
    m_error->setText(message);
    m_error->show();
    // The field itself says "not like this", in the colour failed rows use.
    QPalette p = palette();
    p.setColor(QPalette::Base, SessionDecorationProxy::tint(SessionState::Failed, p));
    m_text->setPalette(p);
    m_text->setToolTip(tr("Not applied: %1").arg(message));
}

QString FilterBar::textError() const {
    return m_textError;
}

bool FilterBar::othersCleared(const QComboBox *except) const {
    if (!m_text->text().isEmpty())
        return false;
    for (const QComboBox *combo : {m_states, m_kinds, m_tools, m_hosts, m_time}) {
        if (combo != except && combo->currentIndex() != 0)
            return false;
    }
    return true;
}

bool FilterBar::matchesPreset(Preset preset) const {
    switch (preset) {
    case Preset::Running:
        return m_states->currentData().toInt() == toMask(SessionFilter::activeStates())
               && othersCleared(m_states);
    case Preset::Problems:
        return m_states->currentData().toInt() == toMask(SessionFilter::problemStates())
               && othersCleared(m_states);
    case Preset::Today:
        return m_time->currentData().toInt() == int(TimeRange::Today) && othersCleared(m_time);
    }
    return false;
}

void FilterBar::updatePresetButtons() {
    m_running->setChecked(matchesPreset(Preset::Running));
    m_problems->setChecked(matchesPreset(Preset::Problems));
    m_today->setChecked(matchesPreset(Preset::Today));
    m_showAll->setEnabled(!othersCleared(nullptr)
                          || chosenOwners() != SessionFilter::Owners::Anyone);
}

QAbstractButton *FilterBar::presetButton(Preset preset) const {
    switch (preset) {
    case Preset::Running:
        return m_running;
    case Preset::Problems:
        return m_problems;
    case Preset::Today:
        return m_today;
    }
    return nullptr;
}

void FilterBar::setWidgetsSilently(const std::function<void()> &change) {
    m_silent = true;
    change();
    m_silent = false;
    apply();
}

void FilterBar::clear() {
    setWidgetsSilently([this] {
        m_text->clear();
        m_owners->button(int(SessionFilter::Owners::Anyone))->setChecked(true);
        for (QComboBox *combo : {m_states, m_kinds, m_tools, m_hosts, m_time})
            combo->setCurrentIndex(0);
    });
}

void FilterBar::applyPreset(Preset preset) {
    // A preset is a whole view, not one more condition: "Problems" must show
    // every problem, whatever was typed before.
    setWidgetsSilently([this, preset] {
        m_text->clear();
        for (QComboBox *combo : {m_states, m_kinds, m_tools, m_hosts, m_time})
            combo->setCurrentIndex(0);
        switch (preset) {
        case Preset::Running:
            selectData(m_states, toMask(SessionFilter::activeStates()));
            break;
        case Preset::Problems:
            selectData(m_states, toMask(SessionFilter::problemStates()));
            break;
        case Preset::Today:
            selectData(m_time, int(TimeRange::Today));
            break;
        }
    });
}

void FilterBar::setCounts(int shown, int total) {
    if (m_applied.isEmpty() && shown == total)
        m_count->setText(total == 1 ? tr("1 session") : tr("%1 sessions").arg(total));
    else
        m_count->setText(total == 1 ? tr("%1 of 1 session").arg(shown)
                                    : tr("%1 of %2 sessions").arg(shown).arg(total));
}

QString FilterBar::countText() const {
    return m_count->text();
}

void FilterBar::focusText() {
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

void FilterBar::saveSettings(QSettings &s) const {
    s.setValue(key::text, m_text->text());
    s.setValue(key::regex, m_regex->isChecked());
    s.setValue(key::states, m_states->currentData().toInt());
    s.setValue(key::kinds, m_kinds->currentData().toInt());
    s.setValue(key::owners, int(chosenOwners()));
    s.setValue(key::tool, m_tools->currentData().toString());
    s.setValue(key::host, m_hosts->currentData().toString());
    s.setValue(key::time, m_time->currentData().toInt());
    s.setValue(key::from, m_from->dateTime().toMSecsSinceEpoch());
    s.setValue(key::to, m_to->dateTime().toMSecsSinceEpoch());
}

void FilterBar::restoreSettings(const QSettings &s) {
    setWidgetsSilently([&] {
        m_text->setText(s.value(key::text).toString());
        m_regex->setChecked(s.value(key::regex, false).toBool());
        selectData(m_states, s.value(key::states, 0).toInt());
        selectData(m_kinds, s.value(key::kinds, 0).toInt());
        QAbstractButton *owners = m_owners->button(s.value(key::owners, 0).toInt());
        (owners ? owners : m_owners->button(int(SessionFilter::Owners::Anyone)))->setChecked(true);
        // Offered before a session with it is read: the choice must survive.
        const QString tool = s.value(key::tool).toString();
        addChoice(m_tools, m_knownTools, tool);
        selectData(m_tools, tool);
        const QString host = s.value(key::host).toString();
        addChoice(m_hosts, m_knownHosts, host);
        selectData(m_hosts, host);
        if (s.contains(key::from))
            m_from->setDateTime(QDateTime::fromMSecsSinceEpoch(s.value(key::from).toLongLong()));
        if (s.contains(key::to))
            m_to->setDateTime(QDateTime::fromMSecsSinceEpoch(s.value(key::to).toLongLong()));
        selectData(m_time, s.value(key::time, int(TimeRange::Any)).toInt());
    });
    // The silent change skipped the visibility update of the range fields.
    const bool custom = m_time->currentData().toInt() == int(TimeRange::Custom);
    m_from->setVisible(custom);
    m_to->setVisible(custom);
}

} // namespace kw
