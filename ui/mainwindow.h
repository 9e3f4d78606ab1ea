// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "sessiontableview.h"
#include "settings/appsettings.h"
#include "sources/sourceset.h"
#include "store/session.h"

#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QSet>
#include <QTimer>
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QModelIndex;
class QSplitter;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QToolButton;

namespace kw {

class BaculaJobControl;
class BaculaRunDialog;
class Collector;
class FilterBar;
class FleetLink;
class FirstStart;
class HistoryLogLoader;
class LaunchDialog;
class LogPane;
class LogSearchDialog;
struct SearchHit;
class Notifier;
class SettingsDialog;
class LogTabs;
struct Session;
class SessionCanceller;
class SessionDecorationProxy;
class SessionDetails;
class SessionFilterProxy;
class SessionStore;
class SessionTableModel;
class TimelineView;
class HostsView;
class SchedulesView;
class UnitControl;
struct StoreChange;
class TrayIcon;

// The window: a filter bar, the live session table, and a log pane per
// opened session, fed by a Collector polling the spool on its own thread.
//
// Data path: Collector (worker thread) -> SessionStore (this thread) ->
// SessionTableModel -> SessionFilterProxy (sort, filter) ->
// SessionDecorationProxy (icons, tints) -> the table.
class MainWindow final : public QMainWindow {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // Watches SpoolLocation::defaultDirectory().
    explicit MainWindow(QWidget *parent = nullptr);
    explicit MainWindow(const QString &spoolDirectory, QWidget *parent = nullptr);
    // With a history database (empty path: none): sessions of earlier runs
    // are listed, what the spool gets is recorded, and a restart goes on
    // from where the last run stopped.
    MainWindow(const QString &spoolDirectory, const QString &historyPath,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    QString spoolDirectory() const { return m_spoolDirectory; }
    QString historyPath() const { return m_historyPath; }
    SessionStore *store() const { return m_store.get(); }
    QTableView *sessionTable() const { return m_table; }
    FilterBar *filterBar() const { return m_filterBar; }
    // The same sessions along time, and the selected one's details.
    TimelineView *timeline() const { return m_timeline; }
    // systemd's backup timers (a tab beside Table and Timeline).
#ifdef KEEPWATCH_WITH_SYSTEMD
    SchedulesView *schedules() const {
        return m_schedules;
    }
#endif
    HostsView *hosts() const {
        return m_hosts;
    }
    // The window's own broker connection (Settings); null without a broker.
    FleetLink *fleetLink() const {
        return m_fleet.get();
    }
    SessionDetails *sessionDetails() const {
        return m_details;
    }
    // Table | Timeline.
    QTabWidget *sessionViews() const {
        return m_views;
    }
    // The left (or only) tabs of the log area.
    QTabWidget *logTabs() const;
    // All of it: both sides of a split and the detached windows.
    LogTabs *logArea() const {
        return m_logTabs;
    }

    // Opens the session's log pane, or brings it to the front if it is open.
    LogPane *openLog(const SessionKey &key);
    LogPane *logPane(const SessionKey &key) const;
    // Opens the log of the first session with this ID once it is known
    // (it may not have been read from the spool yet).
    void openLogWhenAvailable(const QString &sessionId);

    // Search All Logs (View menu, Ctrl+Shift+F): enabled with a history.
    // Activating a line it found opens its session's log at that line.
    QAction *searchLogsAction() const {
        return m_searchLogsAction;
    }
    LogSearchDialog *showLogSearch();
    // What activating a line of Search All Logs does; the pane, or null when
    // the session is not in the list (any more).
    LogPane *openLogAt(const SearchHit &hit);

    // Launch and cancel (Session menu, and the table's context menu).
    QAction *newSessionAction() const {
        return m_newSessionAction;
    }
    QAction *cancelSessionAction() const {
        return m_cancelSessionAction;
    }
    // "Run Bacula Job…": enabled when Settings name a director.
    QAction *runBaculaJobAction() const {
        return m_runBaculaJobAction;
    }
    BaculaRunDialog *showBaculaRunDialog();
    // The keepwatch-cli that launches and cancels; empty (the default): the
    // one beside this executable, else on PATH.
    void setCliProgram(const QString &program);

    // Settings (Settings…, Ctrl+,): loaded at start, applied at once where
    // the running window can (stall timeout, log buffer size, notifications,
    // tray); spool directories and the poll interval at the next start.
    const AppSettings &appSettings() const {
        return m_appSettings;
    }
    void applySettings(const AppSettings &settings);
    QAction *settingsAction() const {
        return m_settingsAction;
    }
    SettingsDialog *showSettingsDialog();
    Notifier *notifier() const {
        return m_notifier;
    }
    TrayIcon *trayIcon() const {
        return m_trayIcon;
    }
    FirstStart *firstStart() const {
        return m_firstStart;
    }
    // Shows "New session" (the one already open, if any).
    LaunchDialog *showLaunchDialog();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    void buildActions();
    void startCollector();
    SourceSet sources() const;
    // "12 of 340 sessions" in the filter bar.
    void updateFilterCount();
    void onStoreChanged(const StoreChange &change);
    void onActivated(const QModelIndex &index);
    void onLogTabCountChanged(int tabs);
    // "3 running · 1 failed · 340 total", from the rows a change lists.
    void updateCounts(const StoreChange &change);
    void updateSourceErrors(int newErrors);
    void updateEmptyState();
    void updateTabIcons();
    void openPending();
    void restoreSettings();
    void saveSettings() const;
    void buildSessionActions();
    // The selected session, if it is one `keepwatch-cli cancel` can stop.
    std::optional<SessionKey> cancellableSession() const;
    void updateCancelAction();
    void confirmCancel();
    // Another user's session: why this user cannot cancel it, and what to run.
    void explainCannotCancel(const Session &session, const QString &why);
    // Another host's session (remote:HOST): why this window cannot ask its
    // agent to cancel it now, in words a person can act on; empty when it may.
    QString remoteCancelRefusal(const Session &session) const;
    // The director of a "bacula:<name>" source, as Settings name it, and
    // what its jobs are cancelled and run through; none when Settings name
    // no such director.
    std::optional<BaculaSourceOptions> baculaDirector(const QString &source) const;
    BaculaJobControl *baculaControl(const QString &source);
    QList<BaculaJobControl *> baculaControls();
    // (Re)connects to the broker the settings name, when they changed.
    void applyBroker(const AppSettings::Broker &broker);
    // Then connects, with the password from the keyring when it is kept there.
    void connectBroker(const AppSettings::Broker &broker, const QByteArray &password);

    QString m_spoolDirectory;
    // Before the collector, which is made with its poll interval.
    AppSettings m_appSettings;
    QString m_historyPath;
    HistoryLogLoader *m_historyLogs = nullptr; // with a history only
    // Declared before everything that reads them, so destroyed after.
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<Collector> m_collector;
    std::unique_ptr<SessionTableModel> m_model;
    std::unique_ptr<SessionFilterProxy> m_filterProxy;
    std::unique_ptr<SessionDecorationProxy> m_decoration;

    FilterBar *m_filterBar = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    FirstStart *m_firstStart = nullptr; // in place of the table while it is empty
    SessionTableView *m_table = nullptr;
    TimelineView *m_timeline = nullptr; // shares the table's model and selection
    SchedulesView *m_schedules = nullptr;
    HostsView *m_hosts = nullptr;
    UnitControl *m_unitControl = nullptr; // Run now, Stop, cancel of unit runs
    QTabWidget *m_views = nullptr;        // the table or the timeline
    QSplitter *m_detailSplitter = nullptr;
    SessionDetails *m_details = nullptr;
    LogTabs *m_logTabs = nullptr;
    QLabel *m_countsLabel = nullptr;
    // What each row was counted as, so a change recounts only its rows: a
    // walk over every session per batch was 50 walks over 100,000 at start.
    enum class Tally : quint8 { Other, Active, Failed, Count };
    std::vector<Tally> m_tallies;                      // by store row (rows never move)
    std::array<int, size_t(Tally::Count)> m_tallied{}; // rows per Tally
    QToolButton *m_errorsButton = nullptr;
    QLabel *m_sourceNotice = nullptr;       // what this user cannot see, and why
    QMap<QString, QString> m_sourceNotices; // source and location -> its notice
    QLabel *m_brokerLabel = nullptr;        // the broker connection's state, when there is one
    std::unique_ptr<FleetLink> m_fleet;
    std::optional<AppSettings::Broker> m_brokerApplied;
    // What the broker said when asked whether this desktop may write a
    // host's commands (empty: it may), by host.
    QHash<QString, QString> m_commandRefusals;
    QSet<QString> m_probedHosts;

    QTimer m_durationTimer;
    qint64 m_sourceErrors = 0;
    QString m_pendingOpen;

    QAction *m_searchLogsAction = nullptr;
    QPointer<LogSearchDialog> m_logSearch;
    QAction *m_newSessionAction = nullptr;
    QAction *m_cancelSessionAction = nullptr;
    QAction *m_runBaculaJobAction = nullptr;
    // One per director of the settings (by source), made when first
    // needed; replaced when the settings change them.
    std::map<QString, BaculaJobControl *> m_baculaControls;
    QPointer<BaculaRunDialog> m_baculaRunDialog;
    SessionCanceller *m_canceller = nullptr;
    QPointer<LaunchDialog> m_launchDialog;
    QString m_cliProgram;
    QAction *m_settingsAction = nullptr;
    QPointer<SettingsDialog> m_settingsDialog;
    Notifier *m_notifier = nullptr;
    TrayIcon *m_trayIcon = nullptr;
};

} // namespace kw
