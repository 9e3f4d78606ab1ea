// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "models/sessionfilter.h"

#include <QSet>
#include <QTimer>
#include <QWidget>
#include <functional>

class QAbstractButton;
class QButtonGroup;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QSettings;
class QToolButton;

namespace kw {

// The bar above the session table: what the user wants to see, as a
// SessionFilter. Text (debounced, optionally a regular expression), state,
// kind, tool, host and time range; quick presets; and how many sessions
// the filter lets through.
//
// Choices in lists apply at once; typing applies kDebounceMs after the last
// key (or on Enter), so the table does not jump on every letter. An invalid
// regular expression is reported next to the field and not applied: the
// table keeps showing what the last valid text matched.
class FilterBar final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FilterBar)

public:
    static constexpr int kDebounceMs = 300;
    // Today, the last 24 hours and the last 7 days move with the clock: the
    // filter is applied again this often (to the minute) while one is chosen.
    static constexpr int kRangeRefreshMs = 60000;

    enum class Preset { Running, Problems, Today };
    Q_ENUM(Preset)

    // What the time list offers.
    enum class TimeRange { Any, Today, Last24Hours, Last7Days, Custom };
    Q_ENUM(TimeRange)

    explicit FilterBar(QWidget *parent = nullptr);

    // The filter applied last (what filterChanged carried).
    const SessionFilter &filter() const { return m_applied; }

    // Tools and hosts the lists offer: those of the sessions present. New
    // values are merged in, in order; the current choice stays.
    void addValues(const QString &tool, const QString &host);

    // "12 of 340 sessions" (or "340 sessions" with nothing filtered).
    void setCounts(int shown, int total);
    QString countText() const;

    // Every filter off: all sessions.
    void clear();
    void applyPreset(Preset preset);
    QAbstractButton *presetButton(Preset preset) const;

    // Whose sessions: the quick choice Mine / System / All (SessionOwner).
    // Independent of the presets: "Problems" of the system's backups is one
    // click on each.
    void setOwners(SessionFilter::Owners owners);
    QAbstractButton *ownersButton(SessionFilter::Owners owners) const;

    // Ctrl+F: into the text field, its text selected for overtyping.
    void focusText();
    QLineEdit *textField() const { return m_text; }
    // The reason the text is not applied (an invalid expression), or empty.
    QString textError() const;

    // The filters, across restarts. Tool and host choices come back even
    // before a session with them has been read.
    void saveSettings(QSettings &settings) const;
    void restoreSettings(const QSettings &settings);

    // "Now" for Today and the last N hours: the clock, unless a test fixes it.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }

public slots:
    // Applies what the widgets say now, without waiting for the debounce.
    void apply();

signals:
    void filterChanged(const SessionFilter &filter);

private:
    void buildUi();
    void addChoice(QComboBox *combo, QSet<QString> &known, const QString &value);
    static int selectData(QComboBox *combo, const QVariant &data);
    SessionFilter::StateSet chosenStates() const;
    SessionFilter::Owners chosenOwners() const;
    std::pair<std::optional<qint64>, std::optional<qint64>> chosenTimeRange() const;
    void showTextError(const QString &error);
    void updatePresetButtons();
    bool matchesPreset(Preset preset) const;
    bool othersCleared(const QComboBox *except) const;
    // Changes made by code (presets, restore) apply once at the end, not per widget.
    void setWidgetsSilently(const std::function<void()> &change);

    QLineEdit *m_text = nullptr;
    QToolButton *m_regex = nullptr;
    QLabel *m_error = nullptr;
    QComboBox *m_states = nullptr;
    QComboBox *m_kinds = nullptr;
    QComboBox *m_tools = nullptr;
    QComboBox *m_hosts = nullptr;
    QComboBox *m_time = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QToolButton *m_running = nullptr;
    QToolButton *m_problems = nullptr;
    QToolButton *m_today = nullptr;
    QToolButton *m_showAll = nullptr;
    QButtonGroup *m_owners = nullptr; // ids: int(SessionFilter::Owners)
    QLabel *m_count = nullptr;

    QTimer m_debounce;
    QTimer m_rangeRefresh; // runs while a range relative to now is chosen
    bool m_silent = false;
    QString m_textError;
    SessionFilter m_applied;
    QSet<QString> m_knownTools; // lower-cased
    QSet<QString> m_knownHosts;
    std::function<qint64()> m_clock;
};

} // namespace kw
