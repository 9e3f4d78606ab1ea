// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "format/format.h"
#include "models/sessionfilter.h"
#include "models/sessionfilterproxy.h"
#include "models/sessiontablemodel.h"
#include "platform/useraccounts.h"
#include "spool/sessionowner.h"
#include "spool/systemspool.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>
#include <functional>

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

Event start(const QString &id, qint64 ts, SessionKind kind, const QString &tool,
            const QString &title, const QString &host, const QString &target) {
    StartPayload p;
    p.kind = kind;
    p.tool = tool;
    p.title = title;
    p.host = host;
    p.target = target;
    return Event{id, {}, ts, p};
}

Event progress(const QString &id, qint64 ts, std::optional<double> percent,
               std::optional<qint64> bytesDone, std::optional<qint64> bytesTotal,
               std::optional<double> rate, std::optional<qint64> etaSeconds) {
    ProgressPayload p;
    p.percent = percent;
    p.bytesDone = bytesDone;
    p.bytesTotal = bytesTotal;
    p.rate = rate;
    p.etaSeconds = etaSeconds;
    return Event{id, {}, ts, p};
}

constexpr qint64 kGiB = qint64(1) << 30;
constexpr qint64 kMiB = qint64(1) << 20;
// "Now" for the sessions below: every running one started before it.
constexpr qint64 kNowMs = 100000;

// Five sessions with everything the table shows, on three hosts:
//   aaa restic backup  alpha /srv/restic  [1000, 61000]  succeeded, 45 %, 900 B of 2000 B
//   bbb borg restore   beta  /srv/borg    [2000, 2500]   failed
//   ccc rsync backup   alpha nas:/www     [3000, now]    running, 9.5 %, 1.5 of 16 GiB, 10 MiB/s,
//   150 s left ddd restic verify  gamma /srv/restic  [500, 10500]   warning eee borg backup    beta
//   /mnt/usb     [4000, now]    running, no total: 5000 B, 2 KiB/s
void fillRich(SessionStore &store) {
    using K = SessionKind;
    store.apply(spoolBatch(
        {start(QStringLiteral("aaa"), 1000, K::Backup, QStringLiteral("restic"),
               QStringLiteral("home to NAS"), QStringLiteral("alpha"),
               QStringLiteral("/srv/restic")),
         start(QStringLiteral("bbb"), 2000, K::Restore, QStringLiteral("borg"),
               QStringLiteral("restore etc"), QStringLiteral("beta"), QStringLiteral("/srv/borg")),
         start(QStringLiteral("ccc"), 3000, K::Backup, QStringLiteral("rsync"),
               QStringLiteral("mirror www"), QStringLiteral("alpha"), QStringLiteral("nas:/www")),
         start(QStringLiteral("ddd"), 500, K::Verify, QStringLiteral("restic"),
               QStringLiteral("check repo"), QStringLiteral("gamma"),
               QStringLiteral("/srv/restic")),
         start(QStringLiteral("eee"), 4000, K::Backup, QStringLiteral("borg"),
               QStringLiteral("usb copy"), QStringLiteral("beta"), QStringLiteral("/mnt/usb")),
         progress(QStringLiteral("aaa"), 1500, 45, 900, 2000, 300, 20),
         progress(QStringLiteral("ccc"), 3500, 9.5, kGiB + kGiB / 2, 16 * kGiB, 10 * kMiB, 150),
         progress(QStringLiteral("eee"), 4500, std::nullopt, 5000, std::nullopt, 2048,
                  std::nullopt),
         endEvent(QStringLiteral("aaa"), 61000, SessionState::Succeeded, 0),
         endEvent(QStringLiteral("bbb"), 2500, SessionState::Failed, 2),
         endEvent(QStringLiteral("ddd"), 10500, SessionState::Warning, 3)}));
}

