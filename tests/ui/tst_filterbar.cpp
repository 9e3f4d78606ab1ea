// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#include "filterbar.h"
#include "testmain.h"
#include "testsupport.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>

using namespace kw;

namespace {

using StateSet = SessionFilter::StateSet;

StateSet states(std::initializer_list<SessionState> list) {
    StateSet set;
    for (const SessionState s : list)
        set.set(size_t(s));
    return set;
}

QStringList itemsOf(const QComboBox *combo) {
    QStringList items;
    for (int i = 0; i < combo->count(); ++i)
        items << combo->itemText(i);
    return items;
}

// 2026-11-25 15:30 local time: "today" began at local midnight.
qint64 afternoonMs() {
    return QDateTime(QDate(2026, 11, 25), QTime(15, 30)).toMSecsSinceEpoch();
}
qint64 midnightMs() {
    return QDateTime(QDate(2026, 11, 25), QTime(0, 0)).toMSecsSinceEpoch();
}

} // namespace

class TestFilterBar final : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<FilterBar> m_bar;

    template<typename T>
    T *child(const char *name) const {
        T *w = m_bar->findChild<T *>(QLatin1String(name));
        if (!w)
            qFatal("no child %s", name);
        return w;
    }
    QLineEdit *text() const { return child<QLineEdit>("sessionFilter"); }
    QComboBox *combo(const char *name) const { return child<QComboBox>(name); }
    // Chooses an entry the way a user does: by its text.
    void choose(const char *comboName, const QString &entry) {
        QComboBox *c = combo(comboName);
        const int index = c->findText(entry);
        QVERIFY2(index >= 0, qPrintable(entry));
        c->setCurrentIndex(index);
    }

