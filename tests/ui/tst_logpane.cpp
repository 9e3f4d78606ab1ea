#include "logpane.h"
#include "models/logmodel.h"
#include "store/sessionstore.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QScrollBar>
#include <QTest>
#include <QToolButton>

using namespace kw;
using namespace kw::test;

namespace {

const QString kId = QStringLiteral("log-session");
const SessionKey kKey{QStringLiteral("spool"), kId};

// `count` lines, every fourth a warning and every tenth an error.
QList<Event> lines(int first, int count) {
    QList<Event> events;
    for (int i = first; i < first + count; ++i) {
        const LogLevel level = i % 10 == 0  ? LogLevel::Error
                               : i % 4 == 0 ? LogLevel::Warning
                                            : LogLevel::Info;
        events << logEvent(kId, 1000 + i, "line " + QByteArray::number(i) + " of the log", level);
    }
    return events;
}

QStringList shownMessages(const LogPane &pane) {
    QStringList out;
    const QAbstractItemModel *model = pane.view()->model();
    for (int r = 0; r < model->rowCount(); ++r)
        out << model->index(r, 0).data(LogModel::MessageRole).toString();
    return out;
}

bool lastRowVisible(const LogPane &pane) {
    const QAbstractItemModel *model = pane.view()->model();
    if (model->rowCount() == 0)
        return true;
    const QRect last = pane.view()->visualRect(model->index(model->rowCount() - 1, 0));
    return pane.view()->viewport()->rect().contains(last.center());
}

} // namespace

class TestLogPane final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<SessionStore> m_store;
    std::unique_ptr<LogPane> m_pane;

    void showPane(int lineCount) {
        m_store->apply(spoolBatch(QList<Event>{startEvent(kId, 1000)} + lines(1, lineCount)));
        m_pane = std::make_unique<LogPane>(m_store.get(), kKey);
        // Small enough that 40+ lines need scrolling.
        m_pane->resize(700, 300);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    }
    QLineEdit *searchField() const {
        return m_pane->findChild<QLineEdit *>(QStringLiteral("logSearch"));
    }
    QCheckBox *regexBox() const {
        return m_pane->findChild<QCheckBox *>(QStringLiteral("logRegex"));
    }
    QCheckBox *follow() const {
        return m_pane->findChild<QCheckBox *>(QStringLiteral("logFollow"));
    }
    QScrollBar *scrollBar() const { return m_pane->view()->verticalScrollBar(); }