QStringList idsOf(const QAbstractItemModel &model) {
    QStringList ids;
    for (int r = 0; r < model.rowCount(); ++r)
        ids << model.index(r, SessionTableModel::Id).data().toString();
    return ids;
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
        QCOMPARE(model.headerData(M::Eta, Qt::Horizontal).toString(), QStringLiteral("ETA"));
    }

    // Every column's text, and the order sorting on it gives: raw values,
    // never the text ("900 B" after "1.5 GiB", "9s" after "10s").
    void columnsShowTextAndSortOnRawValues_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("shown"); // rows aaa..eee, " | " between
        QTest::addColumn<QString>("ascending");
        using M = SessionTableModel;
        QTest::newRow("id") << int(M::Id) << "aaa | bbb | ccc | ddd | eee"
                            << "aaa bbb ccc ddd eee";
        QTest::newRow("title") << int(M::Title)
                               << "home to NAS | restore etc | mirror www | check repo | usb copy"
                               << "ddd aaa ccc bbb eee";
        QTest::newRow("tool") << int(M::Tool) << "restic | borg | rsync | restic | borg"
                              << "bbb eee aaa ddd ccc";
        QTest::newRow("kind") << int(M::Kind) << "backup | restore | backup | verify | backup"
                              << "aaa ccc eee bbb ddd";
        // Active states first, then finished ones, in the protocol's order.
        QTest::newRow("state") << int(M::State)
                               << "succeeded | failed | running | warning | running"
                               << "ccc eee aaa ddd bbb";
        // The bar's text: the percentage where known, nothing where not.
        QTest::newRow("progress") << int(M::Progress) << "45% |  | 9.5% |  | "
                                  << "bbb ddd eee ccc aaa";
        QTest::newRow("bytes") << int(M::Bytes)
                               << "900 bytes / 2.0 KiB |  | 1.5 GiB / 16.0 GiB |  | 4.9 KiB"
                               << "bbb ddd aaa eee ccc";
        // Only while running: a finished session's last rate is not "now".
        QTest::newRow("rate") << int(M::Rate) << " |  | 10.0 MiB/s |  | 2.0 KiB/s"
                              << "aaa bbb ddd eee ccc";
        QTest::newRow("eta") << int(M::Eta) << " |  | 2m 30s |  | "
                             << "aaa bbb ddd eee ccc";
        QTest::newRow("duration") << int(M::Duration) << "1m 00s | 0s | %1 | 10s | %2"
                                  << "bbb ddd aaa eee ccc";
        QTest::newRow("host") << int(M::Host) << "alpha | beta | alpha | gamma | beta"
                              << "aaa ccc bbb eee ddd";
        QTest::newRow("target") << int(M::Target)
                                << "/srv/restic | /srv/borg | nas:/www | /srv/restic | /mnt/usb"
                                << "eee bbb aaa ddd ccc";
    }
    void columnsShowTextAndSortOnRawValues() {
        QFETCH(int, column);
        QFETCH(QString, shown);
        QFETCH(QString, ascending);
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy proxy(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fillRich(store);
        QStringList cells;
        for (int r = 0; r < model.rowCount(); ++r)
            cells << model.index(r, column).data().toString();
        QString expected = shown;
        if (column == SessionTableModel::Duration) { // running ones grow with the clock
            expected = expected.arg(model.index(2, column).data().toString(),
                                    model.index(4, column).data().toString());
        }
        QCOMPARE(cells.join(QLatin1String(" | ")), expected);
        // Stable order for equal keys: the store's order breaks ties.
        proxy.sort(column, Qt::AscendingOrder);
        QCOMPARE(idsOf(proxy).join(QLatin1Char(' ')), ascending);
    }

    // Who runs a session and where it was seen: root's session in the
    // system spool and alice's own one with the same ID are two rows, told
    // apart by these two columns.
    // A host that went offline (the Hosts view says which): its running
    // sessions' state is unknown since then; its finished ones, and every
    // other source's, stay as they are; back online, running again.
    void runningSessionsOfAnOfflineHostAreUnknown() {
        SessionStore store;
        SessionTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        store.apply(sessionFrom(QStringLiteral("remote:web01"), QStringLiteral("live")));
        store.apply(sessionFrom(QStringLiteral("remote:web01"), QStringLiteral("done"),
                                SessionState::Failed));
        store.apply(sessionFrom(QStringLiteral("remote:db01"), QStringLiteral("other")));
        store.apply(sessionFrom(QStringLiteral("spool"), QStringLiteral("mine")));
        auto state = [&](const QString &id) {
            for (int r = 0; r < model.rowCount(); ++r) {
                if (model.index(r, SessionTableModel::Id).data().toString() == id)
                    return model.index(r, SessionTableModel::State).data().toString();
            }
            return QString();
        };
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        const qint64 since = 1'800'000'000'000;
        model.setOfflineSources({{QStringLiteral("remote:web01"), since}});
        QCOMPARE(state(QStringLiteral("live")),
                 QStringLiteral("unknown since ") + Format::dateTime(since));
        QCOMPARE(state(QStringLiteral("done")), QStringLiteral("failed"));
        QCOMPARE(state(QStringLiteral("other")), QStringLiteral("running"));
        QCOMPARE(state(QStringLiteral("mine")), QStringLiteral("running"));
        QVERIFY(changed.count() >= 1);
        changed.clear();
        model.setOfflineSources({{QStringLiteral("remote:web01"), since}}); // no news
        QCOMPARE(changed.count(), 0);
        model.setOfflineSources({});
        QCOMPARE(state(QStringLiteral("live")), QStringLiteral("running"));
        QVERIFY(changed.count() >= 1);
    }

    void userAndSourceColumns() {
        SessionStore store;
        SessionTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto from = [](const QString &source, const QString &user) {
            Event e = startEvent(QStringLiteral("nightly"), 1000);
            e.source = source;
            e.as<StartPayload>()->user = user;
            EventBatch batch;
            batch.events.append(e);
            return batch;
        };
        store.apply(from(QStringLiteral("spool"), QStringLiteral("alice")));
        store.apply(from(QStringLiteral("system:root"), QStringLiteral("root")));
        store.apply(from(QStringLiteral("proc"), QStringLiteral("backup")));
        store.apply(from(QStringLiteral("spool:/srv/spool"), QStringLiteral("alice")));
        QCOMPARE(model.rowCount(), 4);
        QStringList rows;
        for (int r = 0; r < model.rowCount(); ++r)
            rows << model.index(r, SessionTableModel::User).data().toString() + QLatin1Char('/')
                        + model.index(r, SessionTableModel::Source).data().toString();
        // The own spool (0700) holds only this user's sessions, whatever a
        // start event claims: the owner, not the payload, is shown.
        QCOMPARE(rows, (QStringList{SessionOwner::me() + QStringLiteral("/own spool"),
                                    QStringLiteral("root/system spool"),
                                    QStringLiteral("backup/discovered"),
                                    QStringLiteral("alice/spool /srv/spool")}));
        QCOMPARE(model.headerData(SessionTableModel::User, Qt::Horizontal).toString(),
                 QStringLiteral("User"));
        QCOMPARE(model.headerData(SessionTableModel::Source, Qt::Horizontal).toString(),
                 QStringLiteral("Source"));
    }

    // A store of sessions of this user and of others, from each source:
    // the IDs say whose they are.
    static void fillOwners(SessionStore &store) {
        const QString other = QStringLiteral("kw-not-%1").arg(SessionOwner::me());
        const auto from = [](const QString &id, const QString &source, const QString &user,
                             bool ended = false) {
            EventBatch batch =
                sessionFrom(source, id, ended ? std::optional(SessionState::Failed) : std::nullopt);
            batch.events.first().as<StartPayload>()->user = user;
            return batch;
        };
        // Claims another user, but the own spool is this user's.
        store.apply(from(QStringLiteral("mine-spool"), QStringLiteral("spool"), other));
        store.apply(from(QStringLiteral("mine-extra"), QStringLiteral("spool:/srv/spool"), {}));
        store.apply(from(QStringLiteral("mine-proc"), QStringLiteral("proc"), SessionOwner::me()));
        store.apply(from(QStringLiteral("others-system"), SystemSpool::identityFor(other), other));
        store.apply(from(QStringLiteral("others-proc"), QStringLiteral("proc"), other));
        store.apply(
            from(QStringLiteral("others-ended"), SystemSpool::identityFor(other), other, true));
    }

    // Mine / System / All: the user's own sessions, root's and service
    // users', or everybody's.
    void ownersFilter_data() {
        QTest::addColumn<SessionFilter::Owners>("owners");
        QTest::addColumn<QString>("expected");
        QTest::newRow("all") << SessionFilter::Owners::Anyone
                             << "mine-spool mine-extra mine-proc others-system others-proc "
                                "others-ended";
        QTest::newRow("mine") << SessionFilter::Owners::Mine << "mine-spool mine-extra mine-proc";
        QTest::newRow("system") << SessionFilter::Owners::Others
                                << "others-system others-proc others-ended";
    }
    void ownersFilter() {
        QFETCH(SessionFilter::Owners, owners);
        QFETCH(QString, expected);
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy proxy(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fillOwners(store);
        SessionFilter filter;
        filter.setOwners(owners);
        QCOMPARE(filter.isEmpty(), owners == SessionFilter::Owners::Anyone);
        proxy.setFilter(filter);
        QStringList ids;
        for (int r = 0; r < proxy.rowCount(); ++r)
            ids << proxy.index(r, SessionTableModel::Id).data().toString();
        QCOMPARE(ids.join(QLatin1Char(' ')), expected);
        SessionFilter same;
        same.setOwners(owners);
        QCOMPARE(filter, same);
    }

    // The lock: an active session of another user cannot be cancelled by
    // this user (unless root), and the role says what works instead.
    void cancelRefusalOfOtherUsersSessions() {
        SessionStore store;
        SessionTableModel model(&store);
        fillOwners(store);
        const QString other = QStringLiteral("kw-not-%1").arg(SessionOwner::me());
        QStringList refusals;
        for (int r = 0; r < model.rowCount(); ++r) {
            const QString refusal = model.index(r, SessionTableModel::Id)
                                        .data(SessionTableModel::CancelRefusalRole)
                                        .toString();
            if (!refusal.isEmpty())
                refusals << refusal;
            QCOMPARE(model.index(r, SessionTableModel::User).data(Qt::ToolTipRole).toString(),
                     refusal);
        }
        if (UserAccounts::effectiveUid() == 0) {
            QVERIFY2(refusals.isEmpty(), qPrintable(refusals.join(QLatin1Char('\n')))); // root may
            return;
        }
        // The ended one has nothing left to cancel; this user's own are free.
        QCOMPARE(refusals,
                 (QStringList{QStringLiteral("session 'others-system' is %1's: only %1 or root can "
                                             "cancel it (sudo keepwatch-cli cancel others-system "
                                             "--source system:%1)")
                                  .arg(other),
                              QStringLiteral("session 'others-proc' is %1's: only %1 or root can "
                                             "stop it")
                                  .arg(other)}));
    }

    // What the progress bar needs: a percentage, or "busy" for a session
    // still at work that cannot know how far it got.
    void progressRoles_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<double>("percent");
        QTest::addColumn<bool>("busy");
        QTest::newRow("running, total known") << "ccc" << 9.5 << false;
        QTest::newRow("running, no total") << "eee" << -1.0 << true;
        QTest::newRow("finished, had a total") << "aaa" << 45.0 << false;
        QTest::newRow("finished, never had one") << "bbb" << -1.0 << false;
    }
    void progressRoles() {
        QFETCH(QString, id);
        QFETCH(double, percent);
        QFETCH(bool, busy);
        SessionStore store;
        SessionTableModel model(&store);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        fillRich(store);
        const int row = store.rowsWithId(id).value(0, -1);
        QVERIFY(row >= 0);
        const QModelIndex cell = model.index(row, SessionTableModel::Progress);
        QCOMPARE(cell.data(SessionTableModel::PercentRole).toDouble(), percent);
        QCOMPARE(cell.data(SessionTableModel::BusyRole).toBool(), busy);
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

    // SessionFilter alone: a plain value, matched against the store's sessions.
    void filterMatches_data() {
        QTest::addColumn<SessionFilter>("filter");
        QTest::addColumn<QString>("expected");
        using S = SessionState;
        using K = SessionKind;
        const auto make = [](const std::function<void(SessionFilter &)> &set) {
            SessionFilter f;
            set(f);
            return f;
        };
        QTest::newRow("nothing set") << SessionFilter() << "aaa bbb ccc ddd eee";
        QTest::newRow("word in the host")
            << make([](SessionFilter &f) { f.setText(QStringLiteral("alpha")); }) << "aaa ccc";
        QTest::newRow("word in the target")
            << make([](SessionFilter &f) { f.setText(QStringLiteral("/srv")); }) << "aaa bbb ddd";
        QTest::newRow("word naming a state")
            << make([](SessionFilter &f) { f.setText(QStringLiteral("FAIL")); }) << "bbb";
        QTest::newRow("words in different fields")
            << make([](SessionFilter &f) { f.setText(QStringLiteral(" borg  beta backup ")); })
            << "eee";
        QTest::newRow("regex over titles")
            << make([](SessionFilter &f) { f.setText(QStringLiteral("^(home|mirror) "), true); })
            << "aaa ccc";
        QTest::newRow("regex, any case")
            << make([](SessionFilter &f) { f.setText(QStringLiteral("nas$"), true); }) << "aaa";
        QTest::newRow("regex with a space is one expression")
            << make([](SessionFilter &f) { f.setText(QStringLiteral("usb copy"), true); }) << "eee";
        QTest::newRow("finished") << make([](SessionFilter &f) {
            f.setStates(SessionFilter::finishedStates());
        }) << "aaa bbb ddd";
        QTest::newRow("active") << make([](SessionFilter &f) {
            f.setStates(SessionFilter::activeStates());
        }) << "ccc eee";
        QTest::newRow("problems") << make([](SessionFilter &f) {
            f.setStates(SessionFilter::problemStates());
        }) << "bbb ddd";
        QTest::newRow("kind") << make([](SessionFilter &f) { f.setKinds({K::Backup}); })
                              << "aaa ccc eee";
        QTest::newRow("two kinds") << make([](SessionFilter &f) {
            f.setKinds({K::Restore, K::Verify});
        }) << "bbb ddd";
        QTest::newRow("tool, any case")
            << make([](SessionFilter &f) { f.setTool(QStringLiteral("RESTIC")); }) << "aaa ddd";
        QTest::newRow("tool is exact, not a word")
            << make([](SessionFilter &f) { f.setTool(QStringLiteral("rest")); }) << "";
        QTest::newRow("host") << make([](SessionFilter &f) { f.setHost(QStringLiteral("beta")); })
                              << "bbb eee";
        QTest::newRow("ran after")
            << make([](SessionFilter &f) { f.setTimeRange(20000, std::nullopt); }) << "aaa ccc eee";
        QTest::newRow("ran before")
            << make([](SessionFilter &f) { f.setTimeRange(std::nullopt, 900); }) << "ddd";
        QTest::newRow("overlaps a window")
            << make([](SessionFilter &f) { f.setTimeRange(2200, 2300); }) << "aaa bbb ddd";
        QTest::newRow("ends are included")
            << make([](SessionFilter &f) { f.setTimeRange(2500, 3000); }) << "aaa bbb ccc ddd";
        QTest::newRow("after now")
            << make([](SessionFilter &f) { f.setTimeRange(kNowMs + 1, std::nullopt); }) << "";
        QTest::newRow("everything at once") << make([](SessionFilter &f) {
            f.setText(QStringLiteral("srv"));
            f.setStates({S::Succeeded, S::Warning});
            f.setKinds({K::Backup});
            f.setTool(QStringLiteral("restic"));
            f.setHost(QStringLiteral("alpha"));
            f.setTimeRange(0, kNowMs);
        }) << "aaa";
    }
    void filterMatches() {
        QFETCH(SessionFilter, filter);
        QFETCH(QString, expected);
        SessionStore store;
        fillRich(store);
        QStringList ids;
        for (int row = 0; row < store.count(); ++row) {
            if (filter.matches(store.at(row), kNowMs))
                ids << store.at(row).key.id;
        }
        QCOMPARE(ids.join(QLatin1Char(' ')), expected);
        QCOMPARE(filter.isEmpty(), QByteArray(QTest::currentDataTag()) == "nothing set");
    }

    void filterReportsAnInvalidExpression() {
        SessionStore store;
        fillRich(store);
        SessionFilter filter;
        QVERIFY(!filter.setText(QStringLiteral("(unclosed"), true));
        QVERIFY(!filter.isValid());
        QVERIFY2(filter.errorString().contains(QLatin1String("regular expression")),
                 qPrintable(filter.errorString()));
        QVERIFY2(filter.errorString().contains(QLatin1String("offset")),
                 qPrintable(filter.errorString()));
        for (int row = 0; row < store.count(); ++row)
            QVERIFY(!filter.matches(store.at(row), kNowMs));
        // The same text, taken literally, is fine.
        QVERIFY(filter.setText(QStringLiteral("(unclosed"), false));
        QVERIFY(filter.isValid());
        QVERIFY(filter.errorString().isEmpty());
    }

    void filtersCompareByValue() {
        SessionFilter a;
        SessionFilter b;
        a.setText(QStringLiteral("x"));
        QVERIFY(a != b);
        b.setText(QStringLiteral("x"));
        QVERIFY(a == b);
        b.setText(QStringLiteral("x"), true);
        QVERIFY(a != b);
        b.setText(QStringLiteral("x"));
        b.setHost(QStringLiteral("h"));
        QVERIFY(a != b);
        a.setHost(QStringLiteral("h"));
        a.setTimeRange(1, std::nullopt);
        QVERIFY(a != b);
        b.setTimeRange(1, std::nullopt);
        QVERIFY(a == b);
    }

    // The proxy with a time range follows sessions as they run and end: a
    // running session is in every range up to now, until it ends.
    void proxyTimeRangeFollowsLiveSessions() {
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy proxy(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setClock([] { return kNowMs; });
        proxy.sort(SessionTableModel::Id, Qt::AscendingOrder);
        fillRich(store);
        SessionFilter lastMinute;
        lastMinute.setTimeRange(kNowMs - 60000, std::nullopt);
        proxy.setFilter(lastMinute);
        QCOMPARE(idsOf(proxy), QStringList({QStringLiteral("aaa"), QStringLiteral("ccc"),
                                            QStringLiteral("eee")}));
        // ccc ends long before the range: it leaves; a new session joins.
        store.apply(spoolBatch({endEvent(QStringLiteral("ccc"), 5000, SessionState::Failed, 1),
                                startEvent(QStringLiteral("fff"), kNowMs - 10)}));
        QCOMPARE(idsOf(proxy), QStringList({QStringLiteral("aaa"), QStringLiteral("eee"),
                                            QStringLiteral("fff")}));
    }

    // Thousands of finished sessions from the history: filtering them is a
    // plain loop without allocations. Measured (QBENCHMARK prints a RESULT
    // line), not timed: a shared machine is no stopwatch.
    void filterScalesToALargeHistory() {
        constexpr int kSessions = 20000;
        SessionStore store;
        QList<Event> events;
        events.reserve(kSessions * 2);
        const QStringList tools{QStringLiteral("restic"), QStringLiteral("borg"),
                                QStringLiteral("rsync")};
        for (int i = 0; i < kSessions; ++i) {
            const QString id = QStringLiteral("h%1").arg(i, 5, 10, QLatin1Char('0'));
            const qint64 t = qint64(i) * 60000;
            events << start(id, t, SessionKind(i % 3), tools[i % 3],
                            QStringLiteral("nightly %1").arg(i % 7),
                            QStringLiteral("host%1").arg(i % 10), QStringLiteral("/srv/repo"))
                   << endEvent(id, t + 30000,
                               i % 100 == 0 ? SessionState::Failed : SessionState::Succeeded,
                               i % 100 == 0 ? 1 : 0);
        }
        store.apply(spoolBatch(events));
        SessionTableModel model(&store);
        SessionFilterProxy proxy(&model);
        QCOMPARE(proxy.rowCount(), kSessions);

        SessionFilter failedBorg;
        failedBorg.setText(QStringLiteral("nightly borg"));
        failedBorg.setStates({SessionState::Failed});
        SessionFilter lastDay;
        lastDay.setTimeRange(qint64(kSessions - 24 * 60) * 60000, std::nullopt);
        lastDay.setHost(QStringLiteral("host3"));
        int failedRows = 0;
        int lastDayRows = 0;
        QBENCHMARK {
            proxy.setFilter(failedBorg);
            failedRows = proxy.rowCount();
            proxy.setFilter(lastDay);
            lastDayRows = proxy.rowCount();
        }
        // Failed: i % 100 == 0; borg: i % 3 == 1; both: i % 300 == 100.
        QCOMPARE(failedRows, (kSessions - 100 + 299) / 300);
        // The last 1440 sessions, one host in ten.
        QCOMPARE(lastDayRows, 24 * 60 / 10);
    }
};

KW_TEST_GUILESS_MAIN(TestModels)
#include "tst_models.moc"
