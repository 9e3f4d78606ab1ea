// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "logsearchdialog.h"

#include "history/historysearchrunner.h"
#include "loglinedelegate.h"
#include "models/searchhitmodel.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace kw {

LogSearchDialog::LogSearchDialog(const QString &historyPath, Scope scope, QWidget *parent)
    : QDialog(parent)
    , m_scope(std::move(scope))
    , m_query(new QLineEdit(this))
    , m_search(new QPushButton(tr("&Search"), this))
    , m_stop(new QPushButton(tr("S&top"), this))
    , m_scopeLabel(new QLabel(this))
    , m_results(new QTableView(this))
    , m_status(new QLabel(this))
    , m_model(new SearchHitModel(this))
    , m_runner(new HistorySearchRunner(historyPath, this)) {
    setObjectName(QStringLiteral("logSearchDialog"));
    setWindowTitle(tr("Search All Logs"));

    m_query->setObjectName(QStringLiteral("logSearchQuery"));
    m_query->setPlaceholderText(tr("Words, \"a phrase\", a prefix*, /a/path"));
    m_query->setAccessibleName(tr("Search all logs for"));
    m_query->setClearButtonEnabled(true);
    m_query->setToolTip(
        tr("Every word must appear in the line. \"no space left\" finds the words in "
           "that order; IMG_22* finds words that start so; /srv/data/photos finds the "
           "path and lines that name its parts in that order."));
    // Enter in the field searches; in the list it opens the line. No button
    // is the dialog's default, or Enter in the list would search again.
    m_search->setAutoDefault(false);
    m_stop->setAutoDefault(false);
    m_search->setObjectName(QStringLiteral("logSearchStart"));
    m_stop->setObjectName(QStringLiteral("logSearchStop"));
    m_stop->setEnabled(false);
    connect(m_query, &QLineEdit::returnPressed, this, &LogSearchDialog::search);
    connect(m_search, &QPushButton::clicked, this, &LogSearchDialog::search);
    connect(m_stop, &QPushButton::clicked, this, &LogSearchDialog::stop);

    auto *row = new QHBoxLayout;
    row->addWidget(m_query, 1);
    row->addWidget(m_search);
    row->addWidget(m_stop);

    m_scopeLabel->setObjectName(QStringLiteral("logSearchScope"));
    m_scopeLabel->setWordWrap(true);
    m_scopeLabel->hide();

    m_results->setObjectName(QStringLiteral("logSearchResults"));
    m_results->setAccessibleName(tr("Lines found"));
    m_results->setModel(m_model);
    m_results->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_results->setItemDelegateForColumn(
        SearchHitModel::Line, new LogLineDelegate(LogLineDelegate::Parts::LevelMessage, m_results));
    m_results->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_results->setSelectionMode(QAbstractItemView::SingleSelection);
    m_results->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_results->setWordWrap(false);
    m_results->verticalHeader()->hide();
    m_results->horizontalHeader()->setStretchLastSection(true);
    m_results->horizontalHeader()->setSectionResizeMode(SearchHitModel::Time,
                                                        QHeaderView::ResizeToContents);
    m_results->setColumnWidth(SearchHitModel::Session, 200);
    m_results->setColumnWidth(SearchHitModel::Host, 100);
    connect(m_results, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (index.isValid())
            emit lineActivated(m_model->hit(index.row()));
    });

    m_status->setObjectName(QStringLiteral("logSearchStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_scopeLabel);
    layout->addWidget(m_results, 1);
    layout->addWidget(m_status);

    connect(m_runner, &HistorySearchRunner::hitsFound, this, [this](const QList<SearchHit> &hits) {
        const bool first = m_model->rowCount() == 0;
        m_model->add(hits);
        if (first)
            m_results->selectRow(0);
        setStatus(tr("Searching… %1 lines so far").arg(QLocale().toString(m_model->rowCount())),
                  false);
    });
    connect(m_runner, &HistorySearchRunner::finished, this, &LogSearchDialog::onFinished);
    resize(900, 520);
}

LogSearchDialog::~LogSearchDialog() = default;

QString LogSearchDialog::statusText() const {
    return m_status->text();
}

QString LogSearchDialog::scopeText() const {
    return m_scopeLabel->isHidden() ? QString() : m_scopeLabel->text();
}

void LogSearchDialog::search() {
    m_runner->stop();
    m_model->clear();
    QString error;
    if (!HistorySearch::ftsQuery(m_query->text(), &error)) {
        setStatus(tr("Cannot search: %1.").arg(error), true);
        return;
    }
    SearchQuery query;
    query.text = m_query->text();
    query.limit = kMaxHits;
    query.sessions = m_scope ? m_scope() : nullptr;
    if (query.sessions) {
        const qsizetype count = query.sessions->size();
        m_scopeLabel->setText(count == 1
                                  ? tr("Only the lines of the 1 session the filter bar shows.")
                                  : tr("Only the lines of the %1 sessions the filter bar shows.")
                                        .arg(QLocale().toString(count)));
        m_scopeLabel->show();
    } else {
        m_scopeLabel->hide();
    }
    m_stop->setEnabled(true);
    setStatus(tr("Searching…"), false);
    m_runner->start(query);
}

void LogSearchDialog::stop() {
    m_runner->stop();
}

void LogSearchDialog::hideEvent(QHideEvent *event) {
    // Closed: nobody is waiting for more lines.
    m_runner->stop();
    QDialog::hideEvent(event);
}

void LogSearchDialog::setStatus(const QString &text, bool error) {
    m_status->setText(text);
    m_statusIsError = error;
    m_status->setStyleSheet(error ? QStringLiteral("color: #d0262d;") : QString());
}

void LogSearchDialog::onFinished(int hits, bool more, bool stopped, const QString &error) {
    m_stop->setEnabled(false);
    const QLocale locale;
    if (!error.isEmpty()) {
        setStatus(tr("Cannot search: %1").arg(error), true);
        return;
    }
    const int sessionCount = m_model->sessionCount();
    const QString sessions =
        sessionCount == 1 ? tr("1 session") : tr("%1 sessions").arg(locale.toString(sessionCount));
    if (stopped)
        setStatus(tr("Stopped: %1 lines in %2.").arg(locale.toString(hits), sessions), false);
    else if (more)
        setStatus(tr("The first %1 lines, in %2; more match: narrow the search.")
                      .arg(locale.toString(hits), sessions),
                  false);
    else if (hits == 0)
        setStatus(tr("No line matches."), false);
    else
        setStatus(hits == 1 ? tr("1 line, in %1.").arg(sessions)
                            : tr("%1 lines, in %2.").arg(locale.toString(hits), sessions),
                  false);
}

} // namespace kw