private slots:
    void init() { m_store = std::make_unique<SessionStore>(); }
    void cleanup() {
        m_pane.reset();
        m_store.reset();
    }

    void showsLinesUnderModelTester() {
        showPane(5);
        QAbstractItemModelTester tester(m_pane->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(
            shownMessages(*m_pane),
            QStringList({QStringLiteral("line 1 of the log"), QStringLiteral("line 2 of the log"),
                         QStringLiteral("line 3 of the log"), QStringLiteral("line 4 of the log"),
                         QStringLiteral("line 5 of the log")}));
        QCOMPARE(m_pane->statusText(), QStringLiteral("5 lines shown of 5"));
        m_store->apply(spoolBatch(lines(6, 2)));
        QCOMPARE(m_pane->view()->model()->rowCount(), 7);
        QCOMPARE(m_pane->statusText(), QStringLiteral("7 lines shown of 7"));
    }

    void levelToggles_data() {
        QTest::addColumn<QStringList>("hidden");
        QTest::addColumn<int>("shown");
        // 20 lines: errors at 10, 20; warnings at 4, 8, 12, 16; the rest info.
        QTest::newRow("all") << QStringList() << 20;
        QTest::newRow("no info") << QStringList{QStringLiteral("Info")} << 6;
        QTest::newRow("errors only")
            << QStringList{QStringLiteral("Info"), QStringLiteral("Warning")} << 2;
        QTest::newRow("nothing") << QStringList{QStringLiteral("Debug"), QStringLiteral("Info"),
                                                QStringLiteral("Warning"), QStringLiteral("Error")}
                                 << 0;
    }

    void levelToggles() {
        QFETCH(QStringList, hidden);
        QFETCH(int, shown);
        showPane(20);
        for (const QString &level : std::as_const(hidden)) {
            auto *button =
                m_pane->findChild<QToolButton *>(QLatin1String("level") + level.toLower());
            QVERIFY2(button, qPrintable(level));
            QVERIFY(button->isChecked());
            QTest::mouseClick(button, Qt::LeftButton);
            QVERIFY(!button->isChecked());
        }
        QCOMPARE(m_pane->view()->model()->rowCount(), shown);
        QCOMPARE(m_pane->statusText(), shown == 1
                                           ? QStringLiteral("1 line shown of 20")
                                           : QStringLiteral("%1 lines shown of 20").arg(shown));
    }

    void search_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("regex");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("substring") << QStringLiteral("line 1") << false
                                   << QStringList{QStringLiteral("line 1 of the log"),
                                                  QStringLiteral("line 10 of the log"),
                                                  QStringLiteral("line 11 of the log"),
                                                  QStringLiteral("line 12 of the log")};
        QTest::newRow("case-insensitive") << QStringLiteral("LINE 12") << false
                                          << QStringList{QStringLiteral("line 12 of the log")};
        QTest::newRow("regex chars are literal without regex")
            << QStringLiteral("line 1.") << false << QStringList();
        QTest::newRow("regex") << QStringLiteral("^line (3|11) ") << true
                               << QStringList{QStringLiteral("line 3 of the log"),
                                              QStringLiteral("line 11 of the log")};
    }

    void search() {
        QFETCH(QString, text);
        QFETCH(bool, regex);
        QFETCH(QStringList, expected);
        showPane(12);
        if (regex)
            regexBox()->setChecked(true);
        QTest::keyClicks(searchField(), text);
        // Debounced: nothing is filtered while the user is still typing...
        QCOMPARE(m_pane->view()->model()->rowCount(), 12);
        // ...and the filter applies shortly after.
        QTRY_COMPARE(shownMessages(*m_pane), expected);
        QCOMPARE(searchField()->property("invalid").toBool(), false);
    }

    void invalidRegexKeepsLastFilter() {
        showPane(12);
        regexBox()->setChecked(true);
        QTest::keyClicks(searchField(), QStringLiteral("line 1[01]"));
        QTest::keyClick(searchField(), Qt::Key_Return); // apply now
        QCOMPARE(m_pane->view()->model()->rowCount(), 2);

        QTest::keyClicks(searchField(), QStringLiteral("(")); // "line 1[01](": unbalanced
        QTRY_VERIFY(searchField()->property("invalid").toBool());
        QVERIFY2(searchField()->toolTip().contains(QLatin1String("Invalid regular expression")),
                 qPrintable(searchField()->toolTip()));
        QVERIFY(searchField()->palette().color(QPalette::Base)
                != m_pane->palette().color(QPalette::Base));
        // The last valid filter still applies.
        QCOMPARE(shownMessages(*m_pane), QStringList({QStringLiteral("line 10 of the log"),
                                                      QStringLiteral("line 11 of the log")}));

        // Fixing it clears the error.
        QTest::keyClick(searchField(), Qt::Key_Backspace);
        QTRY_VERIFY(!searchField()->property("invalid").toBool());
        QVERIFY(searchField()->toolTip().isEmpty());
        QCOMPARE(m_pane->view()->model()->rowCount(), 2);

        // Turning regex off makes the same text a plain substring.
        QTest::keyClicks(searchField(), QStringLiteral("("));
        QTRY_VERIFY(searchField()->property("invalid").toBool());
        regexBox()->setChecked(false);
        QVERIFY(!searchField()->property("invalid").toBool());
        QCOMPARE(m_pane->view()->model()->rowCount(), 0);
    }

    void startsAtTheNewestLine() {
        showPane(200);
        QVERIFY(scrollBar()->maximum() > 0);
        QTRY_VERIFY(lastRowVisible(*m_pane));
    }

    void followsNewLinesAtTheBottom() {
        showPane(100);
        // Laid out and scrolled (isAtBottom() alone is true before layout).
        QTRY_VERIFY(lastRowVisible(*m_pane) && scrollBar()->maximum() > 0);
        for (int round = 0; round < 3; ++round) {
            m_store->apply(spoolBatch(lines(101 + round * 50, 50)));
            QTRY_VERIFY(lastRowVisible(*m_pane));
            QVERIFY(m_pane->isAtBottom());
        }
        QCOMPARE(m_pane->statusText(), QStringLiteral("250 lines shown of 250"));
    }

    void scrollingUpPausesFollow() {
        showPane(100);
        // Laid out and scrolled (isAtBottom() alone is true before layout).
        QTRY_VERIFY(lastRowVisible(*m_pane) && scrollBar()->maximum() > 0);
        // The user scrolls up to read.
        QTest::keyClick(m_pane->view(), Qt::Key_Home);
        QCOMPARE(scrollBar()->value(), 0);
        m_store->apply(spoolBatch(lines(101, 50)));
        QCOMPARE(m_pane->view()->model()->rowCount(), 150);
        // Let any scroll that would have been scheduled run.
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(scrollBar()->value(), 0);
        QVERIFY(!lastRowVisible(*m_pane));
        QVERIFY(follow()->isChecked()); // paused, not switched off

        // Back at the bottom, following resumes.
        QTest::keyClick(m_pane->view(), Qt::Key_End);
        QTRY_VERIFY(m_pane->isAtBottom());
        m_store->apply(spoolBatch(lines(151, 50)));
        QTRY_VERIFY(lastRowVisible(*m_pane));
    }

    void followOffStaysPut() {
        showPane(100);
        // Laid out and scrolled (isAtBottom() alone is true before layout).
        QTRY_VERIFY(lastRowVisible(*m_pane) && scrollBar()->maximum() > 0);
        QTest::mouseClick(follow(), Qt::LeftButton);
        QVERIFY(!follow()->isChecked());
        const int before = scrollBar()->value();
        m_store->apply(spoolBatch(lines(101, 50)));
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(scrollBar()->value(), before);
        QVERIFY(!lastRowVisible(*m_pane));
        // Turning it on jumps to the newest line.
        QTest::mouseClick(follow(), Qt::LeftButton);
        QTRY_VERIFY(lastRowVisible(*m_pane));
    }

    // Many inserts in one event-loop pass scroll once, after the last.
    void scrollIsCoalesced() {
        showPane(100);
        // Laid out and scrolled (isAtBottom() alone is true before layout).
        QTRY_VERIFY(lastRowVisible(*m_pane) && scrollBar()->maximum() > 0);
        int scrolls = 0;
        connect(scrollBar(), &QScrollBar::valueChanged, this, [&scrolls] { ++scrolls; });
        for (int i = 0; i < 20; ++i)
            m_store->apply(spoolBatch(lines(101 + i * 5, 5)));
        QTRY_VERIFY(lastRowVisible(*m_pane));
        QCOMPARE(scrolls, 1);
    }

    void hiddenPaneCatchesUp() {
        showPane(10);
        m_pane->hide();
        QVERIFY(!m_pane->model()->isActive());
        m_store->apply(spoolBatch(lines(11, 30)));
        QCOMPARE(m_pane->view()->model()->rowCount(), 10); // no work while hidden
        m_pane->show();
        QVERIFY(m_pane->model()->isActive());
        QCOMPARE(m_pane->view()->model()->rowCount(), 40);
        QCOMPARE(m_pane->statusText(), QStringLiteral("40 lines shown of 40"));
        QTRY_VERIFY(lastRowVisible(*m_pane));
    }

    void copiesSelectedLines() {
        showPane(5);
        QListView *view = m_pane->view();
        view->setFocus();
        view->selectionModel()->select(view->model()->index(1, 0), QItemSelectionModel::Select);
        view->selectionModel()->select(view->model()->index(3, 0), QItemSelectionModel::Select);
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
        const QString copied = QApplication::clipboard()->text();
        QCOMPARE(copied.count(QLatin1Char('\n')), 2);
        QVERIFY2(copied.contains(QLatin1String("line 2 of the log"))
                     && copied.contains(QLatin1String("line 4 of the log"))
                     && copied.indexOf(QLatin1String("line 2"))
                            < copied.indexOf(QLatin1String("line 4")),
                 qPrintable(copied));
    }
};

QTEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
