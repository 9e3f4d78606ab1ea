// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "mainwindow.h"

#include "bacula/baculajobcontrol.h"
#include "bacularundialog.h"
#include "cancel/wrappercancel.h"
#include "collector/collector.h"
#include "filterbar.h"
#include "firststart.h"
#include "fleet/fleetlink.h"
#include "fleet/remotecancel.h"
#include "fleet/remotespools.h"
#include "history/historydatabase.h"
#include "history/historylogloader.h"
#include "hostsview.h"
#include "icons.h"
#include "launch/secrettoolkeyring.h"
#include "launch/sessioncanceller.h"
#include "launchdialog.h"
#include "logpane.h"
#include "logsearchdialog.h"
#include "logtabs.h"
#include "models/sessionfilter.h"
#include "models/sessionfilterproxy.h"
#include "models/sessiontablemodel.h"
#include "notifier.h"
#include "reportexport.h"
#ifdef KEEPWATCH_WITH_SYSTEMD
#include "schedulesview.h"
#include "systemd/unitcontrol.h"
#endif
#include "sessiondecorationproxy.h"
#include "sessiondetails.h"
#include "settingsdialog.h"
#include "sources/sourceset.h"
#include "spool/spoollocation.h"
#include "store/sessionstore.h"
#include "timelineview.h"
#include "trayicon.h"

#include <QAction>
#include <QCloseEvent>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace kw {

namespace {

constexpr int kRecentErrorsShown = 5;
constexpr int kTitleChars = 32;
constexpr int kShortIdChars = 8;

Collector::Options collectorOptions(const AppSettings &settings) {
    Collector::Options options;
    options.pollIntervalMs = settings.pollIntervalMs;
    return options;
}

// The same settings file for the app and for anything that constructs the
// window (tests, which turn on QStandardPaths' test mode so that it is not
// the user's file).
QSettings settings() {
    return QSettings(QStringLiteral("Keepwatch"), QStringLiteral("keepwatch"));
}

namespace key {
const QString geometry = QStringLiteral("window/geometry");
const QString state = QStringLiteral("window/state");
const QString splitter = QStringLiteral("window/splitter");
const QString header = QStringLiteral("table/header");
const QString detailSplitter = QStringLiteral("window/detailSplitter");
const QString sessionView = QStringLiteral("window/sessionView");
} // namespace key

} // namespace

MainWindow::MainWindow(QWidget *parent)
    : MainWindow(SpoolLocation::defaultDirectory(), HistoryDatabase::defaultPath(), parent) {}

MainWindow::MainWindow(const QString &spoolDirectory, QWidget *parent)
    : MainWindow(spoolDirectory, QString(), parent) {}

MainWindow::MainWindow(const QString &spoolDirectory, const QString &historyPath, QWidget *parent)
    : QMainWindow(parent)
    , m_spoolDirectory(spoolDirectory)
    , m_appSettings(AppSettings::load())
    , m_historyPath(historyPath)
    , m_store(std::make_unique<SessionStore>())
    , m_collector(std::make_unique<Collector>(collectorOptions(m_appSettings)))
    , m_model(std::make_unique<SessionTableModel>(m_store.get()))
    , m_filterProxy(std::make_unique<SessionFilterProxy>(m_model.get()))
    , m_decoration(std::make_unique<SessionDecorationProxy>()) {
    m_decoration->setSourceModel(m_filterProxy.get());
    // Rows come and go through the filter as sessions start and change.
    for (const auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_filterProxy.get(), signal, this, &MainWindow::updateFilterCount);
    connect(m_filterProxy.get(), &QAbstractItemModel::modelReset, this,
            &MainWindow::updateFilterCount);

    setWindowTitle(tr("Keepwatch"));
    setWindowIcon(Icons::application());
    buildUi();
    // The style may have changed the palette since the proxy was made.
    m_decoration->setPalette(palette());
    buildActions();
    restoreSettings();
    updateFilterCount();

    connect(m_store.get(), &SessionStore::changed, this, &MainWindow::onStoreChanged);
    connect(m_collector.get(), &Collector::batchReady, m_store.get(), &SessionStore::apply);
    if (!m_historyPath.isEmpty()) {
        m_historyLogs = new HistoryLogLoader(m_historyPath, this);
        connect(m_historyLogs, &HistoryLogLoader::loaded, this,
                [this](const SessionKey &key, const std::shared_ptr<LogBuffer> &log) {
                    m_store->loadHistoryLog(key, std::move(*log));
                });
        connect(m_historyLogs, &HistoryLogLoader::failed, this,
                [this](const SessionKey &key, const QString &message) {
                    statusBar()->showMessage(
                        tr("Cannot read the log of %1 from the history: %2").arg(key.id, message),
                        10000);
                });
    }

    // Running sessions' durations grow even when no event arrives.
    m_durationTimer.setInterval(1000);
    connect(&m_durationTimer, &QTimer::timeout, m_model.get(),
            &SessionTableModel::refreshDurations);
    m_durationTimer.start();

    // Before the first batch: what the collector reads at start is not news.
    m_notifier = new Notifier(m_store.get(), this);
#ifdef KEEPWATCH_WITH_SYSTEMD
    connect(m_schedules->model(), &ScheduleModel::becameOverdue, m_notifier,
            &Notifier::notifyOverdue);
#endif
    connect(m_hosts, &HostsView::hostWentOffline, m_notifier, &Notifier::notifyHostOffline);
    m_trayIcon = new TrayIcon(m_store.get(), this, this);
#ifndef KEEPWATCH_WITH_DBUS
    // No desktop notification service: the tray icon says what the notifier decided.
    connect(m_notifier, &Notifier::sent, m_trayIcon, [this](const Notifier::Message &m) {
        m_trayIcon->showNotification(m.summary, m.body, m.state);
    });
#endif
    applySettings(m_appSettings);

    StoreChange everyRow;
    everyRow.firstNewRow = 0;
    everyRow.newRows = m_store->count();
    updateCounts(everyRow);
    updateSourceErrors(0);
    updateEmptyState();
    startCollector();
}

