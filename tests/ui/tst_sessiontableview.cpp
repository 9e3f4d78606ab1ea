// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "models/sessionfilterproxy.h"
#include "models/sessiontablemodel.h"
#include "sessiondecorationproxy.h"
#include "sessiontableview.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {
using M = SessionTableModel;
} // namespace

// The table as the window shows it: store -> model -> filter proxy ->
// decoration proxy -> SessionTableView.
class TestSessionTableView final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<SessionTableModel> m_model;
    std::unique_ptr<SessionFilterProxy> m_filter;
    std::unique_ptr<SessionDecorationProxy> m_decoration;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    std::unique_ptr<SessionTableView> m_view;

    // Session "s0" started first ... "s4" last; s2 failed.
    void fill() {
        QList<Event> events;
        for (int i = 0; i < 5; ++i) {
            const QString id = QStringLiteral("s%1").arg(i);
            events << startEvent(id, 1000 * (i + 1), SessionKind::Backup, QStringLiteral("restic"),
                                 QStringLiteral("job %1").arg(i));
        }
        events << endEvent(QStringLiteral("s2"), 9000, SessionState::Failed, 1);
        m_store->apply(spoolBatch(events));
    }
    // The IDs top to bottom, as shown.
    QStringList shownIds() const {
        QStringList ids;
        for (int r = 0; r < m_view->model()->rowCount(); ++r)
            ids << m_view->model()->index(r, M::Id).data().toString();
        return ids;
    }
    void selectRows(const QList<int> &rows) {
        m_view->clearSelection();
        for (const int row : rows) {
            m_view->selectionModel()->select(m_view->model()->index(row, 0),
                                             QItemSelectionModel::Select
                                                 | QItemSelectionModel::Rows);
        }
    }
    std::unique_ptr<SessionTableView> makeView() {
        auto view = std::make_unique<SessionTableView>();
        view->setModel(m_decoration.get());
        view->resize(1200, 300);
        return view;
    }

