// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "loglinedelegate.h"
#include "loglineview.h"
#include "logpane.h"
#include "logtextsaver.h"
#include "models/logmodel.h"
#include "store/sessionstore.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
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

QList<int> selectedRows(const LogPane &pane) {
    QList<int> rows;
    const QModelIndexList selected = pane.view()->selectionModel()->selectedRows();
    for (const QModelIndex &index : selected)
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    return rows;
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
        // Shortcuts (F3, Ctrl+C) go to the active window only.
        m_pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_pane.get()));
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
    QCheckBox *onlyMatching() const {
        return m_pane->findChild<QCheckBox *>(QStringLiteral("logOnlyMatching"));
    }
    QLabel *counter() const {
        return m_pane->findChild<QLabel *>(QStringLiteral("logMatchCounter"));
    }
    int currentRow() const {
        const QModelIndex current = m_pane->view()->currentIndex();
        return current.isValid() ? current.row() : -1;
    }
    // Types a search and waits for it to apply (after the debounce).
    void search(const QString &text) {
        QSignalSpy applied(m_pane->model(), &LogModel::matchesChanged);
        searchField()->clear();
        QTest::keyClicks(searchField(), text);
        QVERIFY(applied.wait());
        QCOMPARE(m_pane->model()->hasSearch(), !text.isEmpty());
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

    void onlyMatchingFilters_data() {
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

    void onlyMatchingFilters() {
        QFETCH(QString, text);
        QFETCH(bool, regex);
        QFETCH(QStringList, expected);
        showPane(12);
        QTest::mouseClick(onlyMatching(), Qt::LeftButton);
        QVERIFY(onlyMatching()->isChecked());
        if (regex)
            regexBox()->setChecked(true);
        QTest::keyClicks(searchField(), text);
        // Debounced: nothing is filtered while the user is still typing...
        QCOMPARE(m_pane->view()->model()->rowCount(), 12);
        // ...and the filter applies shortly after.
        QTRY_COMPARE(shownMessages(*m_pane), expected);
        QCOMPARE(searchField()->property("invalid").toBool(), false);
        // Unticked, every line is back (the matches stay marked).
        QTest::mouseClick(onlyMatching(), Qt::LeftButton);
        QCOMPARE(m_pane->view()->model()->rowCount(), 12);
        QCOMPARE(m_pane->model()->matchCount(), expected.size());
    }

    // By default a search hides nothing: it marks the matches, counts them,
    // and the delegate paints a highlight behind exactly the matched text.
    void searchHighlightsMatches() {
        showPane(12);
        search(QStringLiteral("LINE 1"));
        QCOMPARE(m_pane->view()->model()->rowCount(), 12);
        QCOMPARE(counter()->text(), QStringLiteral("4 matches"));
        QCOMPARE(m_pane->matchCounterText(), QStringLiteral("4 matches"));

        // Nothing selected, so nothing is painted as selected.
        QTableView *view = m_pane->view();
        view->selectionModel()->clear();
        view->scrollToTop();
        QTRY_COMPARE(view->visualRect(view->model()->index(0, 0)).top(), 0);
        const QImage image = view->viewport()->grab().toImage();
        const QColor highlight = LogLineDelegate::matchColor(view->palette());
        auto highlighted = [&](const QRect &rect) {
            int hits = 0;
            for (int y = rect.top(); y <= rect.bottom(); ++y)
                for (int x = rect.left(); x <= rect.right(); ++x)
                    hits += QColor(image.pixel(x, y)) == highlight ? 1 : 0;
            return hits;
        };
        QStyleOptionViewItem option;
        option.initFrom(view);
        option.font = view->font();
        option.fontMetrics = QFontMetrics(view->font());
        for (int row = 0; row < 4; ++row) {
            const QModelIndex index = view->model()->index(row, 0);
            option.rect = view->visualRect(index);
            const QList<QRect> rects = LogLineDelegate::matchRects(option, index);
            const bool match = row == 0; // lines 2-4 do not contain "line 1"
            QCOMPARE(rects.size(), match ? 1 : 0);
            if (match) {
                // "line 1" starts the message: the highlight is as wide as
                // those six characters...
                QCOMPARE(rects[0].width(),
                         option.fontMetrics.horizontalAdvance(QStringLiteral("line 1")));
                // ...and mostly highlight colour (the glyphs cover the rest)...
                const int area = rects[0].width() * rects[0].height();
                const int hits = highlighted(rects[0]);
                QVERIFY2(hits > area / 2,
                         qPrintable(QStringLiteral("%1 of %2").arg(hits).arg(area)));
            } else {
                // ...with not a pixel of it on the lines that do not match.
                QCOMPARE(highlighted(option.rect), 0);
            }
        }
        // "line 10" matches too.
        option.rect = view->visualRect(view->model()->index(9, 0));
        QCOMPARE(LogLineDelegate::matchRects(option, view->model()->index(9, 0)).size(), 1);

        // Clearing the search clears the marks.
        search(QString());
        QCOMPARE(counter()->text(), QString());
        option.rect = view->visualRect(view->model()->index(0, 0));
        QVERIFY(LogLineDelegate::matchRects(option, view->model()->index(0, 0)).isEmpty());
    }

    // Search All Logs opens a pane at the line it found: the line by its
    // number, or by its text when the pane numbers its lines differently
    // (it holds only the newest of a longer log), shown even with its level
    // hidden, the match searched for; a line the pane does not hold is said.
    void revealLine_data() {
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("match");
        QTest::addColumn<int>("row"); // -1: not held
        QTest::newRow("by its number") << qint64(24) << QStringLiteral("line 25 of the log")
                                       << QStringLiteral("line 25") << 24;
        QTest::newRow("by its text") << qint64(999) << QStringLiteral("line 30 of the log")
                                     << QStringLiteral("line 30") << 29;
        QTest::newRow("not held") << qint64(5) << QStringLiteral("line 999 of the log")
                                  << QStringLiteral("line 999") << -1;
    }
    void revealLine() {
        QFETCH(qint64, seq);
        QFETCH(QString, line);
        QFETCH(QString, match);
        QFETCH(int, row);
        showPane(40);
        m_pane->findChild<QToolButton *>(QStringLiteral("levelinfo"))->setChecked(false);
        m_pane->revealLine(seq, line, match);
        QVERIFY(!m_pane->isRevealPending());
        QCOMPARE(searchField()->text(), match);
        QVERIFY(m_pane->findChild<QToolButton *>(QStringLiteral("levelinfo"))->isChecked());
        QCOMPARE(currentRow(), row);
        if (row < 0) {
            QVERIFY(m_pane->messageIsError());
            QVERIFY2(m_pane->messageText().contains(QLatin1String("not among the 40 lines")),
                     qPrintable(m_pane->messageText()));
            return;
        }
        QCOMPARE(selectedRows(*m_pane), QList<int>{row});
        QCOMPARE(m_pane->view()->currentIndex().data(LogModel::MessageRole).toString(), line);
        QVERIFY(m_pane->view()->viewport()->rect().contains(
            m_pane->view()->visualRect(m_pane->view()->currentIndex()).center()));
        QCOMPARE(counter()->text(), QStringLiteral("1 of 1"));
    }

    void nextAndPreviousWrapAround() {
        showPane(40);
        search(QStringLiteral("line 2"));
        // line 2, 20..29: eleven matches, at rows 1 and 19..28.
        QCOMPARE(counter()->text(), QStringLiteral("11 matches"));
        QTableView *view = m_pane->view();
        view->setFocus();

        // F3 with nothing selected: the first match.
        QTest::keyClick(view, Qt::Key_F3);
        QCOMPARE(currentRow(), 1);
        QCOMPARE(selectedRows(*m_pane), QList<int>{1});
        QCOMPARE(counter()->text(), QStringLiteral("1 of 11"));
        QTest::keyClick(view, Qt::Key_F3);
        QCOMPARE(currentRow(), 19);
        QCOMPARE(counter()->text(), QStringLiteral("2 of 11"));
        // The match is scrolled into view.
        QVERIFY(view->viewport()->rect().contains(
            view->visualRect(view->model()->index(19, 0)).center()));

        // Shift+F3 goes back, and wraps from the first to the last.
        QTest::keyClick(view, Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(currentRow(), 1);
        QVERIFY(!m_pane->searchWrapped());
        QTest::keyClick(view, Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(currentRow(), 28);
        QVERIFY(m_pane->searchWrapped());
        QCOMPARE(counter()->text(), QStringLiteral("11 of 11 (wrapped)"));
        QCOMPARE(m_pane->matchCounterText(), QStringLiteral("11 of 11"));
        // F3 from the last wraps to the first.
        QTest::keyClick(view, Qt::Key_F3);
        QCOMPARE(currentRow(), 1);
        QVERIFY(m_pane->searchWrapped());

        // Enter and Shift+Enter in the search field do the same.
        QTest::keyClick(searchField(), Qt::Key_Return);
        QCOMPARE(currentRow(), 19);
        QCOMPARE(counter()->text(), QStringLiteral("2 of 11"));
        QTest::keyClick(searchField(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(currentRow(), 1);
        QTest::keyClick(searchField(), Qt::Key_Enter);
        QCOMPARE(currentRow(), 19);

        // The arrow buttons too.
        QTest::mouseClick(m_pane->findChild<QToolButton *>(QStringLiteral("logFindNext")),
                          Qt::LeftButton);
        QCOMPARE(currentRow(), 20);
        QTest::mouseClick(m_pane->findChild<QToolButton *>(QStringLiteral("logFindPrevious")),
                          Qt::LeftButton);
        QCOMPARE(currentRow(), 19);

        // A row the user picks that does not match: counted, not numbered;
        // the next step goes on from there.
        view->selectionModel()->setCurrentIndex(view->model()->index(10, 0),
                                                QItemSelectionModel::ClearAndSelect);
        QCOMPARE(counter()->text(), QStringLiteral("11 matches"));
        QTest::keyClick(view, Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(currentRow(), 1);
    }

    // Enter right after typing searches for what was typed, without waiting
    // for the debounce.
    void enterSearchesAtOnce() {
        showPane(30);
        QTest::keyClicks(searchField(), QStringLiteral("line 7 "));
        QVERIFY(!m_pane->model()->hasSearch()); // still debouncing
        QTest::keyClick(searchField(), Qt::Key_Return);
        QCOMPARE(currentRow(), 6);
        QCOMPARE(counter()->text(), QStringLiteral("1 of 1"));
        // Again: the only match, wrapped onto itself.
        QTest::keyClick(searchField(), Qt::Key_Return);
        QCOMPARE(currentRow(), 6);
        QCOMPARE(counter()->text(), QStringLiteral("1 of 1 (wrapped)"));

        search(QStringLiteral("no such line"));
        QCOMPARE(counter()->text(), QStringLiteral("No matches"));
        QTest::keyClick(searchField(), Qt::Key_Return);
        QCOMPARE(currentRow(), 6); // nowhere to go
        QVERIFY(!m_pane->findChild<QToolButton *>(QStringLiteral("logFindNext"))->isEnabled());
    }

    // Stepping over 100,000+ lines is a binary search over the matches,
    // never a walk over rows: prints what the steps cost.
    void stepsThroughManyLinesQuickly() {
        m_store->setMaxLogLines(150000);
        m_store->apply(spoolBatch({startEvent(kId, 1000)}));
        for (int i = 0; i < 150000; i += 30000)
            m_store->apply(spoolBatch(lines(1 + i, 30000)));
        m_pane = std::make_unique<LogPane>(m_store.get(), kKey);
        m_pane->resize(700, 300);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
        QCOMPARE(m_pane->view()->model()->rowCount(), 150000);
        QElapsedTimer timer;
        timer.start();
        search(QStringLiteral("line 1204"));
        // line 1204, 12040..12049, 120400..120499
        QCOMPARE(counter()->text(), QStringLiteral("111 matches"));
        timer.restart();
        for (int i = 0; i < 300; ++i)
            m_pane->findNext();
        const qint64 ms = timer.elapsed();
        QCOMPARE(counter()->text(), QStringLiteral("78 of 111")); // 300 = 2 * 111 + 78
        QCOMPARE(m_pane->view()->currentIndex().data(LogModel::MessageRole).toString(),
                 QStringLiteral("line 120466 of the log"));
        qInfo("150,000 lines: 300 steps (select, scroll, count) in %lld ms", ms);
    }

    void invalidRegexKeepsLastFilter() {
        showPane(12);
        onlyMatching()->setChecked(true);
        regexBox()->setChecked(true);
        QTest::keyClicks(searchField(), QStringLiteral("line 1[01]"));
        QTest::keyClick(searchField(), Qt::Key_Return); // apply now
        QCOMPARE(m_pane->view()->model()->rowCount(), 2);
        QCOMPARE(counter()->text(), QStringLiteral("1 of 2"));

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

    // Reading a match is reading: new lines do not pull the view away.
    void steppingToAMatchPausesFollow() {
        showPane(100);
        QTRY_VERIFY(lastRowVisible(*m_pane) && scrollBar()->maximum() > 0);
        search(QStringLiteral("line 5 "));
        m_pane->findNext();
        QCOMPARE(currentRow(), 4);
        const int value = scrollBar()->value();
        m_store->apply(spoolBatch(lines(101, 50)));
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(scrollBar()->value(), value);
        QCOMPARE(currentRow(), 4);
        QVERIFY(follow()->isChecked());
        // End: back at the bottom, following again.
        m_pane->view()->setFocus();
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
        QTableView *view = m_pane->view();
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

    // A range picked with the keyboard (Shift+Down), copied with its times
    // and levels, in order.
    void copiesAKeyboardSelection() {
        showPane(12);
        QTableView *view = m_pane->view();
        view->setFocus();
        view->selectionModel()->setCurrentIndex(view->model()->index(8, 0),
                                                QItemSelectionModel::ClearAndSelect);
        QTest::keyClick(view, Qt::Key_Down, Qt::ShiftModifier);
        QTest::keyClick(view, Qt::Key_Down, Qt::ShiftModifier);
        QCOMPARE(selectedRows(*m_pane), QList<int>({8, 9, 10}));
        QApplication::clipboard()->clear();
        QTest::keyClick(view, Qt::Key_C, Qt::ControlModifier);
        const QStringList copied =
            QApplication::clipboard()->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(copied.size(), 3);
        const QString time = QDateTime::fromMSecsSinceEpoch(1010).toLocalTime().toString(
            QStringLiteral("HH:mm:ss.zzz"));
        QCOMPARE(copied[1], QStringLiteral("%1 ERROR   line 10 of the log").arg(time));
        QVERIFY(copied[0].endsWith(QLatin1String("line 9 of the log")));
        QVERIFY(copied[2].contains(QLatin1String("INFO")));
        QVERIFY(copied[2].endsWith(QLatin1String("line 11 of the log")));
    }

    // The keys of a list, not of a table: Home and End go to the first and
    // the last line (scrolled into view), Shift extends the selection, Page
    // keys move by a page, and every row is one line high.
    void keysMoveThroughTheLines() {
        showPane(200);
        QTableView *view = m_pane->view();
        view->setFocus();
        QTest::keyClick(view, Qt::Key_Home);
        QCOMPARE(currentRow(), 0);
        QTRY_COMPARE(view->visualRect(view->model()->index(0, 0)).top(), 0);
        QTest::keyClick(view, Qt::Key_End);
        QCOMPARE(currentRow(), 199);
        QTRY_VERIFY(lastRowVisible(*m_pane));
        QTest::keyClick(view, Qt::Key_PageUp);
        const int pageUp = currentRow();
        QVERIFY2(pageUp < 199 && pageUp > 150, qPrintable(QString::number(pageUp)));
        QTest::keyClick(view, Qt::Key_Home, Qt::ShiftModifier);
        QCOMPARE(selectedRows(*m_pane).size(), pageUp + 1);
        const int lineHeight = QFontMetrics(view->font()).height() + 2;
        QCOMPARE(view->visualRect(view->model()->index(5, 0)).height(), lineHeight);
        QCOMPARE(view->visualRect(view->model()->index(5, 0)).width(), view->viewport()->width());
    }

    // Save as text writes the shown lines (the level filter and "only
    // matching" apply), each with date, time and level.
    void savesShownLinesAsText() {
        showPane(20);
        m_pane->findChild<QToolButton *>(QStringLiteral("levelinfo"))->click();
        QCOMPARE(m_pane->view()->model()->rowCount(), 6); // 4, 8, 10, 12, 16, 20
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("saved.log"));
        QSignalSpy finished(m_pane->saver(), &LogTextSaver::finished);
        m_pane->saveAsText(path);
        QVERIFY(finished.wait());
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(finished.at(0).at(1).toLongLong(), 6);
        QVERIFY2(m_pane->messageText().startsWith(QLatin1String("Saved 6 lines to")),
                 qPrintable(m_pane->messageText()));
        QVERIFY(!m_pane->messageIsError());

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray content = file.readAll();
        QByteArray expected;
        for (int i : {4, 8, 10, 12, 16, 20}) {
            const QByteArray level = i % 10 == 0 ? "ERROR  " : "WARNING";
            expected += QDateTime::fromMSecsSinceEpoch(1000 + i)
                            .toLocalTime()
                            .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"))
                            .toLatin1()
                        + ' ' + level + " line " + QByteArray::number(i) + " of the log\n";
        }
        QCOMPARE(content, expected);

        // With "only matching" on, only the matches.
        onlyMatching()->setChecked(true);
        search(QStringLiteral("line 1"));
        QCOMPARE(m_pane->view()->model()->rowCount(), 3); // 10, 12, 16
        m_pane->saveAsText(path);
        QVERIFY(finished.wait());
        QFile again(path);
        QVERIFY(again.open(QIODevice::ReadOnly));
        const QList<QByteArray> saved = again.readAll().split('\n');
        QCOMPARE(saved.size(), 4); // three lines and the empty rest
        QVERIFY(saved[0].endsWith(" ERROR   line 10 of the log"));
        QVERIFY(saved[2].endsWith(" WARNING line 16 of the log"));
    }

    // 100,000 lines: the window only copies them (timed and printed); the
    // worker formats and writes while the event loop keeps running.
    void savesManyLinesWithoutBlocking() {
        m_store->setMaxLogLines(100000);
        m_store->apply(spoolBatch({startEvent(kId, 1000)}));
        for (int i = 0; i < 100000; i += 25000)
            m_store->apply(spoolBatch(lines(1 + i, 25000)));
        m_pane = std::make_unique<LogPane>(m_store.get(), kKey);
        m_pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.log"));
        QSignalSpy finished(m_pane->saver(), &LogTextSaver::finished);

        // The longest gap between event-loop passes while the file is written.
        qint64 longestGap = 0;
        QElapsedTimer sinceLast;
        QTimer ticker;
        ticker.setInterval(0);
        connect(&ticker, &QTimer::timeout, this,
                [&] { longestGap = qMax(longestGap, sinceLast.restart()); });
        QElapsedTimer timer;
        timer.start();
        m_pane->saveAsText(path);
        const qint64 startMs = timer.elapsed();
        QVERIFY(m_pane->saver()->isRunning());
        QCOMPARE(finished.count(), 0); // the writing is not on this thread
        sinceLast.start();
        ticker.start();
        QVERIFY(finished.wait(30000));
        ticker.stop();
        const qint64 totalMs = timer.elapsed();
        QVERIFY(finished.at(0).at(0).toBool());
        QCOMPARE(finished.at(0).at(1).toLongLong(), 100000);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        int count = 0;
        QByteArray last;
        while (!file.atEnd()) {
            last = file.readLine();
            ++count;
        }
        QCOMPARE(count, 100000);
        QVERIFY(last.endsWith(" line 100000 of the log\n"));
        qInfo("saving 100,000 lines: %lld ms on the GUI thread (copy), %lld ms in all, "
              "longest event-loop gap meanwhile %lld ms",
              startMs, totalMs, longestGap);
    }

    void saveErrorsAreShown() {
        showPane(5);
        QTemporaryDir dir;
        // A directory that does not exist (an unwritable one would do too,
        // but tests may run as root).
        const QString path = dir.filePath(QStringLiteral("gone/saved.log"));
        QSignalSpy finished(m_pane->saver(), &LogTextSaver::finished);
        m_pane->saveAsText(path);
        QVERIFY(finished.wait());
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY(m_pane->messageIsError());
        const QString message = m_pane->messageText();
        QVERIFY2(message.startsWith(QLatin1String("Cannot write ")) && message.contains(path),
                 qPrintable(message));
        QVERIFY(!QFile::exists(path));
        auto *bar = m_pane->findChild<QWidget *>(QStringLiteral("logMessageBar"));
        QVERIFY(bar->isVisible());
        // The user dismisses it.
        QTest::mouseClick(m_pane->findChild<QToolButton *>(QStringLiteral("logMessageClose")),
                          Qt::LeftButton);
        QVERIFY(!bar->isVisible());
        QCOMPARE(m_pane->messageText(), QString());
        // Saving works again afterwards.
        m_pane->saveAsText(dir.filePath(QStringLiteral("saved.log")));
        QVERIFY(finished.wait());
        QVERIFY(finished.at(1).at(0).toBool());
    }
};

KW_TEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