MainWindow::~MainWindow() {
    // Stop delivering batches, then take the views (and the log panes with
    // their models) down while the store and models they read still exist.
    m_collector->stop();
    delete takeCentralWidget();
}

SourceSet MainWindow::sources() const {
    // The same sources as every keepwatch-cli command (SourceSet): the own
    // spool, through the history when there is one, the extra spools from
    // the settings, and the backup tools found in /proc.
    SourceSetConfig config = SourceSetConfig::fromSettings(m_appSettings);
    config.spoolDirectory = m_spoolDirectory;
    config.historyPath = m_historyPath;
    config.maxSeedLogLines = m_store->maxLogLines();
    return SourceSet(config);
}

void MainWindow::startCollector() {
    m_collector->start(sources().factory());
}

void MainWindow::buildUi() {
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);

    // Filter bar: what it asks for goes straight to the proxy.
    m_filterBar = new FilterBar(central);
    m_filterBar->setObjectName(QStringLiteral("filterBar"));
    connect(m_filterBar, &FilterBar::filterChanged, m_filterProxy.get(),
            &SessionFilterProxy::setFilter);
    connect(m_filterProxy.get(), &SessionFilterProxy::filterChanged, this,
            &MainWindow::updateFilterCount);
    layout->addWidget(m_filterBar);

    // Session table, or the first-start hint while there is nothing to show.
    // Columns, widths, sorting, copying IDs and the header menu are the
    // view's own (SessionTableView); the user's layout is restored later.
    m_table = new SessionTableView(central);
    m_table->setObjectName(QStringLiteral("sessionTable"));
    m_table->setAccessibleName(tr("Sessions"));
    m_table->setModel(m_decoration.get());
    connect(m_table, &QTableView::activated, this, &MainWindow::onActivated);
    connect(m_table, &SessionTableView::idsCopied, this, [this](int count) {
        statusBar()->showMessage(
            count == 1 ? tr("Session ID copied") : tr("%1 session IDs copied").arg(count), 5000);
    });

    // What to do while there is nothing to show, with a real sample backup.
    m_firstStart = new FirstStart(m_spoolDirectory, central);
    connect(m_firstStart, &FirstStart::newSessionRequested, this, [this] { showLaunchDialog(); });
    connect(m_firstStart, &FirstStart::sampleLaunched, this,
            [this](const QString &sessionId, qint64 pid) {
                statusBar()->showMessage(
                    tr("Sample backup started as session %1 (keepwatch-cli, pid %2)")
                        .arg(sessionId)
                        .arg(pid),
                    15000);
                openLogWhenAvailable(sessionId);
            });

    // The same sessions along time: same filter, sort and selection.
    m_timeline = new TimelineView(central);
    m_timeline->setModel(m_decoration.get());
    m_timeline->setSelectionModel(m_table->selectionModel());
    connect(m_timeline, &TimelineView::activated, this, &MainWindow::onActivated);
    m_views = new QTabWidget(central);
    m_views->setObjectName(QStringLiteral("sessionViews"));
    m_views->setDocumentMode(true);
    m_views->addTab(m_table, tr("Table"));
    m_views->addTab(m_timeline, tr("Timeline"));
#ifdef KEEPWATCH_WITH_SYSTEMD
    // systemd's backup timers: last success, next run, overdue.
    m_unitControl = new UnitControl(this);
    m_schedules = new SchedulesView(m_store.get(), m_unitControl, m_views);
    m_views->addTab(m_schedules, tr("Schedules"));
    connect(m_schedules, &SchedulesView::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 15000); });
#endif
    // Other hosts' agents, as `keepwatch-cli collect` mirrors them here.
    m_hosts = new HostsView(m_store.get(),
                            SourceSetConfig::fromSettings(m_appSettings).remoteDirectory, m_views);
    m_views->addTab(m_hosts, tr("Hosts"));
    connect(m_hosts, &HostsView::offlineSourcesChanged, m_model.get(),
            &SessionTableModel::setOfflineSources);
    // After the model has them: the details say the state as the table does.
    connect(m_hosts, &HostsView::offlineSourcesChanged, this, [this] {
        if (m_details)
            m_details->refresh();
    });
    // A host's agent now taking remote cancels, or no longer: said by the action.
    connect(m_hosts->model(), &QAbstractItemModel::modelReset, this,
            [this] { updateCancelAction(); });
    connect(m_hosts->model(), &QAbstractItemModel::dataChanged, this,
            [this] { updateCancelAction(); });
#ifdef KEEPWATCH_WITH_SYSTEMD
    connect(m_unitControl, &UnitControl::finished, this,
            [this](UnitControl::Action action, const QString &, bool, const QString &text) {
                if (action == UnitControl::Action::Cancel)
                    statusBar()->showMessage(text, 15000);
            });