private slots:
    void init() {
        m_bar = std::make_unique<FilterBar>();
        m_bar->setClock([] { return afternoonMs(); });
        m_bar->resize(900, 80);
        m_bar->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_bar.get()));
    }
    void cleanup() { m_bar.reset(); }

    // Typing does not refilter on every key; the filter follows once the
    // user pauses, or at once on Enter.
    void textIsDebounced_data() {
        QTest::addColumn<bool>("pressEnter");
        QTest::newRow("pause") << false;
        QTest::newRow("enter") << true;
    }
    void textIsDebounced() {
        QFETCH(bool, pressEnter);
        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        QTest::keyClicks(text(), QStringLiteral("nightl"));
        QElapsedTimer typing; // from the last key
        typing.start();
        QTest::keyClick(text(), Qt::Key_Y);
        QCOMPARE(changed.count(), 0);
        if (pressEnter) {
            QTest::keyClick(text(), Qt::Key_Return);
            QCOMPARE(changed.count(), 1);
        } else {
            QVERIFY(changed.wait(5000));
            // Coarse timers may fire up to 5 % early, and both clocks count
            // whole milliseconds (seen: 284 ms for a 285 ms bound under load).
            QVERIFY2(typing.elapsed() >= FilterBar::kDebounceMs * 95 / 100 - 1,
                     qPrintable(QString::number(typing.elapsed())));
            QCOMPARE(changed.count(), 1);
        }
        QCOMPARE(changed.at(0).at(0).value<SessionFilter>().text(), QStringLiteral("nightly"));
        QCOMPARE(m_bar->filter().text(), QStringLiteral("nightly"));
        QVERIFY(!m_bar->filter().isRegularExpression());
    }

    void regularExpressions_data() {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QString>("error"); // a part of the message, or empty
        QTest::newRow("valid") << "^(borg|restic)$" << QString();
        QTest::newRow("unclosed group") << "(nightly"
                                        << "offset 8";
        QTest::newRow("nothing to repeat") << "*nightly"
                                           << "offset 0";
        QTest::newRow("bad class") << "[z-a]"
                                   << "regular expression";
    }
    // An invalid expression says what is wrong, where, and is not applied:
    // the table keeps what the last valid text matched.
    void regularExpressions() {
        QFETCH(QString, typed);
        QFETCH(QString, error);
        QTest::keyClicks(text(), QStringLiteral("home"));
        QTest::keyClick(text(), Qt::Key_Return);
        QCOMPARE(m_bar->filter().text(), QStringLiteral("home"));

        auto *regex = child<QToolButton>("regexToggle");
        QTest::mouseClick(regex, Qt::LeftButton);
        QVERIFY(regex->isChecked());
        text()->clear();
        QTest::keyClicks(text(), typed);
        QTest::keyClick(text(), Qt::Key_Return);
        auto *message = child<QLabel>("filterError");
        if (error.isEmpty()) {
            QVERIFY(m_bar->textError().isEmpty());
            QVERIFY(!message->isVisible());
            QCOMPARE(m_bar->filter().text(), typed);
            QVERIFY(m_bar->filter().isRegularExpression());
            return;
        }
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(error), qPrintable(message->text()));
        QVERIFY(message->text().startsWith(QLatin1String("Invalid regular expression")));
        QVERIFY(text()->toolTip().contains(message->text()));
        QCOMPARE(m_bar->filter().text(), QStringLiteral("home"));
        QVERIFY(!m_bar->filter().isRegularExpression());

        // Taken literally (toggle off), the same text is fine: the error goes.
        QTest::mouseClick(regex, Qt::LeftButton);
        QTest::keyClick(text(), Qt::Key_Return);
        QVERIFY(!message->isVisible());
        QCOMPARE(m_bar->filter().text(), typed);
        QVERIFY(m_bar->filter().isValid());
    }

    // A choice in a list applies at once.
    void listsApplyAtOnce_data() {
        QTest::addColumn<QByteArray>("comboName");
        QTest::addColumn<QString>("entry");
        QTest::addColumn<SessionFilter>("expected");
        using S = SessionState;
        const auto make = [](const std::function<void(SessionFilter &)> &set) {
            SessionFilter f;
            set(f);
            return f;
        };
        QTest::newRow("active") << QByteArray("stateFilter") << "Active" << make([](auto &f) {
            f.setStates(SessionFilter::activeStates());
        });
        QTest::newRow("problems") << QByteArray("stateFilter") << "Problems" << make([](auto &f) {
            f.setStates({S::Failed, S::Stalled, S::Interrupted, S::Warning});
        });
        QTest::newRow("finished: every ended state")
            << QByteArray("stateFilter") << "Finished" << make([](auto &f) {
                   f.setStates({S::Succeeded, S::Warning, S::Failed, S::Cancelled, S::Interrupted,
                                S::Exited});
               });
        QTest::newRow("one state") << QByteArray("stateFilter") << "interrupted"
                                   << make([](auto &f) { f.setStates({S::Interrupted}); });
        QTest::newRow("kind") << QByteArray("kindFilter") << "restore"
                              << make([](auto &f) { f.setKinds({SessionKind::Restore}); });
        QTest::newRow("tool") << QByteArray("toolFilter") << "borg"
                              << make([](auto &f) { f.setTool(QStringLiteral("borg")); });
        QTest::newRow("host") << QByteArray("hostFilter") << "nas"
                              << make([](auto &f) { f.setHost(QStringLiteral("nas")); });
        QTest::newRow("today, from local midnight")
            << QByteArray("timeFilter") << "Today"
            << make([](auto &f) { f.setTimeRange(midnightMs(), std::nullopt); });
        QTest::newRow("last 24 hours")
            << QByteArray("timeFilter") << "Last 24 hours"
            << make([](auto &f) { f.setTimeRange(afternoonMs() - 86400000, std::nullopt); });
        QTest::newRow("last 7 days")
            << QByteArray("timeFilter") << "Last 7 days"
            << make([](auto &f) { f.setTimeRange(afternoonMs() - 7 * 86400000LL, std::nullopt); });
    }
    void listsApplyAtOnce() {
        QFETCH(QByteArray, comboName);
        QFETCH(QString, entry);
        QFETCH(SessionFilter, expected);
        m_bar->addValues(QStringLiteral("restic"), QStringLiteral("laptop"));
        m_bar->addValues(QStringLiteral("borg"), QStringLiteral("nas"));
        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        choose(comboName.constData(), entry);
        QCOMPARE(changed.count(), 1);
        QVERIFY(m_bar->filter() == expected);
        // Back to "All …": nothing filtered.
        combo(comboName.constData())->setCurrentIndex(0);
        QCOMPARE(changed.count(), 2);
        QVERIFY(m_bar->filter().isEmpty());
    }

    void betweenTwoTimes() {
        auto *from = child<QDateTimeEdit>("timeFrom");
        auto *to = child<QDateTimeEdit>("timeTo");
        QVERIFY(!from->isVisible());
        choose("timeFilter", QStringLiteral("Between…"));
        QVERIFY(from->isVisible());
        QVERIFY(to->isVisible());
        const QDateTime a(QDate(2026, 11, 20), QTime(22, 0));
        const QDateTime b(QDate(2026, 11, 21), QTime(6, 0));
        from->setDateTime(a);
        to->setDateTime(b);
        QCOMPARE(m_bar->filter().fromMs(), std::optional<qint64>(a.toMSecsSinceEpoch()));
        QCOMPARE(m_bar->filter().toMs(), std::optional<qint64>(b.toMSecsSinceEpoch()));
        choose("timeFilter", QStringLiteral("Any time"));
        QVERIFY(!from->isVisible());
        QVERIFY(!m_bar->filter().fromMs());
    }

    // A range relative to now moves with the clock while the window stays
    // open: "Last 24 hours" in the evening is not the morning's last 24 hours,
    // and "Today" starts again at midnight.
    void relativeRangesMoveWithTheClock_data() {
        QTest::addColumn<QString>("entry");
        QTest::addColumn<qint64>("laterMs");
        QTest::addColumn<qint64>("expectedFromMs");
        const qint64 evening = afternoonMs() + 5 * 3600000LL; // 20:30
        QTest::newRow("last 24 hours")
            << QStringLiteral("Last 24 hours") << evening << evening - 86400000;
        QTest::newRow("last 7 days")
            << QStringLiteral("Last 7 days") << evening << evening - 7 * 86400000LL;
        const qint64 nextMorning = midnightMs() + 86400000 + 3600000; // 01:00 the day after
        QTest::newRow("today, after midnight")
            << QStringLiteral("Today") << nextMorning << midnightMs() + 86400000;
    }
    void relativeRangesMoveWithTheClock() {
        QFETCH(QString, entry);
        QFETCH(qint64, laterMs);
        QFETCH(qint64, expectedFromMs);
        qint64 now = afternoonMs();
        m_bar->setClock([&now] { return now; });
        auto *refresh = m_bar->findChild<QTimer *>(QStringLiteral("rangeRefresh"));
        QVERIFY(refresh);
        QVERIFY(!refresh->isActive());
        choose("timeFilter", entry);
        QVERIFY(refresh->isActive());
        QCOMPARE(refresh->interval(), FilterBar::kRangeRefreshMs);
        const std::optional<qint64> before = m_bar->filter().fromMs();
        QVERIFY(before && *before < expectedFromMs);

        // Seconds later nothing changes: the range moves to the minute.
        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        refresh->setInterval(20); // rather than wait a minute
        now += 5000;
        QTest::qWait(100);
        QCOMPARE(changed.count(), 0);

        now = laterMs;
        QVERIFY(changed.wait(5000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_bar->filter().fromMs(), std::optional<qint64>(expectedFromMs));

        // A fixed range, or none, needs no refresh.
        choose("timeFilter", QStringLiteral("Any time"));
        QVERIFY(!refresh->isActive());
        m_bar->setClock([] { return afternoonMs(); }); // `now` ends with this function
    }

    // The lists offer the tools and hosts of the sessions present, sorted,
    // each once, and keep the user's choice as new ones arrive.
    void toolsAndHostsComeFromTheData() {
        auto *tools = combo("toolFilter");
        auto *hosts = combo("hostFilter");
        QCOMPARE(itemsOf(tools), QStringList{QStringLiteral("All tools")});
        m_bar->addValues(QStringLiteral("rsync"), QStringLiteral("web1"));
        m_bar->addValues(QStringLiteral("restic"), QStringLiteral("db1"));
        m_bar->addValues(QStringLiteral("Restic"), QString()); // same tool, no host
        choose("toolFilter", QStringLiteral("rsync"));
        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        m_bar->addValues(QStringLiteral("borg"), QStringLiteral("app1"));
        QCOMPARE(itemsOf(tools), QStringList({QStringLiteral("All tools"), QStringLiteral("borg"),
                                              QStringLiteral("restic"), QStringLiteral("rsync")}));
        QCOMPARE(itemsOf(hosts), QStringList({QStringLiteral("All hosts"), QStringLiteral("app1"),
                                              QStringLiteral("db1"), QStringLiteral("web1")}));
        QCOMPARE(tools->currentText(), QStringLiteral("rsync"));
        QCOMPARE(m_bar->filter().tool(), QStringLiteral("rsync"));
        QCOMPARE(changed.count(), 0); // new choices are not a new filter
    }

    // A preset is one click to a whole view; clicking it again shows all.
    void presets_data() {
        QTest::addColumn<FilterBar::Preset>("preset");
        QTest::addColumn<StateSet>("states");
        QTest::addColumn<std::optional<qint64>>("from");
        using S = SessionState;
        QTest::newRow("running") << FilterBar::Preset::Running
                                 << states({S::Queued, S::Starting, S::Running, S::Stalled,
                                            S::Cancelling})
                                 << std::optional<qint64>();
        QTest::newRow("problems") << FilterBar::Preset::Problems
                                  << states({S::Failed, S::Stalled, S::Interrupted, S::Warning})
                                  << std::optional<qint64>();
        QTest::newRow("today") << FilterBar::Preset::Today << StateSet()
                               << std::optional<qint64>(midnightMs());
    }
    void presets() {
        QFETCH(FilterBar::Preset, preset);
        QFETCH(StateSet, states);
        QFETCH(std::optional<qint64>, from);
        // Whatever was set before, the preset shows all it promises.
        m_bar->addValues(QStringLiteral("borg"), QStringLiteral("nas"));
        QTest::keyClicks(text(), QStringLiteral("nightly"));
        choose("toolFilter", QStringLiteral("borg"));
        choose("kindFilter", QStringLiteral("verify"));

        QAbstractButton *button = m_bar->presetButton(preset);
        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(changed.count(), 1);
        QVERIFY(button->isChecked());
        const SessionFilter &f = m_bar->filter();
        QCOMPARE(f.states(), states);
        QCOMPARE(f.fromMs(), from);
        QVERIFY(f.text().isEmpty());
        QVERIFY(f.tool().isEmpty());
        QVERIFY(f.kinds().none());
        QVERIFY(text()->text().isEmpty());
        for (const auto other :
             {FilterBar::Preset::Running, FilterBar::Preset::Problems, FilterBar::Preset::Today}) {
            if (other != preset)
                QVERIFY(!m_bar->presetButton(other)->isChecked());
        }
        // Changing anything else makes it no longer that preset.
        choose("kindFilter", QStringLiteral("backup"));
        QVERIFY(!button->isChecked());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(button->isChecked());
        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!button->isChecked());
        QVERIFY(m_bar->filter().isEmpty());
    }

    // Mine / System / All: one in force, applied at once, kept by the
    // presets (which are about states and time), cleared by Show All.
    void ownersQuickFilter() {
        using O = SessionFilter::Owners;
        QAbstractButton *mine = m_bar->ownersButton(O::Mine);
        QAbstractButton *system = m_bar->ownersButton(O::Others);
        QAbstractButton *all = m_bar->ownersButton(O::Anyone);
        QCOMPARE(mine->text(), QStringLiteral("&Mine"));
        QCOMPARE(system->text(), QStringLiteral("S&ystem"));
        QCOMPARE(all->text(), QStringLiteral("All"));
        QVERIFY(all->isChecked());
        QCOMPARE(m_bar->filter().owners(), O::Anyone);

        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        QTest::mouseClick(system, Qt::LeftButton);
        QCOMPARE(changed.count(), 1); // no debounce: a click is a choice
        QCOMPARE(m_bar->filter().owners(), O::Others);
        QVERIFY(system->isChecked() && !mine->isChecked() && !all->isChecked());
        QVERIFY(child<QToolButton>("clearFilters")->isEnabled());

        QTest::mouseClick(m_bar->presetButton(FilterBar::Preset::Problems), Qt::LeftButton);
        QCOMPARE(m_bar->filter().owners(), O::Others); // the system's problems
        QVERIFY(m_bar->presetButton(FilterBar::Preset::Problems)->isChecked());

        QTest::mouseClick(mine, Qt::LeftButton);
        QCOMPARE(m_bar->filter().owners(), O::Mine);
        QVERIFY(!system->isChecked());
        QTest::mouseClick(mine, Qt::LeftButton); // the one in force stays
        QVERIFY(mine->isChecked());

        QTest::mouseClick(child<QToolButton>("clearFilters"), Qt::LeftButton);
        QVERIFY(all->isChecked());
        QVERIFY(m_bar->filter().isEmpty());
    }

    void showAllClearsEverything() {
        auto *showAll = child<QToolButton>("clearFilters");
        QVERIFY(!showAll->isEnabled());
        QTest::keyClicks(text(), QStringLiteral("x"));
        QTest::keyClick(text(), Qt::Key_Return);
        choose("stateFilter", QStringLiteral("failed"));
        QVERIFY(showAll->isEnabled());
        QTest::mouseClick(showAll, Qt::LeftButton);
        QVERIFY(m_bar->filter().isEmpty());
        QVERIFY(text()->text().isEmpty());
        QCOMPARE(combo("stateFilter")->currentIndex(), 0);
        QVERIFY(!showAll->isEnabled());
    }

    void counts_data() {
        QTest::addColumn<bool>("filtered");
        QTest::addColumn<int>("shown");
        QTest::addColumn<int>("total");
        QTest::addColumn<QString>("expected");
        QTest::newRow("nothing yet") << false << 0 << 0 << "0 sessions";
        QTest::newRow("one") << false << 1 << 1 << "1 session";
        QTest::newRow("all") << false << 340 << 340 << "340 sessions";
        QTest::newRow("some") << true << 12 << 340 << "12 of 340 sessions";
        QTest::newRow("none match") << true << 0 << 340 << "0 of 340 sessions";
        QTest::newRow("all match") << true << 5 << 5 << "5 of 5 sessions";
    }
    void counts() {
        QFETCH(bool, filtered);
        QFETCH(int, shown);
        QFETCH(int, total);
        QFETCH(QString, expected);
        if (filtered)
            choose("stateFilter", QStringLiteral("failed"));
        m_bar->setCounts(shown, total);
        QCOMPARE(m_bar->countText(), expected);
        QCOMPARE(child<QLabel>("filterCount")->text(), expected);
    }

    // Everything the user set comes back after a restart, even a tool no
    // session has shown yet.
    void remembersAcrossRestarts() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("keepwatch.ini")), QSettings::IniFormat);
        m_bar->addValues(QStringLiteral("borg"), QStringLiteral("nas"));
        child<QToolButton>("regexToggle")->setChecked(true);
        QTest::keyClicks(text(), QStringLiteral("^night"));
        QTest::keyClick(text(), Qt::Key_Return);
        choose("stateFilter", QStringLiteral("Finished"));
        choose("kindFilter", QStringLiteral("backup"));
        choose("toolFilter", QStringLiteral("borg"));
        choose("hostFilter", QStringLiteral("nas"));
        choose("timeFilter", QStringLiteral("Between…"));
        QTest::mouseClick(m_bar->ownersButton(SessionFilter::Owners::Others), Qt::LeftButton);
        const QDateTime from(QDate(2026, 11, 1), QTime(8, 0));
        child<QDateTimeEdit>("timeFrom")->setDateTime(from);
        const SessionFilter before = m_bar->filter();
        m_bar->saveSettings(settings);
        m_bar.reset();

        init();
        QSignalSpy changed(m_bar.get(), &FilterBar::filterChanged);
        m_bar->restoreSettings(settings);
        QCOMPARE(changed.count(), 1); // once, not once per list
        QVERIFY(m_bar->filter() == before);
        QCOMPARE(m_bar->filter().fromMs(), std::optional<qint64>(from.toMSecsSinceEpoch()));
        QCOMPARE(combo("toolFilter")->currentText(), QStringLiteral("borg"));
        QCOMPARE(text()->text(), QStringLiteral("^night"));
        QVERIFY(child<QDateTimeEdit>("timeFrom")->isVisible());
        QVERIFY(m_bar->ownersButton(SessionFilter::Owners::Others)->isChecked());
    }

    // Ctrl+F lands in the field with its text selected, ready to overtype.
    void focusSelectsTheText() {
        QTest::keyClicks(text(), QStringLiteral("old words"));
        m_bar->setFocus();
        m_bar->focusText();
        QVERIFY(text()->hasSelectedText());
        QCOMPARE(text()->selectedText(), QStringLiteral("old words"));
    }
};

KW_TEST_MAIN(TestFilterBar)
#include "tst_filterbar.moc"
