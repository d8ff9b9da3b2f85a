// SPDX-License-Identifier: MIT
// Copyright (c) 2026 Threadbench contributors

// gtest main for widget and model tests (tests/ui).

#include <QApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

int main(int argc, char** argv)
{
    // Must happen before QApplication exists. gtest_discover_tests runs this binary to list the tests
    // without the tests' ENVIRONMENT property, so the offscreen default has to live here; an explicit
    // QT_QPA_PLATFORM (e.g. xcb under Xvfb for a manual look) still wins.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("threadbench-tests"));
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