#endif

    m_tableStack = new QStackedWidget(central);
    m_tableStack->addWidget(m_firstStart);
    m_tableStack->addWidget(m_views);

    // The current session's details beside the sessions.
    m_details = new SessionDetails(m_store.get(), central);
    m_details->setStateText(
        [model = m_model.get()](const Session &s) { return model->stateText(s); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (!current.isValid()) {
                    m_details->setSession(std::nullopt);
                    return;
                }
                m_details->setSession(
                    SessionKey{current.data(SessionTableModel::SourceRole).toString(),
                               current.data(SessionTableModel::SessionIdRole).toString()});
            });
    m_detailSplitter = new QSplitter(Qt::Horizontal, central);
    m_detailSplitter->setObjectName(QStringLiteral("detailSplitter"));
    m_detailSplitter->addWidget(m_tableStack);
    m_detailSplitter->addWidget(m_details);
    m_detailSplitter->setStretchFactor(0, 3);
    m_detailSplitter->setStretchFactor(1, 1);

    m_logTabs = new LogTabs(central);
    m_logTabs->setObjectName(QStringLiteral("logTabs"));
    m_logTabs->hide(); // until a log is opened
    connect(m_logTabs, &LogTabs::tabCountChanged, this, &MainWindow::onLogTabCountChanged);

    m_splitter = new QSplitter(Qt::Vertical, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_detailSplitter);
    m_splitter->addWidget(m_logTabs);
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);

    // Status bar.
    m_countsLabel = new QLabel(this);
    m_countsLabel->setObjectName(QStringLiteral("statusCounts"));
    statusBar()->addWidget(m_countsLabel);
    m_errorsButton = new QToolButton(this);
    m_errorsButton->setObjectName(QStringLiteral("sourceErrors"));
    m_errorsButton->setIcon(Icons::state(SessionState::Warning));
    m_errorsButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_errorsButton->setAutoRaise(true);
    // Clicking shows what the tooltip shows, for those who do not hover.
    connect(m_errorsButton, &QToolButton::clicked, this,
            [this] { QMessageBox::warning(this, tr("Source errors"), m_errorsButton->toolTip()); });
    statusBar()->addPermanentWidget(m_errorsButton);
    m_sourceNotice = new QLabel(this);
    m_sourceNotice->setObjectName(QStringLiteral("sourceNotice"));
    m_sourceNotice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sourceNotice->setTextFormat(Qt::PlainText); // it may quote a program's output
    m_sourceNotice->setVisible(false);
    statusBar()->addWidget(m_sourceNotice, 1);
    auto *spoolLabel =
        new QLabel(tr("Spool: %1").arg(QDir::toNativeSeparators(m_spoolDirectory)), this);
    spoolLabel->setObjectName(QStringLiteral("spoolPath"));
    spoolLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addPermanentWidget(spoolLabel);
    m_brokerLabel = new QLabel(this);
    m_brokerLabel->setObjectName(QStringLiteral("brokerState"));
    m_brokerLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_brokerLabel->setVisible(false);
    statusBar()->addPermanentWidget(m_brokerLabel);

    resize(1100, 720);
}

void MainWindow::buildActions() {
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    auto *find = new QAction(tr("&Filter Sessions"), this);
    find->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F));
    connect(find, &QAction::triggered, this, [this] { m_filterBar->focusText(); });

    // Enter or a double-click on a row does the same (QTableView::activated).
    auto *open = new QAction(tr("&Open Log of Current Session"), this);
    open->setObjectName(QStringLiteral("openLog"));
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    connect(open, &QAction::triggered, this, [this] { onActivated(m_table->currentIndex()); });

    m_searchLogsAction = new QAction(tr("&Search All Logs…"), this);
    m_searchLogsAction->setObjectName(QStringLiteral("searchLogs"));
    m_searchLogsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F));
    m_searchLogsAction->setEnabled(!m_historyPath.isEmpty());
    m_searchLogsAction->setStatusTip(
        m_historyPath.isEmpty()
            ? tr("Searching every log needs the history, which is off (Settings)")
            : tr("Search the log lines of every session the history holds"));
    connect(m_searchLogsAction, &QAction::triggered, this, [this] { showLogSearch(); });

    auto *closeLog = new QAction(tr("&Close Log"), this);
    closeLog->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    connect(closeLog, &QAction::triggered, m_logTabs, &LogTabs::closeCurrent);

    auto *about = new QAction(tr("&About Keepwatch"), this);
    about->setObjectName(QStringLiteral("about"));
    about->setShortcut(QKeySequence(Qt::Key_F1));
    about->setMenuRole(QAction::AboutRole);
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(
            this, tr("About Keepwatch"),
            tr("<h3>Keepwatch %1</h3>"
               "<p>A monitor for live backup and restore sessions: restic, borg, rsync and "
               "any command run through <code>keepwatch-cli run</code>.</p>"
               "<p>Built with Qt %2, running on Qt %3.</p>"
               "<p>Licensed under the MIT license.</p>"
               "<p><a href=\"https://github.com/keepwatch/keepwatch\">Project home</a> · "
               "<a href=\"https://github.com/keepwatch/keepwatch/issues\">Report a problem</a>"
               "</p>")
                .arg(QCoreApplication::applicationVersion().toHtmlEscaped(),
                     QStringLiteral(QT_VERSION_STR), QString::fromLatin1(qVersion())));
    });

    m_settingsAction = new QAction(tr("&Settings…"), this);
    m_settingsAction->setObjectName(QStringLiteral("settings"));
    m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_settingsAction->setMenuRole(QAction::PreferencesRole);
    m_settingsAction->setStatusTip(
        tr("Spool directories, poll interval, stall timeout, log size, notifications"));
    connect(m_settingsAction, &QAction::triggered, this, [this] { showSettingsDialog(); });

    // The selected sessions, or every session shown when none is selected.
    auto *exportReport = new QAction(tr("&Export Report…"), this);
    exportReport->setObjectName(QStringLiteral("exportReport"));
    exportReport->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportReport, &QAction::triggered, this, [this] {
        QModelIndexList indexes = m_table->selectionModel()->selectedRows();
        if (indexes.isEmpty())
            for (int r = 0; r < m_table->model()->rowCount(); ++r)
                indexes << m_table->model()->index(r, 0);
        QList<int> rows;
        for (const QModelIndex &i : indexes)
            rows << m_store->indexOf({i.data(SessionTableModel::SourceRole).toString(),
                                      i.data(SessionTableModel::SessionIdRole).toString()});
        const QString written = ReportExport::run(this, *m_store, rows);
        if (!written.isEmpty())
            statusBar()->showMessage(
                tr("Report saved to %1").arg(QDir::toNativeSeparators(written)), 10000);
    });

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(exportReport);
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(quit);
    buildSessionActions();
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(find);
    view->addAction(m_searchLogsAction);
    view->addAction(open);
    view->addAction(closeLog);
    view->addSeparator();
    // Table or timeline: the same sessions, filter and selection.
    auto *showTable = new QAction(tr("Show as &Table"), this);
    showTable->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    connect(showTable, &QAction::triggered, this, [this] {
        m_views->setCurrentWidget(m_table);
        m_table->setFocus();
    });
    auto *showTimeline = new QAction(tr("Show as Time&line"), this);
    showTimeline->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    connect(showTimeline, &QAction::triggered, this, [this] {
        m_views->setCurrentWidget(m_timeline);
        m_timeline->setFocus();
    });
    view->addAction(showTable);
    view->addAction(showTimeline);
    addActions({showTable, showTimeline});
    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(about);
    // Shortcuts work with the menu bar hidden or native, too.
    addActions(
        {quit, find, m_searchLogsAction, open, closeLog, exportReport, m_settingsAction, about});
}

