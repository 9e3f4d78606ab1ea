// SPDX-License-Identifier: MIT
// SPDX-FileCopyrightText: 2026 The Keepwatch developers

#pragma once

#include "platform/processend.h"

#include <QtTest/QtTest>

// QTEST_MAIN and QTEST_GUILESS_MAIN, ending as Keepwatch's programs end
// (platform/processend.h): on Linux an ordinary return; on Windows the
// process ends once its application object is gone and stdio is flushed.
// A test whose Qt threads had ended (a spool reader, the history's log
// loader) could otherwise pass every function and then never exit under
// wine, and time out in ctest (CI saw tst_sourceset and tst_history do so).
// Each test's main() is one of these, so no test can be left out.
#define KW_TEST_MAIN_WRAPPER(TestObject, ...)                                                      \
    static int kwRunTests(int argc, char *argv[]) {                                                \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                         \
        __VA_ARGS__                                                                                \
        TestObject tc;                                                                             \
        QTEST_SET_MAIN_SOURCE_PATH                                                                 \
        return QTest::qExec(&tc, argc, argv);                                                      \
    }                                                                                              \
    int main(int argc, char *argv[]) {                                                             \
        return kw::endProcess(kwRunTests(argc, argv));                                             \
    }

#define KW_TEST_MAIN(TestObject) KW_TEST_MAIN_WRAPPER(TestObject, QTEST_MAIN_SETUP())
#define KW_TEST_GUILESS_MAIN(TestObject)                                                           \
    KW_TEST_MAIN_WRAPPER(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
