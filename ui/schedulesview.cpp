// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "schedulesview.h"

#include "protocol/timestamp.h"
#include "store/sessionstore.h"
#include "systemd/unitcontrol.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace kw {

SchedulesView::SchedulesView(const SessionStore *store, UnitControl *control, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_control(control)
    , m_model(new ScheduleModel(this))
    , m_table(new QTableView(this))
    , m_runNow(new QPushButton(tr("&Run now"), this))
    , m_stop(new QPushButton(tr("S&top"), this))
    , m_summary(new QLabel(this)) {
    setObjectName(QStringLiteral("schedulesView"));
    m_table->setObjectName(QStringLiteral("schedulesTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_runNow->setObjectName(QStringLiteral("scheduleRunNow"));
    m_runNow->setToolTip(tr("Start the selected timer's backup service now"));
    m_stop->setObjectName(QStringLiteral("scheduleStop"));
    m_stop->setToolTip(tr("Stop the selected timer's backup service"));
    m_summary->setObjectName(QStringLiteral("schedulesSummary"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_runNow);
    buttons->addWidget(m_stop);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);

    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SchedulesView::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &SchedulesView::updateButtons);
    connect(m_runNow, &QPushButton::clicked, this, [this] {
        QString bus;
        if (const QString service = selectedService(&bus); !service.isEmpty()) {
            emit message(tr("Starting %1…").arg(service));
            m_control->start(bus, service);
        }
    });
    connect(m_stop, &QPushButton::clicked, this, [this] {
        QString bus;
        if (const QString service = selectedService(&bus); !service.isEmpty()) {
            emit message(tr("Stopping %1…").arg(service));
            m_control->stop(bus, service);
        }
    });
    connect(m_control, &UnitControl::finished, this,
            [this](UnitControl::Action, const QString &, bool, const QString &text) {
                emit message(text);
                refresh();
            });

    m_refresh.setInterval(kDefaultRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &SchedulesView::refresh);
    m_refresh.start();
    m_evaluate.setSingleShot(true);
    m_evaluate.setInterval(500);
    connect(&m_evaluate, &QTimer::timeout, this, &SchedulesView::evaluate);
    connect(m_store, &SessionStore::changed, this, [this] {
        if (!m_timers.isEmpty() && !m_evaluate.isActive())
            m_evaluate.start();
    });
    connect(&m_reading, &QFutureWatcher<QList<TimerSchedule>>::finished, this, [this] {
        m_timers = m_reading.result();
        evaluate();
        if (m_readAgain) {
            m_readAgain = false;
            refresh();
        }
    });
    updateButtons();
    refresh();
}

SchedulesView::~SchedulesView() {
    m_reading.waitForFinished();
}

void SchedulesView::setRules(const QStringList &units, qint64 graceMs) {
    const bool unitsChanged = units != m_units;
    m_units = units;
    m_graceMs = graceMs;
    if (unitsChanged)
        refresh();
    else
        evaluate();
}

void SchedulesView::refresh() {
    if (m_reading.isRunning()) {
        m_readAgain = true;
        return;
    }
    // D-Bus calls and systemd-analyze: not on the GUI thread.
    m_reading.setFuture(
        QtConcurrent::run([units = m_units] { return TimerSchedule::readAll(units); }));
}

void SchedulesView::evaluate() {
    QList<ScheduleStatus> statuses;
    const qint64 now = Timestamp::nowMs();
    for (const TimerSchedule &timer : std::as_const(m_timers))
        statuses << ScheduleStatus::evaluate(timer, *m_store, now, m_graceMs);
    m_model->setStatuses(statuses);
    const int overdue = m_model->overdueCount();
    m_summary->setText(
        statuses.isEmpty() ? tr("No backup timers found (systemd's system and user managers).")
        : overdue > 0      ? tr("%n backup(s) overdue", nullptr, overdue)
                           : tr("%n backup timer(s), none overdue", nullptr, int(statuses.size())));
    updateButtons();
}

QString SchedulesView::selectedService(QString *bus) const {
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    *bus = rows.first().data(ScheduleModel::BusRole).toString();
    return rows.first().data(ScheduleModel::ServiceRole).toString();
}

void SchedulesView::updateButtons() {
    QString bus;
    const bool selected = !selectedService(&bus).isEmpty();
    m_runNow->setEnabled(selected);
    m_stop->setEnabled(selected);
}

} // namespace kw
