// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessiontablemodel.h"

#include "cancel/wrappercancel.h"
#include "format/format.h"
#include "protocol/timestamp.h"
#include "spool/sessionowner.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"

namespace kw {

SessionTableModel::SessionTableModel(SessionStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_rows(store->count()) {
    connect(store, &SessionStore::changed, this, &SessionTableModel::onStoreChanged);
}

int SessionTableModel::rowCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : m_rows;
}

int SessionTableModel::columnCount(const QModelIndex &parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QString SessionTableModel::sourceText(const QString &identity) {
    if (identity == QLatin1String("spool"))
        return tr("own spool");
    if (SystemSpool::isSystemIdentity(identity))
        return tr("system spool");
    if (identity == QLatin1String("proc"))
        return tr("discovered");
    if (identity == QLatin1String("systemd"))
        return tr("systemd");
    if (identity == QLatin1String("systemd:user"))
        return tr("systemd (user)");
    if (identity.startsWith(QLatin1String("spool:")))
        return tr("spool %1").arg(identity.mid(6));
    return identity; // a source of a newer version: its own name
}

const Session &SessionTableModel::session(int row) const {
    return m_store->at(row);
}

// The bar's text: the percentage when a total is known; else the files
// done, the one count the Bytes column does not show.
QString SessionTableModel::progressText(const Session &s) const {
    const ProgressPayload &p = s.progress;
    if (p.percent)
        return QString::number(*p.percent, 'f', *p.percent < 10 ? 1 : 0) + QLatin1Char('%');
    if (p.filesDone)
        return tr("%1 files").arg(*p.filesDone);
    return {};
}

QString SessionTableModel::progressDetails(const Session &s) {
    const ProgressPayload &p = s.progress;
    QStringList lines;
    if (p.percent)
        lines << tr("%1% done").arg(*p.percent, 0, 'f', 1);
    else if (isActive(s.state) && p.bytesDone)
        lines << tr("no total known yet: no percentage");
    if (p.bytesDone)
        lines << tr("Bytes: %1")
                     .arg(p.bytesTotal ? Format::bytes(*p.bytesDone) + QLatin1String(" of ")
                                             + Format::bytes(*p.bytesTotal)
                                       : Format::bytes(*p.bytesDone));
    if (p.filesDone)
        lines << tr("Files: %1")
                     .arg(p.filesTotal
                              ? QStringLiteral("%1 of %2").arg(*p.filesDone).arg(*p.filesTotal)
                              : QString::number(*p.filesDone));
    if (p.rate && isActive(s.state))
        lines << tr("Rate: %1").arg(Format::rate(*p.rate));
    if (p.etaSeconds && isActive(s.state))
        lines << tr("Time left: %1").arg(Format::duration(*p.etaSeconds * 1000));
    if (!p.current.isEmpty() && isActive(s.state))
        lines << tr("Now: %1").arg(p.current);
    return lines.join(QLatin1Char('\n'));
}

QVariant SessionTableModel::data(const QModelIndex &index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Session &s = m_store->at(index.row());
    const auto column = Column(index.column());

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Id:
            return s.key.id;
        case Title:
            return s.displayTitle();
        case Tool:
            return s.tool;
        case Kind:
            return QString(wireName(s.kind));
        case State:
            return stateText(s);
        case Progress:
            return progressText(s);
        case Bytes:
            return Format::bytesProgress(s.progress.bytesDone, s.progress.bytesTotal);
        case Rate:
            // A finished session's last rate is history, not a fact about now.
            if (s.progress.rate && isActive(s.state))
                return Format::rate(*s.progress.rate);
            return {};
        case Eta:
            if (s.progress.etaSeconds && isActive(s.state))
                return Format::duration(*s.progress.etaSeconds * 1000);
            return {};
        case Started: {
            return Format::dateTime(s.effectiveStartMs());
        }
        case Duration:
            return Format::duration(s.durationMs(Timestamp::nowMs()));
        case Host:
            return s.host;
        case Target:
            return s.target;
        case User:
            return SessionOwner::of(s);
        case Source:
            return sourceText(s.key.source);
        case ColumnCount:
            break;
        }
        break;
    case Qt::TextAlignmentRole:
        switch (column) {
        case Bytes:
        case Rate:
        case Eta:
        case Duration:
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        default:
            break;
        }
        break;
    case Qt::ToolTipRole:
        if (column == State && s.state == SessionState::Running
            && m_offlineSince.contains(s.key.source))
            return tr("%1 went offline while this ran: how it goes on is not known until the "
                      "host is back")
                .arg(s.host);
        if (column == State && !s.stateReason.isEmpty())
            return s.stateReason;
        if (column == State && !s.summary.isEmpty())
            return s.summary;
        if (column == Id || column == Title)
            return s.key.id;
        if (column == Progress || column == Bytes || column == Rate || column == Eta)
            return progressDetails(s);
        if (column == Target && !s.target.isEmpty())
            return s.target;
        if (column == User)
            return WrapperCancel::ownerRefusal(s);
        break;
    case SortRole:
        if (const auto value = sortValue(index.row(), column))
            return *value;
        return data(index, Qt::DisplayRole);
    case StateRole:
        return int(s.state);
    case KindRole:
        return int(s.kind);
    case PercentRole:
        return s.progress.percent.value_or(-1.0);
    case BusyRole:
        return isActive(s.state) && !s.progress.percent;
    case SessionIdRole:
        return s.key.id;
    case SourceRole:
        return s.key.source;
    case ProblemRole:
        return isProblem(s.state);
    case CancelRefusalRole:
        return WrapperCancel::ownerRefusal(s);
    default:
        break;
    }
    return {};
}