void MainWindow::updateFilterCount() {
    m_filterBar->setCounts(m_filterProxy->rowCount(), m_model->rowCount());
}

void MainWindow::onStoreChanged(const StoreChange &change) {
    updateCounts(change);
    // The tool and host lists offer what the sessions have (a session's
    // tool may arrive after its first event, so changed rows count too).
    for (const int row : change.changedRows)
        m_filterBar->addValues(m_store->at(row).tool, m_store->at(row).host);
    for (int row = change.firstNewRow; row >= 0 && row < change.firstNewRow + change.newRows; ++row)
        m_filterBar->addValues(m_store->at(row).tool, m_store->at(row).host);
    int errors = 0;
    for (const SourceError &e : change.errors) {
        if (!e.notice) {
            ++errors;
            continue;
        }
        // Said once, where it stays in view: what this user cannot see,
        // one line per source and place (the system spool, VSS's writers,
        // its shadow copies), the newest word of each.
        m_sourceNotices.insert(e.source + QLatin1Char('\n') + e.location, e.message);
        m_sourceNotice->setText(QStringList(m_sourceNotices.values()).join(QLatin1Char('\n')));
        m_sourceNotice->setVisible(true);
    }
    if (errors > 0)
        updateSourceErrors(errors);
    if (change.newRows > 0)
        updateEmptyState();
    if (!change.changedRows.isEmpty())
        updateTabIcons();
    if (!m_pendingOpen.isEmpty() && change.newRows > 0)
        openPending();
    if (!change.changedRows.isEmpty() || change.newRows > 0)
        updateCancelAction();
}

void MainWindow::onActivated(const QModelIndex &index) {
    if (!index.isValid())
        return;
    openLog(SessionKey{index.data(SessionTableModel::SourceRole).toString(),
                       index.data(SessionTableModel::SessionIdRole).toString()});
}

QTabWidget *MainWindow::logTabs() const {
    return m_logTabs->primary();
}

LogPane *MainWindow::logPane(const SessionKey &key) const {
    return m_logTabs->pane(key);
}

LogPane *MainWindow::openLog(const SessionKey &key) {
    const int row = m_store->indexOf(key);
    if (row < 0)
        return nullptr;
    if (LogPane *pane = logPane(key)) {
        m_logTabs->activate(pane);
        return pane;
    }
    const Session &session = m_store->at(row);
    QString title = session.displayTitle();
    if (title.size() > kTitleChars)
        title = title.left(kTitleChars - 1) + QChar(0x2026);
    // Same-titled sessions (tonight's and last night's backup) differ by ID.
    const QString text = title == session.key.id
                             ? title
                             : tr("%1 · %2").arg(title, session.key.id.left(kShortIdChars));

    // A session of an earlier run: its lines come from the database, off
    // this thread; the pane fills when they arrive.
    if (m_historyLogs && m_store->needsHistoryLog(row))
        m_historyLogs->load(key, SessionStore::kMaxHistoryLogLines);
    auto *pane = new LogPane(m_store.get(), key, m_logTabs);
    m_logTabs->addPane(
        pane, m_decoration->stateIcon(session.state), text,
        tr("%1\nSession %2 (%3)").arg(session.displayTitle(), session.key.id, session.key.source));
    return pane;
}

LogSearchDialog *MainWindow::showLogSearch() {
    if (m_historyPath.isEmpty())
        return nullptr;
    if (!m_logSearch) {
        // The filter bar applies: the sessions it lets through now, at each
        // search; none when it lets every session through.
        auto scope = [this]() -> std::shared_ptr<const QSet<SessionKey>> {
            if (m_filterBar->filter().isEmpty())
                return nullptr;
            auto keys = std::make_shared<QSet<SessionKey>>();
            keys->reserve(m_filterProxy->rowCount());
            for (int r = 0; r < m_filterProxy->rowCount(); ++r)
                keys->insert(
                    m_store->at(m_filterProxy->mapToSource(m_filterProxy->index(r, 0)).row()).key);
            return keys;
        };
        m_logSearch = new LogSearchDialog(m_historyPath, std::move(scope), this);
        m_logSearch->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_logSearch, &LogSearchDialog::lineActivated, this,
                [this](const SearchHit &hit) { openLogAt(hit); });
    }
    m_logSearch->show();
    m_logSearch->raise();
    m_logSearch->activateWindow();
    m_logSearch->queryField()->setFocus(Qt::ShortcutFocusReason);
    m_logSearch->queryField()->selectAll();
    return m_logSearch;
}

