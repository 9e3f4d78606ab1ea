#include "models/sessionfilter.h"
#include "models/sessionfilterproxy.h"
#include "models/sessiontablemodel.h"
#include "store/sessionstore.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

// A text dump of what a view would show: one line per row, columns joined.
QString dump(const QAbstractItemModel &model, const QList<int> &columns) {
    QStringList rows;
    for (int r = 0; r < model.rowCount(); ++r) {
        QStringList cells;
        for (int c : columns)
            cells << model.index(r, c).data().toString();
        rows << cells.join(QLatin1String(" | "));
    }
    return rows.join(QLatin1Char('\n'));
}

// Three finished sessions and one running, as the tests below expect them.
void fill(SessionStore &store) {
    store.apply(spoolBatch({startEvent(QStringLiteral("aaa"), 1000, SessionKind::Backup,
                                       QStringLiteral("restic"), QStringLiteral("home to NAS")),
                            startEvent(QStringLiteral("bbb"), 2000, SessionKind::Restore,
                                       QStringLiteral("borg"), QStringLiteral("restore etc")),
                            startEvent(QStringLiteral("ccc"), 3000, SessionKind::Backup,
                                       QStringLiteral("rsync"), QStringLiteral("mirror www")),
                            startEvent(QStringLiteral("ddd"), 500, SessionKind::Verify,
                                       QStringLiteral("restic"), QStringLiteral("check repo")),
                            progressEvent(QStringLiteral("ccc"), 3500, 9.5),
                            endEvent(QStringLiteral("aaa"), 61000, SessionState::Succeeded, 0),
                            endEvent(QStringLiteral("bbb"), 2500, SessionState::Failed, 2),
                            endEvent(QStringLiteral("ddd"), 10500, SessionState::Warning, 3)}));
}

} // namespace

class TestModels final : public QObject {
    Q_OBJECT

private slots:
    void tableShowsSessions() {
        SessionStore store;
        SessionTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fill(store);
        QCOMPARE(model.rowCount(), 4);
        QCOMPARE(model.columnCount(), int(SessionTableModel::ColumnCount));
        using M = SessionTableModel;
        QCOMPARE(
            dump(model, {M::Id, M::Title, M::Tool, M::Kind, M::State, M::Progress, M::Duration}),
            QStringLiteral("aaa | home to NAS | restic | backup | succeeded |  | 1m 00s\n"
                           "bbb | restore etc | borg | restore | failed |  | 0s\n"
                           "ccc | mirror www | rsync | backup | running | 9.5% | %1\n"
                           "ddd | check repo | restic | verify | warning |  | 10s")
                .arg(model.index(2, M::Duration).data().toString()));
        QCOMPARE(model.index(1, M::State).data(M::ProblemRole).toBool(), true);
        QCOMPARE(model.index(0, M::State).data(M::ProblemRole).toBool(), false);
        QCOMPARE(model.index(2, M::Progress).data(M::PercentRole).toDouble(), 9.5);
        QCOMPARE(model.index(0, M::Progress).data(M::PercentRole).toDouble(), -1.0);
        QCOMPARE(model.headerData(M::Started, Qt::Horizontal).toString(),
                 QStringLiteral("Started"));
    }

    void tableSignalsAreMinimal() {
        SessionStore store;
        SessionTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fill(store);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // One session changes: one dataChanged for that row.
        store.apply(spoolBatch({progressEvent(QStringLiteral("ccc"), 4000, 50)}));
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
        // Three of four change: one signal for the whole range.
        changed.clear();
        store.apply(spoolBatch(
            {logEvent(QStringLiteral("aaa"), 1, "x"), logEvent(QStringLiteral("bbb"), 1, "x"),
             logEvent(QStringLiteral("ccc"), 1, "x"), startEvent(QStringLiteral("eee"), 1)}));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 3);
        QCOMPARE(inserted.count(), 1);
        QCOMPARE(model.rowCount(), 5);
        // Running durations (ccc and eee) refresh without touching finished rows.
        changed.clear();
        model.refreshDurations();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 2);
        QCOMPARE(changed.at(1).at(0).toModelIndex().row(), 4);
        QCOMPARE(changed.at(0).at(0).toModelIndex().column(), int(SessionTableModel::Duration));
    }

    void proxySortsOnRawValues() {
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy proxy(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fill(store);
        // Duration as text would sort "0s" < "10s" < "1m 00s" < "9s"; as numbers it must not.
        proxy.sort(SessionTableModel::Duration, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, SessionTableModel::Id).data().toString(), QStringLiteral("bbb"));
        QCOMPARE(proxy.index(1, SessionTableModel::Id).data().toString(), QStringLiteral("ddd"));
        QCOMPARE(proxy.index(2, SessionTableModel::Id).data().toString(), QStringLiteral("aaa"));
        proxy.sort(SessionTableModel::Started, Qt::AscendingOrder);
        QCOMPARE(dump(proxy, {SessionTableModel::Id}), QStringLiteral("ddd\naaa\nbbb\nccc"));
        // Live updates keep the sort.
        store.apply(spoolBatch({startEvent(QStringLiteral("early"), 100)}));
        QCOMPARE(proxy.index(0, SessionTableModel::Id).data().toString(), QStringLiteral("early"));
    }

    void proxyFilters_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QList<SessionState>>("states");
        QTest::addColumn<QString>("expected");
        using S = SessionState;
        QTest::newRow("everything") << QString() << QList<S>{} << "aaa bbb ccc ddd";
        QTest::newRow("by tool") << "restic" << QList<S>{} << "aaa ddd";
        QTest::newRow("case-insensitive title") << "NAS" << QList<S>{} << "aaa";
        QTest::newRow("by kind word") << "restore" << QList<S>{} << "bbb";
        QTest::newRow("by id") << "ccc" << QList<S>{} << "ccc";
        QTest::newRow("all words must match") << "restic check" << QList<S>{} << "ddd";
        QTest::newRow("no match") << "tarsnap" << QList<S>{} << "";
        QTest::newRow("state failed") << QString() << QList<S>{S::Failed} << "bbb";
        QTest::newRow("problems") << QString()
                                  << QList<S>{S::Failed, S::Warning, S::Stalled, S::Interrupted}
                                  << "bbb ddd";
        QTest::newRow("text and state") << "restic" << QList<S>{S::Warning} << "ddd";
        QTest::newRow("state by text") << "running" << QList<S>{} << "ccc";
    }
    void proxyFilters() {
        QFETCH(QString, text);
        QFETCH(QList<SessionState>, states);
        QFETCH(QString, expected);
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy proxy(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fill(store);
        proxy.sort(SessionTableModel::Id, Qt::AscendingOrder);
        SessionFilter filter;
        filter.setText(text);
        for (SessionState s : states)
            filter.setStateEnabled(s, true);
        QSignalSpy changed(&proxy, &SessionFilterProxy::filterChanged);
        proxy.setFilter(filter);
        QCOMPARE(changed.count(), filter.isEmpty() ? 0 : 1);
        QStringList ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids << proxy.index(r, SessionTableModel::Id).data().toString();
        QCOMPARE(ids.join(QLatin1Char(' ')), expected);
        // A session that starts matching later appears without a new filter.
        if (QByteArray(QTest::currentDataTag()) == "state by text") {
            store.apply(
                spoolBatch({endEvent(QStringLiteral("ccc"), 9999, SessionState::Failed, 1)}));
            QCOMPARE(proxy.rowCount(), 0); // no longer "running"
        }
    }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