std::optional<double> SessionTableModel::sortValue(int row, int column) const {
    const Session &s = m_store->at(row);
    switch (column) {
    case Kind:
        return double(s.kind);
    case State:
        return double(s.state);
    case Progress:
        return s.progress.percent.value_or(-1.0);
    case Bytes:
        return double(s.progress.bytesDone.value_or(-1));
    case Rate:
        return isActive(s.state) ? s.progress.rate.value_or(-1.0) : -1.0;
    case Eta:
        return isActive(s.state) ? double(s.progress.etaSeconds.value_or(-1)) : -1.0;
    case Started:
        return double(s.effectiveStartMs());
    case Duration:
        return double(s.durationMs(Timestamp::nowMs()));
    default:
        return std::nullopt; // text: sorted on what is shown
    }
}

QVariant SessionTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id:
        return tr("ID");
    case Title:
        return tr("Title");
    case Tool:
        return tr("Tool");
    case Kind:
        return tr("Kind");
    case State:
        return tr("State");
    case Progress:
        return tr("Progress");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Bytes:
        return tr("Bytes");
    case Rate:
        return tr("Rate");
    case Eta:
        return tr("ETA");
    case Host:
        return tr("Host");
    case Target:
        return tr("Target");
    case User:
        return tr("User");
    case Source:
        return tr("Source");
    case ColumnCount:
        break;
    }
    return {};
}

void SessionTableModel::emitChangedRows(const QList<int> &rows, int firstColumn, int lastColumn) {
    if (rows.isEmpty())
        return;
    // More than half the rows changed: one signal is cheaper for every view.
    if (rows.size() * 2 > m_rows) {
        emit dataChanged(index(0, firstColumn), index(m_rows - 1, lastColumn));
        return;
    }
    qsizetype start = 0;
    for (qsizetype i = 1; i <= rows.size(); ++i) {
        if (i == rows.size() || rows[i] != rows[i - 1] + 1) {
            emit dataChanged(index(rows[start], firstColumn), index(rows[i - 1], lastColumn));
            start = i;
        }
    }
}

void SessionTableModel::onStoreChanged(const StoreChange &change) {
    QList<int> changed = change.changedRows;
    changed.removeIf([this](int row) { return row >= m_rows; });
    emitChangedRows(changed, 0, ColumnCount - 1);
    if (change.newRows > 0) {
        beginInsertRows({}, m_rows, m_rows + change.newRows - 1);
        m_rows += change.newRows;
        endInsertRows();
    }
}

QString SessionTableModel::stateText(const Session &s) const {
    if (const auto it = m_offlineSince.constFind(s.key.source);
        it != m_offlineSince.cend() && s.state == SessionState::Running)
        return tr("unknown since %1").arg(Format::dateTime(*it));
    return QString(wireName(s.state));
}

void SessionTableModel::setOfflineSources(const QHash<QString, qint64> &sinceBySource) {
    if (sinceBySource == m_offlineSince)
        return;
    QList<int> rows;
    for (int row = 0; row < m_rows; ++row) {
        const QString &source = m_store->at(row).key.source;
        if (m_offlineSince.value(source, -1) != sinceBySource.value(source, -1))
            rows.append(row);
    }
    m_offlineSince = sinceBySource;
    emitChangedRows(rows, State, State);
}

void SessionTableModel::refreshDurations() {
    QList<int> active;
    for (int row = 0; row < m_rows; ++row) {
        if (isActive(m_store->at(row).state))
            active.append(row);
    }
    emitChangedRows(active, Duration, Duration);
}

} // namespace kw