private slots:
    void init() {
        m_store = std::make_unique<SessionStore>();
        m_model = std::make_unique<SessionTableModel>(m_store.get());
        m_filter = std::make_unique<SessionFilterProxy>(m_model.get());
        m_decoration = std::make_unique<SessionDecorationProxy>();
        m_decoration->setSourceModel(m_filter.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_decoration.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_view = makeView();
        fill();
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }
    void cleanup() {
        m_view.reset();
        m_tester.reset();
        m_decoration.reset();
        m_filter.reset();
        m_model.reset();
        m_store.reset();
    }

    // A first start: newest first, where a target and a host are a header
    // menu away, every other column shown.
    void defaultLayout() {
        QCOMPARE(shownIds(),
                 QStringList({QStringLiteral("s4"), QStringLiteral("s3"), QStringLiteral("s2"),
                              QStringLiteral("s1"), QStringLiteral("s0")}));
        const QHeaderView *header = m_view->horizontalHeader();
        QCOMPARE(header->sortIndicatorSection(), int(M::Started));
        QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
        for (int c = 0; c < M::ColumnCount; ++c) {
            QCOMPARE(header->isSectionHidden(c), c == M::Host || c == M::Target);
            QCOMPARE(header->visualIndex(c), c);
        }
    }

    void copiesSessionIds_data() {
        QTest::addColumn<QList<int>>("rows");
        QTest::addColumn<bool>("viaMenu");
        QTest::addColumn<QString>("copied");
        QTest::newRow("one, Ctrl+C") << QList<int>{2} << false << "s2";
        QTest::newRow("several, Ctrl+C, in the order shown")
            << QList<int>{3, 0, 1} << false << "s4\ns3\ns1";
        QTest::newRow("one, context menu") << QList<int>{4} << true << "s0";
        QTest::newRow("several, context menu") << QList<int>{0, 4} << true << "s4\ns0";
    }
    void copiesSessionIds() {
        QFETCH(QList<int>, rows);
        QFETCH(bool, viaMenu);
        QFETCH(QString, copied);
        QGuiApplication::clipboard()->setText(QStringLiteral("before"));
        QSignalSpy copiedSpy(m_view.get(), &SessionTableView::idsCopied);
        m_view->setFocus();
        m_view->setCurrentIndex(m_view->model()->index(rows.first(), M::Title));
        selectRows(rows);
        if (viaMenu) {
            // The context menu is the view's actions; Copy Session ID comes first.
            QCOMPARE(m_view->contextMenuPolicy(), Qt::ActionsContextMenu);
            QAction *first = m_view->actions().value(0);
            QVERIFY(first);
            QCOMPARE(first->text().remove(QLatin1Char('&')), QStringLiteral("Copy Session ID"));
            first->trigger();
        } else {
            QTest::keyClick(m_view.get(), Qt::Key_C, Qt::ControlModifier);
        }
        QCOMPARE(QGuiApplication::clipboard()->text(), copied);
        QCOMPARE(copiedSpy.count(), 1);
        QCOMPARE(copiedSpy.at(0).at(0).toInt(), int(rows.size()));
    }

    // Right-clicking the header lists the columns; unticking one hides it,
    // ticking it shows it again; the last visible one cannot go.
    void headerMenuShowsAndHidesColumns_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<bool>("hiddenBefore");
        QTest::newRow("hide rate") << int(M::Rate) << false;
        QTest::newRow("hide ID") << int(M::Id) << false;
        QTest::newRow("show host") << int(M::Host) << true;
        QTest::newRow("show target") << int(M::Target) << true;
    }
    void headerMenuShowsAndHidesColumns() {
        QFETCH(int, column);
        QFETCH(bool, hiddenBefore);
        QHeaderView *header = m_view->horizontalHeader();
        QCOMPARE(header->contextMenuPolicy(), Qt::CustomContextMenu);
        QCOMPARE(header->isSectionHidden(column), hiddenBefore);
        const QString name = m_view->model()->headerData(column, Qt::Horizontal).toString();
        std::unique_ptr<QMenu> menu(m_view->createColumnMenu(nullptr));
        QAction *action = nullptr;
        for (QAction *a : menu->actions()) {
            if (a->text() == name)
                action = a;
        }
        QVERIFY2(action, qPrintable(name));
        QVERIFY(action->isCheckable());
        QCOMPARE(action->isChecked(), !hiddenBefore);
        action->trigger();
        QCOMPARE(header->isSectionHidden(column), !hiddenBefore);
        // Shown again, it has room to be read.
        if (hiddenBefore)
            QVERIFY(header->sectionSize(column) >= header->minimumSectionSize());
    }

    void lastVisibleColumnStays() {
        QHeaderView *header = m_view->horizontalHeader();
        for (int c = 1; c < M::ColumnCount; ++c)
            header->setSectionHidden(c, true);
        std::unique_ptr<QMenu> menu(m_view->createColumnMenu(nullptr));
        const QList<QAction *> actions = menu->actions();
        QAction *id = actions.value(0);
        QCOMPARE(id->text(), QStringLiteral("ID"));
        QVERIFY(!id->isEnabled());
        // "Reset Columns" brings the first-start layout back.
        QAction *reset = actions.last();
        QVERIFY(reset->text().contains(QLatin1String("Reset")));
        reset->trigger();
        QVERIFY(!header->isSectionHidden(M::Title));
        QVERIFY(header->isSectionHidden(M::Host));
    }

    // Order, widths, hidden columns and the sort column survive a restart.
    void layoutRoundTrips() {
        QHeaderView *header = m_view->horizontalHeader();
        header->moveSection(header->visualIndex(M::State), 0);
        header->resizeSection(M::Title, 321);
        header->setSectionHidden(M::Rate, true);
        header->setSectionHidden(M::Host, false);
        m_view->sortByColumn(M::Title, Qt::AscendingOrder);
        const QByteArray layout = m_view->saveLayout();

        auto restored = makeView();
        QVERIFY(restored->restoreLayout(layout));
        const QHeaderView *h = restored->horizontalHeader();
        QCOMPARE(h->visualIndex(M::State), 0);
        QCOMPARE(h->sectionSize(M::Title), 321);
        QVERIFY(h->isSectionHidden(M::Rate));
        QVERIFY(!h->isSectionHidden(M::Host));
        QCOMPARE(h->sortIndicatorSection(), int(M::Title));
        QCOMPARE(h->sortIndicatorOrder(), Qt::AscendingOrder);
        // The rows follow the restored sort, not only the indicator.
        QCOMPARE(restored->model()->index(0, M::Title).data().toString(), QStringLiteral("job 0"));
    }

    void foreignLayoutsAreIgnored_data() {
        QTest::addColumn<QByteArray>("layout"); // empty: a bare header state
        QTest::newRow("garbage") << QByteArray("not a layout at all");
        QTest::newRow("another version") << QByteArray("\x4b\x57\x54\x39\0\0\0\x0d", 8);
        // What the window saved before the table had its own layout format.
        QTest::newRow("bare header state") << QByteArray();
    }
    void foreignLayoutsAreIgnored() {
        QFETCH(QByteArray, layout);
        if (layout.isEmpty())
            layout = m_view->horizontalHeader()->saveState();
        m_view->horizontalHeader()->resizeSection(M::Title, 333);
        QVERIFY(!m_view->restoreLayout(layout));
        QCOMPARE(m_view->horizontalHeader()->sectionSize(M::Title), 333);
        QCOMPARE(m_view->horizontalHeader()->sortIndicatorSection(), int(M::Started));
    }
};

KW_TEST_MAIN(TestSessionTableView)
#include "tst_sessiontableview.moc"