LogPane *MainWindow::openLogAt(const SearchHit &hit) {
    LogPane *pane = openLog(hit.key);
    if (!pane) {
        statusBar()->showMessage(
            tr("Session %1 is no longer in the list (the history may have removed it).")
                .arg(hit.key.id),
            10000);
        return nullptr;
    }
    const QString match = hit.matches.isEmpty()
                              ? QString()
                              : hit.line.mid(hit.matches.first().first, hit.matches.first().second);
    pane->revealLine(hit.seq, hit.line, match);
    return pane;
}

void MainWindow::openLogWhenAvailable(const QString &sessionId) {
    m_pendingOpen = sessionId;
    openPending();
}

void MainWindow::openPending() {
    const QList<int> rows = m_store->rowsWithId(m_pendingOpen);
    if (rows.isEmpty())
        return;
    m_pendingOpen.clear();
    const SessionKey key = m_store->at(rows.first()).key;
    openLog(key);
    // Select it in the table too, so the two agree.
    const QModelIndex source = m_model->index(rows.first(), 0);
    const QModelIndex index = m_decoration->mapFromSource(m_filterProxy->mapFromSource(source));
    if (index.isValid()) {
        m_table->setCurrentIndex(index);
        m_table->scrollTo(index);
    }
}

void MainWindow::onLogTabCountChanged(int tabs) {
    // Detached logs are in windows of their own: with no tab left, the
    // table gets the whole height.
    if (tabs == 0) {
        m_logTabs->hide();
        m_table->setFocus();
    } else if (m_logTabs->isHidden()) {
        m_logTabs->show();
        const QList<int> sizes = m_splitter->sizes();
        const int total = sizes.value(0) + sizes.value(1);
        if (sizes.value(1) < total / 4)
            m_splitter->setSizes({total * 3 / 5, total - total * 3 / 5});
    }
}

void MainWindow::updateCounts(const StoreChange &change) {
    const auto tally = [this](int row) {
        const SessionState state = m_store->at(row).state;
        Tally now = Tally::Other;
        if (isActive(state))
            now = Tally::Active;
        // A producer that vanished failed the user as much as one that said so.
        else if (state == SessionState::Failed || state == SessionState::Interrupted)
            now = Tally::Failed;
        if (size_t(row) >= m_tallies.size()) {
            m_tallied[size_t(Tally::Other)] += row + 1 - int(m_tallies.size());
            m_tallies.resize(size_t(row) + 1, Tally::Other);
        }
        --m_tallied[size_t(m_tallies[size_t(row)])];
        ++m_tallied[size_t(now)];
        m_tallies[size_t(row)] = now;
    };
    for (const int row : change.changedRows)
        tally(row);
    for (int row = change.firstNewRow; row >= 0 && row < change.firstNewRow + change.newRows; ++row)
        tally(row);
    m_countsLabel->setText(tr("%1 running · %2 failed · %3 total")
                               .arg(m_tallied[size_t(Tally::Active)])
                               .arg(m_tallied[size_t(Tally::Failed)])
                               .arg(m_store->count()));
}

void MainWindow::updateSourceErrors(int newErrors) {
    m_sourceErrors += newErrors;
    m_errorsButton->setVisible(m_sourceErrors > 0);
    if (m_sourceErrors == 0)
        return;
    m_errorsButton->setText(m_sourceErrors == 1 ? tr("1 source error")
                                                : tr("%1 source errors").arg(m_sourceErrors));
    const QList<SourceError> &recent = m_store->recentErrors();
    QStringList lines;
    for (qsizetype i = qMax<qsizetype>(0, recent.size() - kRecentErrorsShown); i < recent.size();
         ++i) {
        if (!recent[i].notice)
            lines.append(recent[i].toString());
    }
    m_errorsButton->setToolTip(tr("Lines or files that could not be read (most recent last):\n%1")
                                   .arg(lines.join(QLatin1Char('\n'))));
}

void MainWindow::updateEmptyState() {
    m_tableStack->setCurrentWidget(m_store->count() == 0 ? static_cast<QWidget *>(m_firstStart)
                                                         : m_views);
}

void MainWindow::updateTabIcons() {
    const QList<LogPane *> panes = m_logTabs->panes();
    for (LogPane *pane : panes) {
        const int row = m_store->indexOf(pane->sessionKey());
        if (row >= 0)
            m_logTabs->setPaneIcon(pane, m_decoration->stateIcon(m_store->at(row).state));
    }
}

void MainWindow::closeEvent(QCloseEvent *event) {
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event) {
    if (event->type() == QEvent::PaletteChange)
        m_decoration->setPalette(palette());
    QMainWindow::changeEvent(event);
}

void MainWindow::restoreSettings() {
    QSettings s = settings();
    restoreGeometry(s.value(key::geometry).toByteArray());
    restoreState(s.value(key::state).toByteArray());
    m_splitter->restoreState(s.value(key::splitter).toByteArray());
    m_detailSplitter->restoreState(s.value(key::detailSplitter).toByteArray());
    m_views->setCurrentIndex(s.value(key::sessionView, 0).toInt());
    m_table->restoreLayout(s.value(key::header).toByteArray());
    m_filterBar->restoreSettings(s);
}

void MainWindow::saveSettings() const {
    QSettings s = settings();
    s.setValue(key::geometry, saveGeometry());
    s.setValue(key::state, saveState());
    // With no log open the splitter's second part is hidden (size 0): keep
    // the sizes the user chose last time it showed.
    if (m_logTabs->isVisible())
        s.setValue(key::splitter, m_splitter->saveState());
    s.setValue(key::header, m_table->saveLayout());
    s.setValue(key::detailSplitter, m_detailSplitter->saveState());
    s.setValue(key::sessionView, m_views->currentIndex());
    m_filterBar->saveSettings(s);
}

