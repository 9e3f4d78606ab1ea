// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "icons.h"
#include "models/sessionfilterproxy.h"
#include "models/sessiontablemodel.h"
#include "sessiondecorationproxy.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace kw;
using namespace kw::test;

namespace {

QString sessionId(SessionState state) {
    return QLatin1String("s-") + wireName(state);
}

// One session in every state.
void fillEveryState(SessionStore &store) {
    QList<Event> events;
    for (int i = 0; i < int(SessionState::Count); ++i) {
        const auto state = SessionState(i);
        const QString id = sessionId(state);
        events << startEvent(id, 1000 + i);
        if (isTerminal(state))
            events << endEvent(id, 2000 + i, state, state == SessionState::Succeeded ? 0 : 1);
        else if (state != SessionState::Running)
            events << stateEvent(id, 2000 + i, state);
    }
    store.apply(spoolBatch(events));
}

// What the table shows per row: ID, state, whether an icon is drawn in the
// State column (and only there), and the row's background.
QString dump(const QAbstractItemModel &model) {
    QStringList rows;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QModelIndex state = model.index(r, SessionTableModel::State);
        const QModelIndex title = model.index(r, SessionTableModel::Title);
        const QVariant background = title.data(Qt::BackgroundRole);
        rows << QStringLiteral("%1 | %2 | icon=%3 | titleIcon=%4 | tint=%5")
                    .arg(model.index(r, SessionTableModel::Id).data().toString(),
                         state.data().toString(),
                         state.data(Qt::DecorationRole).value<QIcon>().isNull()
                             ? QLatin1String("no")
                             : QLatin1String("yes"),
                         title.data(Qt::DecorationRole).isValid() ? QLatin1String("yes")
                                                                  : QLatin1String("no"),
                         background.isValid() ? QLatin1String("yes") : QLatin1String("no"));
    }
    return rows.join(QLatin1Char('\n'));
}

QPalette palette(const QColor &base, const QColor &text) {
    QPalette p;
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::Text, text);
    return p;
}

