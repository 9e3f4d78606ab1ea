// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "hostsview.h"

#include "fleet/remotespools.h"
#include "store/sessionstore.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace kw {

HostsView::HostsView(const SessionStore *store, QString remoteRoot, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_root(std::move(remoteRoot))
    , m_model(new HostModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this)) {
    setObjectName(QStringLiteral("hostsView"));
    m_table->setObjectName(QStringLiteral("hostsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    // "offline since 2026-12-03 07:31", whole: the point of the view.
    m_table->horizontalHeader()->setSectionResizeMode(HostModel::Status,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(HostModel::LastSeen,
                                                      QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(HostModel::Running,
                                                      QHeaderView::ResizeToContents);
    m_summary->setObjectName(QStringLiteral("hostsSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText); // file names and errors from other hosts
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_summary);

    connect(m_model, &HostModel::wentOfflineWhileRunning, this, &HostsView::hostWentOffline);
    connect(m_store, &SessionStore::changed, this, [this] {
        if (!m_last.presences.isEmpty() && !m_evaluate.isActive())
            m_evaluate.start();
    });
    m_evaluate.setSingleShot(true);
    m_evaluate.setInterval(500);
    connect(&m_evaluate, &QTimer::timeout, this, &HostsView::evaluate);
    connect(&m_reading, &QFutureWatcher<Reading>::finished, this, [this] {
        m_last = m_reading.result();
        evaluate();
    });
    m_refresh.setInterval(kDefaultRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &HostsView::refresh);
    m_refresh.start();
    refresh();
}

HostsView::~HostsView() {
    m_reading.waitForFinished();
}

void HostsView::refresh() {
    if (m_reading.isRunning())
        return; // the next tick reads again
    // Files of other hosts' mirrors, maybe on a slow disk: not on the GUI thread.
    m_reading.setFuture(QtConcurrent::run([root = m_root] {
        Reading r;
        r.presences = HostPresenceFile::readAll(root, &r.problems);
        return r;
    }));
}

void HostsView::evaluate() {
    m_model->setRows(HostRow::count(m_last.presences, *m_store));
    QHash<QString, qint64> offline;
    for (const HostPresence &p : std::as_const(m_last.presences)) {
        if (!p.online && p.sinceMs > 0)
            offline.insert(RemoteSpools::identityFor(p.host), p.sinceMs);
    }
    emit offlineSourcesChanged(offline);
    const int hosts = m_model->rowCount();
    QString text =
        hosts == 0
            ? tr("No other hosts: `keepwatch-cli collect` mirrors them here (docs/fleet.md).")
            : tr("%n host(s), ", nullptr, hosts) + tr("%n online", nullptr, m_model->onlineCount());
    if (!m_last.problems.isEmpty())
        text += QLatin1Char('\n') + m_last.problems.join(QLatin1Char('\n'));
    m_summary->setText(text);
}

} // namespace kw