void MainWindow::buildSessionActions() {
    m_canceller = new SessionCanceller(this);
    connect(m_canceller, &SessionCanceller::finished, this,
            [this](const QString &, bool, const QString &message) {
                statusBar()->showMessage(message, 15000);
            });

    m_newSessionAction =
        new QAction(Icons::state(SessionState::Running), tr("&New Session…"), this);
    m_newSessionAction->setObjectName(QStringLiteral("newSession"));
    m_newSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_N));
    m_newSessionAction->setStatusTip(tr("Launch a backup or restore from a saved profile"));
    connect(m_newSessionAction, &QAction::triggered, this, [this] { showLaunchDialog(); });

    m_cancelSessionAction =
        new QAction(Icons::state(SessionState::Cancelled), tr("&Cancel Session…"), this);
    m_cancelSessionAction->setObjectName(QStringLiteral("cancelSession"));
    m_cancelSessionAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_K));
    m_cancelSessionAction->setStatusTip(
        tr("Ask the selected running session to stop (keepwatch-cli cancel)"));
    connect(m_cancelSessionAction, &QAction::triggered, this, &MainWindow::confirmCancel);

    m_runBaculaJobAction = new QAction(tr("Run &Bacula Job…"), this);
    m_runBaculaJobAction->setObjectName(QStringLiteral("runBaculaJob"));
    m_runBaculaJobAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B));
    connect(m_runBaculaJobAction, &QAction::triggered, this, [this] { showBaculaRunDialog(); });

    QMenu *session = menuBar()->addMenu(tr("&Session"));
    session->addAction(m_newSessionAction);
    session->addAction(m_cancelSessionAction);
    session->addSeparator();
    session->addAction(m_runBaculaJobAction);
    addActions({m_newSessionAction, m_cancelSessionAction, m_runBaculaJobAction});

    // The same actions on a right click in the table (which selects the row first).
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addActions({m_cancelSessionAction, separator, m_newSessionAction});

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateCancelAction);
    updateCancelAction();
}

void MainWindow::setCliProgram(const QString &program) {
    m_cliProgram = program;
    m_firstStart->setCliProgram(program);
    if (m_launchDialog)
        m_launchDialog->setCliProgram(program);
}

LaunchDialog *MainWindow::showLaunchDialog() {
    if (!m_launchDialog) {
        m_launchDialog = new LaunchDialog(this);
        m_launchDialog->setAttribute(Qt::WA_DeleteOnClose);
        m_launchDialog->setCliProgram(m_cliProgram);
        // Sessions launched here land in the spool this window watches.
        m_launchDialog->setSpoolDirectory(m_spoolDirectory);
        connect(m_launchDialog, &LaunchDialog::launched, this,
                [this](const QString &sessionId, qint64 pid) {
                    statusBar()->showMessage(
                        tr("Session %1 started (keepwatch-cli, pid %2)").arg(sessionId).arg(pid),
                        15000);
                    openLogWhenAvailable(sessionId);
                });
    }
    m_launchDialog->show();
    m_launchDialog->raise();
    m_launchDialog->activateWindow();
    return m_launchDialog;
}

std::optional<SessionKey> MainWindow::cancellableSession() const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.size() != 1)
        return std::nullopt;
    const SessionKey key{rows.first().data(SessionTableModel::SourceRole).toString(),
                         rows.first().data(SessionTableModel::SessionIdRole).toString()};
    const int row = m_store->indexOf(key);
    if (row < 0 || !isActive(m_store->at(row).state))
        return std::nullopt;
    // Only the spools' sessions have a wrapper that `cancel` can signal.
    // Another user's session of any source gets the action too: it says
    // why this user cannot, and what works instead.
    // A systemd unit's run is cancelled through its manager.
    if (Session::isUnitRunSource(key.source))
        return m_store->at(row).unit.isEmpty() ? std::nullopt : std::optional(key);
    // A Bacula job: its director cancels it.
    if (key.source.startsWith(QLatin1String("bacula:")))
        return baculaDirector(key.source) ? std::optional(key) : std::nullopt;
    // Another host's: its agent is asked through the broker, or the action
    // says why it cannot be.
    if (!RemoteSpools::hostOfIdentity(key.source).isEmpty())
        return key;
    if (!SpoolLocation::isSpoolIdentity(key.source)
        && WrapperCancel::ownerRefusal(m_store->at(row)).isEmpty())
        return std::nullopt;
    return key;
}

void MainWindow::updateCancelAction() {
    const std::optional<SessionKey> key = cancellableSession();
    m_cancelSessionAction->setEnabled(key.has_value());
    QString tip = tr("Ask the selected running session to stop (keepwatch-cli cancel)");
    if (const QString host = key ? RemoteSpools::hostOfIdentity(key->source) : QString();
        !host.isEmpty()) {
        // Whether this desktop may command the host: asked once per
        // connection, with a message nobody receives, before anybody presses.
        if (m_fleet && m_fleet->isConnected() && !m_probedHosts.contains(host)) {
            m_probedHosts.insert(host);
            m_fleet->probe(host);
        }
        const QString why = remoteCancelRefusal(m_store->at(m_store->indexOf(*key)));
        tip = why.isEmpty() ? tr("Ask the session's host to stop it, through the broker")
                            : tr("Cannot cancel: %1").arg(why);
    } else if (const auto director = key ? baculaDirector(key->source) : std::nullopt) {
        tip = tr("Ask director %1 to cancel this job").arg(director->name);
    }
    m_cancelSessionAction->setToolTip(tip);
    m_cancelSessionAction->setStatusTip(tip);
}

