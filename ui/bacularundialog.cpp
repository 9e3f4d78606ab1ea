// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "bacularundialog.h"

#include "bacula/baculajobcontrol.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

namespace kw {

BaculaRunDialog::BaculaRunDialog(const QList<BaculaJobControl *> &controls, QWidget *parent)
    : QDialog(parent)
    , m_controls(controls) {
    setObjectName(QStringLiteral("baculaRunDialog"));
    setWindowTitle(tr("Run Bacula Job"));
    m_director = new QComboBox(this);
    m_director->setObjectName(QStringLiteral("baculaDirector"));
    for (const BaculaJobControl *c : std::as_const(m_controls))
        m_director->addItem(c->director().name);
    m_jobs = new QListWidget(this);
    m_jobs->setObjectName(QStringLiteral("baculaJobs"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("baculaRunStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText); // the director's words are untrusted
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *run = m_buttons->addButton(tr("&Run…"), QDialogButtonBox::AcceptRole);
    run->setObjectName(QStringLiteral("runBaculaJob"));
    run->setEnabled(false);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &BaculaRunDialog::confirmRun);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_jobs, &QListWidget::currentRowChanged, run,
            [run](int row) { run->setEnabled(row >= 0); });
    connect(m_jobs, &QListWidget::itemActivated, this, &BaculaRunDialog::confirmRun);
    connect(m_director, &QComboBox::currentIndexChanged, this, &BaculaRunDialog::listJobs);
    for (BaculaJobControl *c : std::as_const(m_controls)) {
        const QString director = c->director().name;
        connect(c, &BaculaJobControl::jobsListed, this,
                [this, c, director](const QStringList &names, const QString &error) {
                    if (c != control())
                        return; // another director's answer, chosen before
                    m_jobs->clear();
                    m_jobs->addItems(names);
                    m_status->setText(!error.isEmpty() ? error
                                      : names.isEmpty()
                                          ? tr("Director %1 has no jobs to run.").arg(director)
                                          : QString());
                    if (!names.isEmpty())
                        m_jobs->setCurrentRow(0);
                });
        connect(c, &BaculaJobControl::runFinished, this,
                [this](const QString &, bool ok, qint64, const QString &message) {
                    m_buttons->setEnabled(true);
                    if (!ok) {
                        m_status->setText(message);
                        return;
                    }
                    emit started(message);
                    accept();
                });
    }

    auto *form = new QFormLayout;
    form->addRow(tr("&Director:"), m_director);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_jobs);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);
    listJobs();
}

BaculaRunDialog::~BaculaRunDialog() = default;

QString BaculaRunDialog::statusText() const {
    return m_status->text();
}

BaculaJobControl *BaculaRunDialog::control() const {
    const int index = m_director->currentIndex();
    return index >= 0 && index < m_controls.size() ? m_controls[index] : nullptr;
}

void BaculaRunDialog::listJobs() {
    m_jobs->clear();
    BaculaJobControl *c = control();
    if (!c) {
        m_status->setText(tr("No Bacula director is set: add one in Settings."));
        return;
    }
    m_status->setText(tr("Reading the jobs of director %1…").arg(c->director().name));
    c->listJobs();
}

void BaculaRunDialog::confirmRun() {
    BaculaJobControl *c = control();
    const QListWidgetItem *item = m_jobs->currentItem();
    if (!c || !item)
        return;
    const QString job = item->text();
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Run Bacula Job"),
                        tr("Run the job “%1” on director %2 now?").arg(job, c->director().name),
                        QMessageBox::Yes | QMessageBox::No, this);
    box->setObjectName(QStringLiteral("runConfirmation"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(
        tr("The director queues it with the job's own level, client and schedule defaults."));
    box->button(QMessageBox::Yes)->setText(tr("Run Job"));
    box->setDefaultButton(QMessageBox::No);
    connect(box, &QMessageBox::buttonClicked, this, [this, box, c, job](auto *button) {
        if (box->standardButton(button) != QMessageBox::Yes)
            return;
        m_buttons->setEnabled(false);
        m_status->setText(tr("Asking director %1 to run %2…").arg(c->director().name, job));
        c->run(job);
    });
    box->open();
}

} // namespace kw