double contrast(const QColor &a, const QColor &b) {
    const auto luminance = [](const QColor &c) {
        const auto channel = [](double v) {
            return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
               + 0.0722 * channel(c.blueF());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

} // namespace

class TestSessionDecorationProxy final : public QObject {
    Q_OBJECT

private slots:
    void decoratesUnderModelTester() {
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy filter(&model);
        SessionDecorationProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&filter);
        filter.sort(SessionTableModel::Id);
        fillEveryState(store);
        QCOMPARE(proxy.rowCount(), int(SessionState::Count));
        QCOMPARE(dump(proxy),
                 QStringLiteral("s-cancelled | cancelled | icon=yes | titleIcon=no | tint=no\n"
                                "s-cancelling | cancelling | icon=yes | titleIcon=no | tint=no\n"
                                "s-exited | exited | icon=yes | titleIcon=no | tint=no\n"
                                "s-failed | failed | icon=yes | titleIcon=no | tint=yes\n"
                                "s-interrupted | interrupted | icon=yes | titleIcon=no | tint=yes\n"
                                "s-queued | queued | icon=yes | titleIcon=no | tint=no\n"
                                "s-running | running | icon=yes | titleIcon=no | tint=no\n"
                                "s-stalled | stalled | icon=yes | titleIcon=no | tint=yes\n"
                                "s-starting | starting | icon=yes | titleIcon=no | tint=no\n"
                                "s-succeeded | succeeded | icon=yes | titleIcon=no | tint=no\n"
                                "s-warning | warning | icon=yes | titleIcon=no | tint=yes"));

        // Filtering, new rows and state changes go through the proxy intact.
        SessionFilter problems;
        problems.setStates({SessionState::Failed, SessionState::Stalled});
        filter.setFilter(problems);
        QCOMPARE(proxy.rowCount(), 2);
        store.apply(spoolBatch({startEvent(QStringLiteral("s-new"), 5000),
                                stateEvent(QStringLiteral("s-new"), 5001, SessionState::Stalled)}));
        QCOMPARE(proxy.rowCount(), 3);
        store.apply(
            spoolBatch({progressEvent(QStringLiteral("s-new"), 5002, 50)})); // running again
        QCOMPARE(proxy.rowCount(), 2);
        filter.setFilter({});
        QCOMPARE(proxy.rowCount(), int(SessionState::Count) + 1);
    }

    // The icon in the State column is the state's own icon.
    void iconMatchesState() {
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy filter(&model);
        SessionDecorationProxy proxy;
        proxy.setSourceModel(&filter);
        fillEveryState(store);
        for (int r = 0; r < proxy.rowCount(); ++r) {
            const QModelIndex index = proxy.index(r, SessionTableModel::State);
            const auto state = SessionState(index.data(SessionTableModel::StateRole).toInt());
            const QImage shown = index.data(Qt::DecorationRole).value<QIcon>().pixmap(16).toImage();
            const QImage expected = Icons::state(state).pixmap(16).toImage();
            QCOMPARE(shown, expected);
        }
    }

    void tintIsReadable_data() {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<SessionState>("state");
        const QPalette light = palette(Qt::white, Qt::black);
        const QPalette dark = palette(QColor(0x23, 0x26, 0x29), QColor(0xef, 0xf0, 0xf1));
        for (const auto state : {SessionState::Failed, SessionState::Interrupted,
                                 SessionState::Stalled, SessionState::Warning}) {
            QTest::addRow("light %s", wireName(state).latin1()) << light << state;
            QTest::addRow("dark %s", wireName(state).latin1()) << dark << state;
        }
    }

    // Problem rows stand out from the base, and their text stays readable
    // (WCAG AA contrast, 4.5:1) in light and dark palettes.
    void tintIsReadable() {
        QFETCH(QPalette, palette);
        QFETCH(SessionState, state);
        const QColor tint = SessionDecorationProxy::tint(state, palette);
        QVERIFY(tint.isValid());
        const QColor base = palette.color(QPalette::Base);
        QVERIFY2(contrast(tint, base) > 1.1, "the tint does not stand out");
        QVERIFY2(contrast(tint, palette.color(QPalette::Text)) >= 4.5, "text is hard to read");
        QVERIFY(!SessionDecorationProxy::tint(SessionState::Succeeded, palette).isValid());
    }

    // Failed, stalled and interrupted each look different from one another
    // (not only from a healthy row), in light and dark palettes.
    void problemTintsDiffer_data() {
        QTest::addColumn<QPalette>("palette");
        QTest::newRow("light") << palette(Qt::white, Qt::black);
        QTest::newRow("dark") << palette(QColor(0x23, 0x26, 0x29), QColor(0xef, 0xf0, 0xf1));
    }
    void problemTintsDiffer() {
        QFETCH(QPalette, palette);
        const SessionState states[] = {SessionState::Failed, SessionState::Stalled,
                                       SessionState::Interrupted};
        for (const SessionState a : states) {
            for (const SessionState b : states) {
                if (a == b)
                    continue;
                const QColor ta = SessionDecorationProxy::tint(a, palette);
                const QColor tb = SessionDecorationProxy::tint(b, palette);
                const int distance = qAbs(ta.red() - tb.red()) + qAbs(ta.green() - tb.green())
                                     + qAbs(ta.blue() - tb.blue());
                QVERIFY2(distance >= 24, qPrintable(QStringLiteral("%1 and %2: %3")
                                                        .arg(wireName(a), wireName(b))
                                                        .arg(distance)));
            }
        }
    }

    // What the user sees: in a real table, painted by the style, a problem
    // row's cells carry its tint and a healthy row's do not, in light and
    // dark palettes.
    void problemRowsStandOutOnScreen_data() {
        QTest::addColumn<QPalette>("palette");
        QTest::addColumn<SessionState>("state");
        QPalette light = palette(Qt::white, Qt::black);
        light.setColor(QPalette::AlternateBase, QColor(0xf4, 0xf4, 0xf4));
        QPalette dark = palette(QColor(0x23, 0x26, 0x29), QColor(0xef, 0xf0, 0xf1));
        dark.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2e, 0x32));
        dark.setColor(QPalette::Window, QColor(0x31, 0x36, 0x3b));
        for (const auto state :
             {SessionState::Failed, SessionState::Stalled, SessionState::Interrupted}) {
            QTest::addRow("light %s", wireName(state).latin1()) << light << state;
            QTest::addRow("dark %s", wireName(state).latin1()) << dark << state;
        }
    }
    void problemRowsStandOutOnScreen() {
        QFETCH(QPalette, palette);
        QFETCH(SessionState, state);
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy filter(&model);
        SessionDecorationProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&filter);
        filter.sort(SessionTableModel::Id);
        fillEveryState(store);
        proxy.setPalette(palette);
        QTableView view;
        view.setPalette(palette);
        view.setAlternatingRowColors(true);
        view.setShowGrid(false);
        view.setModel(&proxy);
        view.resize(900, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.viewport()->grab().toImage();
        // A pixel near the right end of the title cell, clear of its text.
        const auto backgroundOf = [&](SessionState s) {
            for (int r = 0; r < proxy.rowCount(); ++r) {
                const QModelIndex index = proxy.index(r, SessionTableModel::Title);
                if (index.data(SessionTableModel::StateRole).toInt() == int(s)) {
                    const QRect cell = view.visualRect(index);
                    return QColor(image.pixel(cell.right() - 3, cell.center().y()));
                }
            }
            return QColor();
        };
        const QColor problem = backgroundOf(state);
        QCOMPARE(problem, SessionDecorationProxy::tint(state, palette));
        for (const auto healthy : {SessionState::Succeeded, SessionState::Running}) {
            const QColor plain = backgroundOf(healthy);
            QVERIFY(plain == palette.color(QPalette::Base)
                    || plain == palette.color(QPalette::AlternateBase));
            QVERIFY(plain != problem);
        }
    }

    void paletteChangeRepaints() {
        SessionStore store;
        SessionTableModel model(&store);
        SessionFilterProxy filter(&model);
        SessionDecorationProxy proxy;
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setSourceModel(&filter);
        fillEveryState(store);
        const QPalette dark = palette(QColor(0x23, 0x26, 0x29), QColor(0xef, 0xf0, 0xf1));
        QSignalSpy changed(&proxy, &QAbstractItemModel::dataChanged);
        proxy.setPalette(dark);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(2).value<QList<int>>(), QList<int>{Qt::BackgroundRole});
        const int failedRow = [&] {
            for (int r = 0; r < proxy.rowCount(); ++r) {
                if (proxy.index(r, 0).data(SessionTableModel::StateRole).toInt()
                    == int(SessionState::Failed))
                    return r;
            }
            return -1;
        }();
        QVERIFY(failedRow >= 0);
        QCOMPARE(proxy.index(failedRow, SessionTableModel::Title)
                     .data(Qt::BackgroundRole)
                     .value<QBrush>()
                     .color(),
                 SessionDecorationProxy::tint(SessionState::Failed, dark));
    }
};

KW_TEST_MAIN(TestSessionDecorationProxy)
#include "tst_sessiondecorationproxy.moc"