QString MainWindow::remoteCancelRefusal(const Session &session) const {
    const QString host = RemoteSpools::hostOfIdentity(session.key.source);
    if (!m_fleet)
        return tr("%1 runs on %2: set a broker in Settings (Many hosts) to cancel it through "
                  "its agent")
            .arg(session.displayTitle(), host);
    if (!m_fleet->isConnected())
        return m_fleet->stateText();
    const HostPresence *presence = m_hosts->model()->presenceOf(host);
    if (presence && !presence->online)
        return tr("host %1 is offline: its agent cannot be asked").arg(host);
    if (presence && !presence->remoteCancel)
        return tr("the agent of %1 does not take remote cancels (start it with "
                  "--allow-remote-cancel)")
            .arg(host);
    if (QString refusal = m_commandRefusals.value(host); !refusal.isEmpty())
        return refusal;
    return {};
}

void MainWindow::applyBroker(const AppSettings::Broker &broker) {
    if (m_brokerApplied && *m_brokerApplied == broker)
        return;
    m_brokerApplied = broker;
    m_fleet.reset();
    m_commandRefusals.clear();
    m_brokerLabel->setVisible(!broker.url.isEmpty());
    if (broker.url.isEmpty()) {
        updateCancelAction();
        return;
    }
    if (!broker.passwordInKeyring) {
        connectBroker(broker, {});
        return;
    }
    // The keyring answers through secret-tool, off this thread's time.
    m_brokerLabel->setText(tr("Broker %1: reading the password from the keyring…").arg(broker.url));
    auto *keyring = new SecretToolKeyring(this);
    connect(keyring, &SecretToolKeyring::lookedUp, this,
            [this, keyring, broker](bool ok, const QByteArray &password, const QString &message) {
                keyring->deleteLater();
                if (!m_brokerApplied || !(*m_brokerApplied == broker))
                    return; // the settings changed meanwhile
                if (!ok) {
                    m_brokerLabel->setText(tr("Broker: %1").arg(message));
                    updateCancelAction();
                    return;
                }
                connectBroker(broker, password);
            });
    if (!keyring->lookup(SecretToolKeyring::brokerAttribute(broker.url, broker.username))) {
        keyring->deleteLater();
        m_brokerLabel->setText(tr("Broker: the password is in the keyring, but secret-tool is "
                                  "missing (package %1)")
                                   .arg(SecretToolKeyring::package()));
        updateCancelAction();
    }
}

void MainWindow::connectBroker(const AppSettings::Broker &broker, const QByteArray &password) {
    QString error;
    QString warning;
    const std::optional<MqttClient::Options> options =
        FleetLink::clientOptions({broker.url, broker.username, broker.passwordFile, password,
                                  broker.caFile, broker.certFile, broker.keyFile},
                                 &error, &warning);
    if (!options) {
        m_brokerLabel->setText(tr("Broker: %1").arg(error));
        updateCancelAction();
        return;
    }
    if (!warning.isEmpty())
        statusBar()->showMessage(warning, 15000);
    m_fleet = std::make_unique<FleetLink>(
        *options, SourceSetConfig::fromSettings(m_appSettings).remoteDirectory);
    connect(m_fleet.get(), &FleetLink::stateChanged, this, [this] {
        m_brokerLabel->setText(m_fleet->stateText());
        // The broker is asked again on each connection (its ACL may have changed).
        m_commandRefusals.clear();
        m_probedHosts.clear();
        updateCancelAction();
    });
    connect(m_fleet.get(), &FleetLink::commandAccess, this,
            [this](const QString &host, const QString &refusal) {
                m_commandRefusals.insert(host, refusal);
                updateCancelAction();
            });
    connect(m_fleet.get(), &FleetLink::problem, this,
            [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    connect(m_fleet.get(), &FleetLink::cancelFinished, this,
            [this](const QString &host, const QString &sessionId, bool accepted,
                   const QString &message) {
                statusBar()->showMessage(message, 15000);
                if (accepted)
                    return;
                const int row = m_store->indexOf({RemoteSpools::identityFor(host), sessionId});
                if (row >= 0)
                    explainCannotCancel(m_store->at(row), message);
            });
    m_fleet->start();
    m_brokerLabel->setText(m_fleet->stateText());
    updateCancelAction();
}

void MainWindow::confirmCancel() {
    const std::optional<SessionKey> key = cancellableSession();
    if (!key)
        return;
    const Session &session = m_store->at(m_store->indexOf(*key));
    const std::optional<BaculaSourceOptions> director = baculaDirector(key->source);
    const bool remote = !RemoteSpools::hostOfIdentity(key->source).isEmpty();
    if (const QString why = director ? QString()
                            : remote ? remoteCancelRefusal(session)
                                     : WrapperCancel::ownerRefusal(session);
        !why.isEmpty()) {
        explainCannotCancel(session, why);
        return;
    }
    // Not exec(): the window keeps updating while the question is open.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Cancel Session"),
                                tr("Cancel the session “%1”?").arg(session.displayTitle()),
                                QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(QStringLiteral("cancelConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(
        director ? tr("Bacula job %1 on client %2. Director %3 is asked to cancel it "
                      "(cancel jobid=… yes).")
                       .arg(key->id, session.host, director->name)
                 : tr("Session %1 (%2). The tool is asked to stop cleanly first, then "
                      "terminated if it does not.")
                       .arg(key->id, session.tool));
    box->button(QMessageBox::Yes)->setText(tr("Cancel Session"));
    box->button(QMessageBox::No)->setText(tr("Keep Running"));
    box->setDefaultButton(QMessageBox::No);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, key = *key](auto *button) {
        if (box->standardButton(button) != QMessageBox::Yes)
            return;
        // Looked up again: the store may have changed while the box was open.
        const int row = m_store->indexOf(key);
        if (row < 0)
            return;
        statusBar()->showMessage(tr("Cancelling session %1…").arg(key.id));
        // Looked up again too: the settings may have changed the directors.
        if (BaculaJobControl *bacula = baculaControl(key.source)) {
            statusBar()->showMessage(
                tr("Asking director %1 to cancel %2…").arg(bacula->director().name, key.id));
            bacula->cancel(key.id);
            return;
        }
        if (const QString host = RemoteSpools::hostOfIdentity(key.source); !host.isEmpty()) {
            statusBar()->showMessage(tr("Asking %1 to cancel session %2…").arg(host, key.id));
            m_fleet->cancel(host, key.id, RemoteCancel::kDefaultExpirySeconds);
            return;
        }
#ifdef KEEPWATCH_WITH_SYSTEMD
        if (Session::isUnitRunSource(key.source)) {
            // SIGINT first (restic and borg remove their locks), then the
            // unit is stopped; polkit may ask for a password.
            const Session &run = m_store->at(row);
            m_unitControl->cancel(key.source, run.unit, run.id());
            return;
        }
#endif
        // The session's own file: whoever owns it is whom the wrapper must run as.
        const QString file =
            SpoolLocation::fileForSession(sources().spoolDirectoryOf(key.source), key.id);
        m_canceller->cancel(WrapperCancel::target(*m_store, row, file));
    });
    box->open();
}

std::optional<BaculaSourceOptions> MainWindow::baculaDirector(const QString &source) const {
    for (const BaculaSourceOptions &director :
         SourceSetConfig::fromSettings(m_appSettings).baculaDirectors) {
        if (source == QStringLiteral("bacula:") + director.name)
            return director;
    }
    return std::nullopt;
}

BaculaJobControl *MainWindow::baculaControl(const QString &source) {
    if (const auto found = m_baculaControls.find(source); found != m_baculaControls.end())
        return found->second;
    if (const std::optional<BaculaSourceOptions> director = baculaDirector(source)) {
        auto *control = new BaculaJobControl(*director, BconsoleQueue::Mode::Asynchronous, this);
        connect(control, &BaculaJobControl::cancelFinished, this,
                [this, source](const QString &job, bool ok, qint64, const QString &message) {
                    statusBar()->showMessage(message, 15000);
                    if (ok)
                        return;
                    if (const int row = m_store->indexOf({source, job}); row >= 0)
                        explainCannotCancel(m_store->at(row), message);
                });
        m_baculaControls[source] = control;
        return control;
    }
    return nullptr;
}

QList<BaculaJobControl *> MainWindow::baculaControls() {
    QList<BaculaJobControl *> controls;
    for (const AppSettings::BaculaDirector &director : m_appSettings.baculaDirectors) {
        if (BaculaJobControl *control = baculaControl(QStringLiteral("bacula:") + director.name))
            controls << control;
    }
    return controls;
}

BaculaRunDialog *MainWindow::showBaculaRunDialog() {
    if (!m_baculaRunDialog) {
        m_baculaRunDialog = new BaculaRunDialog(baculaControls(), this);
        m_baculaRunDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_baculaRunDialog, &BaculaRunDialog::started, this,
                [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    }
    m_baculaRunDialog->show();
    m_baculaRunDialog->raise();
    m_baculaRunDialog->activateWindow();
    return m_baculaRunDialog;
}

void MainWindow::explainCannotCancel(const Session &session, const QString &why) {
    auto *box = new QMessageBox(QMessageBox::Information, tr("Cancel Session"),
                                tr("You cannot cancel “%1”.").arg(session.displayTitle()),
                                QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("cancelRefused"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QString text = why;
    text[0] = text[0].toUpper();
    box->setInformativeText(text + QLatin1Char('.'));
    // The command in it is meant to be copied into a terminal.
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

void MainWindow::applySettings(const AppSettings &settings) {
    if (settings.baculaDirectors != m_appSettings.baculaDirectors) {
        // Made again from the new settings when next needed. (A bconsole
        // still running for one is killed with it.)
        delete m_baculaRunDialog;
        for (auto &[source, control] : m_baculaControls)
            control->deleteLater();
        m_baculaControls.clear();
    }
    m_appSettings = settings;
    if (m_runBaculaJobAction) {
        m_runBaculaJobAction->setEnabled(!settings.baculaDirectors.isEmpty());
        m_runBaculaJobAction->setStatusTip(
            settings.baculaDirectors.isEmpty()
                ? tr("Run a Bacula job: add its director in Settings first")
                : tr("Run one of a Bacula director's jobs now"));
    }
    m_store->setStallTimeoutMs(settings.effectiveStallTimeoutMs());
    m_store->setMaxLogLines(settings.maxLogLinesPerSession);
    m_notifier->setRules(settings);
    m_trayIcon->setWanted(settings.trayIcon);
#ifdef KEEPWATCH_WITH_SYSTEMD
    m_schedules->setRules(settings.systemdUnits, qint64(settings.overdueGraceMinutes) * 60 * 1000);
#endif
    applyBroker(settings.broker);
}

SettingsDialog *MainWindow::showSettingsDialog() {
    if (!m_settingsDialog) {
        m_settingsDialog = new SettingsDialog(m_appSettings, this);
        m_settingsDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_settingsDialog, &QDialog::accepted, this, [this] {
            const AppSettings previous = m_appSettings;
            const AppSettings next = m_settingsDialog->settings();
            applySettings(next);
            if (next.pollIntervalMs != previous.pollIntervalMs
                || next.spoolDirectories != previous.spoolDirectories
                || next.baculaDirectors != previous.baculaDirectors
                || next.baculaFinishedDays != previous.baculaFinishedDays)
                statusBar()->showMessage(tr("Settings saved. The spool directories, the Bacula "
                                            "directors and the poll interval take effect at the "
                                            "next start."),
                                         15000);
            else
                statusBar()->showMessage(tr("Settings saved."), 5000);
        });
    }
    // Not exec(): the window keeps updating while the dialog is open.
    m_settingsDialog->show();
    m_settingsDialog->raise();
    m_settingsDialog->activateWindow();
    return m_settingsDialog;
}

} // namespace kw
